"""Sealing the contact of a :class:`~loket.notifications.models.ContactNotification`.

A guest's email address, phone number and private link are stored encrypted (Fernet, key
derived from ``settings.DATA_KEY`` with HKDF) so that a copy of the notification tables names
nobody. :func:`unseal` never raises: a damaged row or a changed key reads as "no contact", and
the delivery is skipped instead of retried.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(data_key: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"notification-contact"
    ).derive(data_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(values: Mapping[str, str]) -> str:
    """The encrypted form of ``values`` (text keys and values)."""
    plain = json.dumps(dict(values), ensure_ascii=False, separators=(",", ":"))
    return _fernet(str(settings.DATA_KEY)).encrypt(plain.encode()).decode()


def unseal(token: str) -> dict[str, str]:
    """The values sealed in ``token``; empty when there is none or it cannot be read."""
    if not token:
        return {}
    try:
        plain = _fernet(str(settings.DATA_KEY)).decrypt(token.encode())
        data = json.loads(plain)
    except (InvalidToken, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}
