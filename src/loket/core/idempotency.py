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

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loket.core.errors import DomainError
from loket.core.models import IdempotencyKey

MAX_KEY_LENGTH = 100
# Both databases take this statement as written (double-quoted names, ON CONFLICT, RETURNING).
_CLAIM_SQL = (
    'INSERT INTO "core_idempotencykey" ("scope", "key", "fingerprint", "result", "created_at") '
    "VALUES (%s, %s, %s, %s, %s) "
    'ON CONFLICT ("scope", "key") DO NOTHING RETURNING "id"'
)


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
    known_result: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], bool]:
    """Run ``action`` once per (scope, key); return (result, created).

    ``action`` returns a JSON-serialisable summary (e.g. ``{"id": 12, "number": "LPG-…"}``)
    that a repeated request receives again. When the caller knows that summary before the
    action runs (a number taken beforehand), ``known_result`` is stored with the key itself
    and a repeated request receives it instead: one statement fewer. Raises
    IdempotencyConflict when the key was used with different request data.
    """
    fp = fingerprint(request_data)
    with transaction.atomic():
        row_id = _claim(
            scope=scope, key=key, fp=fp, result={} if known_result is None else known_result
        )
        if row_id is None:
            existing = IdempotencyKey.objects.get(scope=scope, key=key)
            if existing.fingerprint != fp:
                raise IdempotencyConflict from None
            return dict(existing.result), False
        result = action()
        if known_result is None:
            IdempotencyKey.objects.filter(pk=row_id).update(result=result)
        return result, True


def _claim(*, scope: str, key: str, fp: str, result: Mapping[str, Any]) -> int | None:
    """Insert the key row; its id, or None when the (scope, key) row exists already.

    One ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (PostgreSQL and SQLite ≥ 3.35) instead
    of an insert in a savepoint that is rolled back on a duplicate: a statement per key fewer
    on the path of every write that carries a key. A concurrent insert of the same key makes
    this one wait until the first commits (then: None) or rolls back (then: inserted).
    """
    connection = transaction.get_connection()
    created_at = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM_SQL, [scope, key, fp, json.dumps(dict(result)), created_at])
        row = cursor.fetchone()
    return int(row[0]) if row else None
