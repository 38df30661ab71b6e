"""The audit chain: one call, :func:`log_action`, used by every state-changing service.

Each event stores the SHA-256 of its own canonical JSON, which includes the previous event's
hash, so editing, deleting, inserting or reordering any row breaks the chain from that row on.
The database refuses UPDATE and DELETE on the table (triggers in migration 0002).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from loket.core import context
from loket.core.models import AuditEvent
from loket.core.rows import insert

GENESIS_HASH = "0" * 64
# Keys that must never reach an audit payload in clear: callers pass keyed hashes instead.
FORBIDDEN_PAYLOAD_KEYS = frozenset({"nik", "phone", "email", "password", "address"})


class HasPk(Protocol):
    pk: Any


def personal_ref(value: str) -> str:
    """A keyed hash that links events about the same person without revealing who it is."""
    key = hashlib.sha256(("audit-ref:" + settings.DATA_KEY).encode()).digest()
    return hmac.new(key, value.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


def _canonical(fields: Mapping[str, Any]) -> bytes:
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def compute_hash(event: AuditEvent) -> str:
    occurred: datetime = event.occurred_at
    fields = {
        "sequence": event.sequence,
        "occurred_at": occurred.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "government_id": event.government_id,
        "request_id": event.request_id,
        "ip": event.ip,
        "payload": event.payload,
        "prev_hash": event.prev_hash,
    }
    return hashlib.sha256(_canonical(fields)).hexdigest()


def _check_payload(payload: Mapping[str, Any]) -> None:
    for key, value in payload.items():
        if key.lower() in FORBIDDEN_PAYLOAD_KEYS:
            raise ValueError(f"audit payload must not contain {key!r}; use personal_ref()")
        if isinstance(value, Mapping):
            _check_payload(value)


class _Tail:
    """The chain's last event. As the tail this transaction wrote, it is also registered as a
    commit hook that does nothing: Django drops a transaction's hooks when it rolls back (and a
    savepoint's when that is rolled back) and runs and clears them at commit, so the hook being
    still registered proves the event is still this transaction's, uncommitted, and last."""

    __slots__ = ("hash", "sequence")

    def __init__(self, sequence: int, hash: str) -> None:
        self.sequence = sequence
        self.hash = hash

    def __call__(self) -> None:
        """Nothing to do at commit."""


def _tail_written_here() -> _Tail | None:
    """The tail written earlier in the current transaction, which then still holds the chain
    (its lock on PostgreSQL, the write lock on SQLite): the next event needs no lock and no read.
    None when this transaction has not written to the chain yet."""
    tail: _Tail | None = getattr(connection, "_loket_audit_tail", None)
    if tail is None or not connection.in_atomic_block:
        return None
    # Newest first: the tail is the last hook but for those registered after it.
    if any(entry[1] is tail for entry in reversed(connection.run_on_commit)):
        return tail
    return None


def _remember_tail(tail: _Tail) -> None:
    connection._loket_audit_tail = tail  # type: ignore[attr-defined]
    transaction.on_commit(tail)


def _lock_chain() -> _Tail:
    """Lock the chain for this transaction and read its last event."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        # SQLite runs write transactions one at a time (IMMEDIATE mode); PostgreSQL needs a
        # lock so that two writers never take the same sequence number or previous hash. The
        # tail is read by a statement of its own, after the lock is granted. Plain SQL: this
        # runs on every audited write.
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x10C3E7])
        cursor.execute(f"SELECT sequence, hash FROM {table} ORDER BY sequence DESC LIMIT 1")  # noqa: S608 - a quoted table name
        row = cursor.fetchone()
    return _Tail(int(row[0]), str(row[1])) if row else _Tail(0, GENESIS_HASH)


def log_action(
    action: str,
    *,
    actor: Any = None,
    actor_role: str = "",
    obj: HasPk | None = None,
    object_type: str = "",
    object_id: str | int | None = None,
    government_id: int | None = None,
    payload: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit chain, inside the caller's transaction."""
    data = dict(payload or {})
    _check_payload(data)
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"  # type: ignore[attr-defined]
        object_id = obj.pk if object_id is None else object_id
    ctx = context.current()
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    with transaction.atomic(savepoint=False):
        tail = _tail_written_here()
        if tail is None:
            tail = _lock_chain()
        event = AuditEvent(
            sequence=tail.sequence + 1,
            # Truncated to microseconds so the hash recomputes identically from the stored row.
            occurred_at=timezone.now(),
            actor_id=actor_id,
            actor_role=actor_role,
            action=action,
            object_type=object_type,
            object_id="" if object_id is None else str(object_id),
            government_id=government_id,
            request_id=ctx.request_id,
            ip=ctx.ip,
            payload=json.loads(_canonical(data)),
            prev_hash=tail.hash,
        )
        event.hash = compute_hash(event)
        insert(event)
        _remember_tail(_Tail(event.sequence, event.hash))
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_sequence: int | None = None
    reason: str = ""


def _iter_events(batch: int = 2000) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(pk__gt=last_id).order_by("pk")[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].pk


def verify_chain() -> VerifyResult:
    """Recompute the whole chain in insertion order and report the first broken link."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in _iter_events():
        if event.sequence != expected_seq:
            reason = "missing or reordered event" if event.sequence > expected_seq else "reordered"
            return VerifyResult(False, checked, expected_seq, reason)
        if event.prev_hash != expected_prev:
            return VerifyResult(False, checked, event.sequence, "previous hash does not match")
        if compute_hash(event) != event.hash:
            return VerifyResult(False, checked, event.sequence, "content does not match its hash")
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    return VerifyResult(True, checked)
