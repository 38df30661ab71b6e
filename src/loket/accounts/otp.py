"""One-time codes: six digits, stored as keyed hashes, short-lived, few tries, slow resends."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings

CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_INTERVAL = timedelta(seconds=60)
# Codes sent to one address within SEND_WINDOW, counted over every sign-up attempt for it.
MAX_SENDS = 5
SEND_WINDOW = timedelta(hours=1)


def generate_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _key() -> bytes:
    return hashlib.sha256(("one-time-code:" + settings.DATA_KEY).encode()).digest()


def hash_code(*, scope: str, code: str) -> str:
    """Keyed hash bound to one request (``scope``): a leaked table gives no usable codes."""
    return hmac.new(_key(), f"{scope}:{code}".encode(), hashlib.sha256).hexdigest()


def normalize_code(raw: str) -> str:
    return "".join(ch for ch in raw if ch.isdigit())


def check_code(*, scope: str, code: str, code_hash: str) -> bool:
    candidate = normalize_code(code)
    if len(candidate) != CODE_DIGITS:
        return False
    return hmac.compare_digest(hash_code(scope=scope, code=candidate), code_hash)
