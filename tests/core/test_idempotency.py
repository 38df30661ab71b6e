"""Idempotency keys: the same key gives the same result once, and only once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from loket.core.idempotency import IdempotencyConflict, run_once, valid_key
from loket.core.models import IdempotencyKey
from loket.organizations.models import RegionalHoliday
from tests import factories as f


@pytest.mark.django_db
def test_second_call_returns_first_result():
    gov = f.government()
    calls = []

    def action():
        calls.append(1)
        h = RegionalHoliday.objects.create(
            government=gov, date=f"2026-12-{len(calls):02d}", name="Libur"
        )
        return {"id": h.pk}

    first, created1 = run_once(scope="t", key="abcdefgh-1", request_data={"a": 1}, action=action)
    second, created2 = run_once(scope="t", key="abcdefgh-1", request_data={"a": 1}, action=action)
    assert (created1, created2) == (True, False)
    assert first == second
    assert RegionalHoliday.objects.count() == 1


@pytest.mark.django_db
def test_a_result_known_beforehand_is_stored_with_the_key():
    run = dict(scope="t", key="abcdefgh-9", request_data={"a": 1}, known_result={"number": "X-1"})
    with CaptureQueriesContext(connection) as queries:
        first, created = run_once(**run, action=lambda: {"id": 7, "number": "X-1"})
    statements = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 1, statements  # the claim alone: nothing to update afterwards
    assert created and first == {"id": 7, "number": "X-1"}
    again, created = run_once(**run, action=lambda: pytest.fail("ran twice"))
    assert not created and again == {"number": "X-1"}
    assert IdempotencyKey.objects.get(key="abcdefgh-9").result == {"number": "X-1"}


@pytest.mark.django_db
def test_same_key_different_request_is_a_conflict():
    run_once(scope="t", key="abcdefgh-2", request_data={"a": 1}, action=lambda: {})
    with pytest.raises(IdempotencyConflict):
        run_once(scope="t", key="abcdefgh-2", request_data={"a": 2}, action=lambda: {})


@pytest.mark.django_db
def test_failed_action_leaves_no_key():
    def boom():
        raise RuntimeError("provider down")

    with pytest.raises(RuntimeError):
        run_once(scope="t", key="abcdefgh-3", request_data={}, action=boom)
    assert not IdempotencyKey.objects.exists()


def test_key_shape():
    assert valid_key("0b8f7c1e-4d2a-4f7e-9c1a-2b3c4d5e6f70")
    assert not valid_key("short")
    assert not valid_key("has space here")


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_with_one_key_make_one_record():
    gov = f.government()
    results: list[object] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def worker(i: int) -> None:
        try:
            barrier.wait()

            def action():
                h = RegionalHoliday.objects.create(government=gov, date="2026-12-24", name="Libur")
                return {"id": h.pk}

            results.append(
                run_once(scope="t", key="parallel-key", request_data={}, action=action)[0]
            )
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert RegionalHoliday.objects.count() == 1
    assert len({r["id"] for r in results}) == 1  # type: ignore[index]
    with transaction.atomic():
        assert IdempotencyKey.objects.count() == 1
