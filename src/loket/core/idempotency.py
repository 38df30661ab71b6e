"""Idempotency keys: a double tap, a retried request or a resent offline draft gives back the
first result instead of making a second record.

The key row is inserted *before* the work, in the same transaction. A concurrent request with
the same key waits on the unique index (PostgreSQL) or on the write lock (SQLite) until the
first commits, then finds the row and returns its result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from loket.core.errors import DomainError
from loket.core.models import IdempotencyKey

MAX_KEY_LENGTH = 100


class IdempotencyConflict(DomainError):
    """The same key was used earlier for a different request."""

    status = 409
    code = "idempotency_conflict"
    default_message = _("Kunci idempotensi ini sudah dipakai untuk permintaan lain.")


def fingerprint(data: Mapping[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def valid_key(key: str) -> bool:
    return 8 <= len(key) <= MAX_KEY_LENGTH and key.isprintable() and " " not in key


def run_once(
    *,
    scope: str,
    key: str,
    request_data: Mapping[str, Any],
    action: Callable[[], dict[str, Any]],
) -> tuple[dict[str, Any], bool]:
    """Run ``action`` once per (scope, key); return (result, created).

    ``action`` returns a JSON-serialisable summary (e.g. ``{"id": 12, "number": "LPG-…"}``)
    that a repeated request receives again. Raises IdempotencyConflict when the key was used
    with different request data.
    """
    fp = fingerprint(request_data)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(scope=scope, key=key, fingerprint=fp)
        except IntegrityError:
            existing = IdempotencyKey.objects.get(scope=scope, key=key)
            if existing.fingerprint != fp:
                raise IdempotencyConflict from None
            return dict(existing.result), False
        result = action()
        row.result = result
        row.save(update_fields=["result"])
        return result, True
