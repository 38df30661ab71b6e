"""Provider adapters for email, SMS and WhatsApp, chosen by settings.

Text messages (``LOKET_SMS_PROVIDER`` / ``LOKET_WHATSAPP_PROVIDER``):

``console`` (default)
    Appends one JSON line per message to ``LOKET_OUTBOX_DIR/sms.jsonl`` or ``whatsapp.jsonl``
    (embedded mode and the demo: the operator reads the file).
``http``
    ``POST`` to ``LOKET_SMS_URL`` / ``LOKET_WHATSAPP_URL`` with the JSON body
    ``{"to": "+62…", "text": "…", "channel": "sms"|"whatsapp"}``, the header
    ``Authorization: Bearer <LOKET_SMS_TOKEN / LOKET_WHATSAPP_TOKEN>`` and an
    ``Idempotency-Key`` header a gateway may use to drop a repeated message. A 2xx answer with
    a JSON object ``{"id": …}`` is success; anything else (status, timeout after
    ``LOKET_PROVIDER_TIMEOUT`` seconds, refused connection, other body) raises
    :class:`ProviderError`.

Email goes through Django's ``MAILERS["default"]`` (SMTP, a file per message in the data
directory in embedded mode, memory in tests).

Error messages never contain the recipient's address or number: they end up in logs and in
the delivery log shown to administrators.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, mailers, make_msgid
from django.utils import timezone

TEXT_CHANNELS = ("sms", "whatsapp")
_append_lock = threading.Lock()


class ProviderError(Exception):
    """The provider did not accept the message; the caller may try again later."""


class TextProvider(Protocol):
    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        """Send one message and return the provider's id for it."""
        ...


class ConsoleProvider:
    """Writes messages to a JSON-lines file in the outbox directory."""

    def __init__(self, channel: str, outbox_dir: Path) -> None:
        self.channel = channel
        self.path = Path(outbox_dir) / f"{channel}.jsonl"

    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        message_id = uuid.uuid4().hex
        line = json.dumps(
            {
                "id": message_id,
                "to": to,
                "text": text,
                "channel": self.channel,
                "idempotency_key": idempotency_key,
                "at": timezone.now().isoformat(),
            },
            ensure_ascii=False,
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with _append_lock, self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        except OSError as exc:
            raise ProviderError(f"{self.channel}: outbox not writable ({exc.strerror})") from exc
        return message_id


class HttpProvider:
    """Posts messages as JSON to an SMS or WhatsApp gateway."""

    def __init__(self, channel: str, *, url: str, token: str, timeout: float) -> None:
        self.channel = channel
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, *, to: str, text: str, idempotency_key: str) -> str:
        if not self.url.startswith(("https://", "http://")):
            raise ProviderError(f"{self.channel}: gateway URL is not configured")
        body = json.dumps({"to": to, "text": text, "channel": self.channel}).encode()
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Idempotency-Key": idempotency_key,
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
                payload = response.read(64 * 1024)
        except urllib.error.HTTPError as exc:
            raise ProviderError(f"{self.channel}: gateway answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ProviderError(f"{self.channel}: gateway unreachable ({reason})") from exc
        if not 200 <= status < 300:
            raise ProviderError(f"{self.channel}: gateway answered HTTP {status}")
        try:
            data: Any = json.loads(payload)
        except ValueError as exc:
            raise ProviderError(f"{self.channel}: gateway answer is not JSON") from exc
        if not isinstance(data, dict) or data.get("id") in (None, ""):
            raise ProviderError(f"{self.channel}: gateway answer has no message id")
        return str(data["id"])


def text_provider(channel: str) -> TextProvider:
    """The adapter configured for ``channel`` ("sms" or "whatsapp"), read from settings now."""
    if channel not in TEXT_CHANNELS:
        raise ValueError(f"unknown text channel {channel!r}")
    prefix = "LOKET_SMS" if channel == "sms" else "LOKET_WHATSAPP"
    name = str(getattr(settings, f"{prefix}_PROVIDER", "console") or "console")
    if name == "console":
        return ConsoleProvider(channel, Path(settings.LOKET_OUTBOX_DIR))
    if name == "http":
        return HttpProvider(
            channel,
            url=str(getattr(settings, f"{prefix}_URL", "")),
            token=str(getattr(settings, f"{prefix}_TOKEN", "")),
            timeout=float(settings.LOKET_PROVIDER_TIMEOUT),
        )
    raise ProviderError(f"{channel}: unknown provider {name!r}")


def send_text(channel: str, to: str, text: str, *, idempotency_key: str = "") -> str:
    """Send one SMS or WhatsApp message now; returns the provider's message id."""
    return text_provider(channel).send(
        to=to, text=text, idempotency_key=idempotency_key or uuid.uuid4().hex
    )


def send_sms_now(phone: str, text: str) -> str:
    """Send one SMS right away (one-time codes), through the configured SMS adapter."""
    return send_text("sms", phone, text)


def send_email_now(to: str, subject: str, body: str) -> str:
    """Send one plain-text email through the default mailer; returns its Message-ID."""
    message_id = make_msgid(domain="loket")
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[to],
        headers={"Message-ID": message_id},
    )
    try:
        sent = mailers.default.send_messages([message])
    except Exception as exc:
        # SMTP errors may quote the address: report the kind of failure only.
        raise ProviderError(f"email: {type(exc).__name__}") from exc
    if not sent:
        raise ProviderError("email: the mailer did not accept the message")
    return message_id
