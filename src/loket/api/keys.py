"""The key format and its hashing, shared by the services and the authentication classes.

A key reads ``lk_<prefix>_<secret>``. The prefix is stored in clear so that a key can be found
by an index lookup and named in lists and logs; the secret is never stored, only an HMAC of
prefix and secret keyed from ``settings.DATA_KEY``. Without the data key a copy of the table
cannot even confirm a guessed key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass

from django.conf import settings

KEY_PREFIX = "lk"
PREFIX_LENGTH = 8
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
_KEY_RE = re.compile(r"^lk_([a-z0-9]{8})_([A-Za-z0-9_-]{32,128})$")


@dataclass(frozen=True)
class ParsedKey:
    prefix: str
    secret: str


def new_prefix() -> str:
    return "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def format_key(prefix: str, secret: str) -> str:
    return f"{KEY_PREFIX}_{prefix}_{secret}"


def parse_key(raw: str) -> ParsedKey | None:
    """Split a presented key into prefix and secret, or None when it is not one of ours."""
    match = _KEY_RE.match(raw.strip())
    if match is None:
        return None
    return ParsedKey(prefix=match.group(1), secret=match.group(2))


def _hash_key() -> bytes:
    return hashlib.sha256(("api-key:" + settings.DATA_KEY).encode()).digest()


def hash_secret(prefix: str, secret: str) -> str:
    return hmac.new(_hash_key(), f"{prefix}:{secret}".encode(), hashlib.sha256).hexdigest()


def secret_matches(prefix: str, secret: str, stored_hash: str) -> bool:
    """Constant-time comparison of a presented secret with the stored hash."""
    return hmac.compare_digest(hash_secret(prefix, secret), stored_hash)
