"""Payment-provider adapters.

A provider is a named way money arrives. Every confirmation, whatever its channel, goes through
``services.payment_confirm``; an adapter only says who it is and, for providers that call us
back over HTTP, how to authenticate and read their message.

Built in:

- ``simulator``: the demo's "Bayar (simulasi)" button (enabled by ``LOKET_PAYMENT_SIMULATOR``).
- ``cashier``: manual confirmation by counter staff in the back office.
- ``generic``: an HTTP callback, ``POST /pembayaran/callback/generic/`` with a JSON body
  ``{"payment_code": "8123…", "amount": 150000, "reference": "BANK-REF-1"}`` and the header
  ``X-Loket-Signature: sha256=<hex HMAC-SHA256 of the raw body>`` keyed with
  ``LOKET_PAYMENT_CALLBACK_SECRET``. A bank's own format is one more adapter (subclass
  :class:`CallbackProvider`, call :func:`register_provider`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

SIGNATURE_HEADER = "X-Loket-Signature"


class CallbackFormatError(ValueError):
    """The callback body is not what the provider's format says."""


@dataclass(frozen=True)
class CallbackPayment:
    code: str
    amount: int
    reference: str


class PaymentProvider:
    """A channel through which a bill is paid."""

    name: str = ""
    accepts_callbacks = False

    def __init__(self, name: str | None = None) -> None:
        if name:
            self.name = name


class CallbackProvider(PaymentProvider):
    """A provider that confirms payments by calling Loket over HTTP, signed with HMAC-SHA256."""

    accepts_callbacks = True

    def secret(self) -> bytes:
        return str(getattr(settings, "LOKET_PAYMENT_CALLBACK_SECRET", "") or "").encode()

    def sign(self, body: bytes) -> str:
        """The header value a genuine provider sends for ``body``."""
        return "sha256=" + hmac.new(self.secret(), body, hashlib.sha256).hexdigest()

    def verify_signature(self, *, body: bytes, headers: Mapping[str, str]) -> bool:
        """Whether the signature header matches ``body``. Without a configured secret every
        callback is refused."""
        if not self.secret():
            return False
        given = headers.get(SIGNATURE_HEADER, "")
        return hmac.compare_digest(given.encode(), self.sign(body).encode())

    def parse_callback(self, *, body: bytes) -> CallbackPayment:
        """Read the payment out of a (verified) body; ``CallbackFormatError`` if malformed."""
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise CallbackFormatError("body is not JSON") from None
        if not isinstance(data, dict):
            raise CallbackFormatError("body is not an object")
        code, amount, reference = (
            data.get("payment_code"),
            data.get("amount"),
            data.get("reference"),
        )
        if not isinstance(code, str) or not isinstance(reference, str):
            raise CallbackFormatError("payment_code and reference must be strings")
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise CallbackFormatError("amount must be an integer number of Rupiah")
        return CallbackPayment(code=code, amount=amount, reference=reference)


SIMULATOR = "simulator"
CASHIER = "cashier"
GENERIC = "generic"

_PROVIDERS: dict[str, PaymentProvider] = {}


def register_provider(provider: PaymentProvider) -> None:
    _PROVIDERS[provider.name] = provider


def get_provider(name: str) -> PaymentProvider | None:
    return _PROVIDERS.get(name)


register_provider(PaymentProvider(SIMULATOR))
register_provider(PaymentProvider(CASHIER))
register_provider(CallbackProvider(GENERIC))
