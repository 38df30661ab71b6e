"""The audit chain: append-only in the database and verifiable end to end."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from loket.core.audit import log_action, personal_ref, verify_chain
from loket.core.db import audit_maintenance
from loket.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _chain(n: int = 5) -> list[AuditEvent]:
    return [
        log_action("test.event", object_type="t", object_id=i, payload={"i": i}) for i in range(n)
    ]


def _raw(sql: str, params: list[object]) -> None:
    with audit_maintenance(True), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _verify_exit() -> tuple[int, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def test_intact_chain_verifies():
    events = _chain()
    assert [e.sequence for e in events] == [1, 2, 3, 4, 5]
    assert events[1].prev_hash == events[0].hash
    assert verify_chain().ok
    code, output = _verify_exit()
    assert code == 0
    assert "5" in output


def test_database_refuses_update_and_delete():
    _chain(2)
    with audit_maintenance(False):
        for sql in ("UPDATE core_auditevent SET action = 'x'", "DELETE FROM core_auditevent"):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
                c.execute(sql)
    assert AuditEvent.objects.count() == 2


@pytest.mark.parametrize(
    ("tamper", "bad_sequence"),
    [
        ("edit", 3),
        ("delete", 3),
        ("insert", 6),
        ("reorder", 2),
    ],
)
def test_verify_names_first_bad_sequence(tamper, bad_sequence):
    events = _chain()
    if tamper == "edit":
        _raw("UPDATE core_auditevent SET payload = %s WHERE sequence = 3", ['{"i": 99}'])
    elif tamper == "delete":
        _raw("DELETE FROM core_auditevent WHERE sequence = 3", [])
    elif tamper == "insert":
        forged = AuditEvent(
            sequence=6,
            occurred_at=events[-1].occurred_at,
            action="forged",
            payload={},
            prev_hash=events[-1].hash,
            hash="f" * 64,
        )
        forged.save(force_insert=True)
    elif tamper == "reorder":
        _raw("UPDATE core_auditevent SET sequence = 100 WHERE sequence = 2", [])
        _raw("UPDATE core_auditevent SET sequence = 2 WHERE sequence = 3", [])
        _raw("UPDATE core_auditevent SET sequence = 3 WHERE sequence = 100", [])
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_sequence == bad_sequence
    code, output = _verify_exit()
    assert code != 0
    assert str(bad_sequence) in output


def test_payload_refuses_raw_personal_data():
    with pytest.raises(ValueError):
        log_action("x", payload={"nik": "1871010101900001"})
    ref = personal_ref("Budi@Example.com")
    assert ref == personal_ref("budi@example.com") and "budi" not in ref


# --- the tail a transaction wrote ------------------------------------------------------------
class _Undo(Exception):
    pass


def test_second_event_in_a_transaction_needs_no_lock_and_no_read(django_assert_num_queries):
    with transaction.atomic():
        log_action("test.first", object_type="t", object_id=1)
        with django_assert_num_queries(1):  # the insert alone
            second = log_action("test.second", object_type="t", object_id=2)
    assert second.sequence == 2
    assert verify_chain().ok


def test_event_rolled_back_with_its_savepoint_is_not_the_next_ones_parent():
    with transaction.atomic():
        first = log_action("test.kept", object_type="t", object_id=1)
        try:
            with transaction.atomic():
                log_action("test.undone", object_type="t", object_id=2)
                raise _Undo
        except _Undo:
            pass
        after = log_action("test.after", object_type="t", object_id=3)
    assert (after.sequence, after.prev_hash) == (2, first.hash)
    assert list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True)) == [
        "test.kept",
        "test.after",
    ]
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_tail_of_a_rolled_back_or_committed_transaction_is_not_reused():
    with transaction.atomic():
        kept = log_action("test.committed", object_type="t", object_id=1)
    try:
        with transaction.atomic():
            log_action("test.rolled_back", object_type="t", object_id=2)
            raise _Undo
    except _Undo:
        pass
    with transaction.atomic():
        log_action("test.other_writer", object_type="t", object_id=3)  # a new transaction
    last = log_action("test.autocommit", object_type="t", object_id=4)
    assert last.sequence == 3
    assert AuditEvent.objects.filter(action="test.rolled_back").count() == 0
    assert kept.sequence == 1
    assert verify_chain().ok
