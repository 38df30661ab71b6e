"""Tasks commit with their data, retry with backoff, give up visibly, and recover."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from loket.core.models import IdempotencyKey, ScheduleSlot, TaskGiveUp
from loket.core.tasks import (
    ATTEMPT_KWARG,
    periodic_jobs,
    purge_expired_records,
    recover_stale_tasks,
    retry_delay,
    run_pending_tasks,
)
from tests.tasks import jobs

pytestmark = pytest.mark.django_db

FLAKY = "tests.tasks.jobs.flaky"


def rows(path: str = FLAKY):
    return DBTaskResult.objects.filter(task_path=path)


class Boom(Exception):
    pass


def test_task_enqueued_in_a_rolled_back_transaction_does_not_exist():
    with pytest.raises(Boom), transaction.atomic():
        jobs.noop.enqueue(reason="rollback")
        assert rows("tests.tasks.jobs.noop").count() == 1  # visible inside the transaction
        raise Boom
    assert not rows("tests.tasks.jobs.noop").exists()

    with transaction.atomic():
        jobs.noop.enqueue(reason="commit")
    assert rows("tests.tasks.jobs.noop").count() == 1


def test_retry_is_a_new_deferred_row_with_the_next_attempt_number():
    jobs.flaky.enqueue(name="a", fail_times=2)
    before = timezone.now()
    assert run_pending_tasks() == 1
    first = rows().get(args_kwargs__kwargs__name="a", status=TaskResultStatus.FAILED)
    assert "RuntimeError" in first.exception_class_path
    retry = rows().get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"] == {ATTEMPT_KWARG: 2, "name": "a", "fail_times": 2}
    # Backoff of 10 s, shortened by at most a quarter by the jitter.
    assert before + timedelta(seconds=7.5) <= retry.run_after
    assert retry.run_after <= timezone.now() + timedelta(seconds=10)
    # Not due yet: a normal run leaves it alone.
    assert run_pending_tasks() == 0


def test_retries_until_success():
    jobs.flaky.enqueue(name="b", fail_times=2)
    for _ in range(5):
        run_pending_tasks(include_deferred=True)
    assert jobs.CALLS["b"] == 3
    statuses = sorted(rows().values_list("status", flat=True))
    assert statuses == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert rows().get(status=TaskResultStatus.SUCCESSFUL).return_value == 3
    assert not TaskGiveUp.objects.exists()


def test_gives_up_visibly_after_the_last_attempt():
    jobs.flaky.enqueue(name="c", fail_times=99)
    for _ in range(6):
        run_pending_tasks(include_deferred=True)
    assert jobs.CALLS["c"] == 3  # max_attempts
    give_up = TaskGiveUp.objects.get()
    assert give_up.task_path == FLAKY
    assert give_up.attempts == 3
    assert give_up.arguments == {"name": "c", "fail_times": 99}
    assert "not yet" in give_up.last_error
    assert jobs.GAVE_UP == [{"kwargs": {"name": "c", "fail_times": 99}, "error": "RuntimeError"}]
    assert not rows().filter(status=TaskResultStatus.READY).exists()


def test_permanent_error_gives_up_at_once():
    jobs.hopeless.enqueue(name="d")
    run_pending_tasks(include_deferred=True)
    run_pending_tasks(include_deferred=True)
    assert jobs.CALLS["d"] == 1
    assert TaskGiveUp.objects.get().attempts == 1


def test_reliable_tasks_take_json_keyword_arguments_only():
    with pytest.raises(TypeError):
        jobs.flaky.enqueue("positional")
    with pytest.raises(TypeError):
        jobs.flaky.enqueue(name=object(), fail_times=0)
    assert not rows().exists()


def test_retry_delay_grows_exponentially_and_is_capped():
    kwargs = {"backoff": timedelta(seconds=30), "max_backoff": timedelta(minutes=10)}
    no_jitter = [retry_delay(a, rand=lambda: 0.0, **kwargs).total_seconds() for a in range(1, 8)]
    assert no_jitter == [30, 60, 120, 240, 480, 600, 600]
    full_jitter = retry_delay(3, rand=lambda: 1.0, **kwargs).total_seconds()
    assert full_jitter == pytest.approx(90)
    for _ in range(50):
        assert timedelta(minutes=7.5) <= retry_delay(20, **kwargs) <= timedelta(minutes=10)


def test_stale_running_tasks_go_back_to_ready(settings):
    settings.LOKET_TASK_STALE_SECONDS = 600
    stale = jobs.noop.enqueue(which="stale")
    fresh = jobs.noop.enqueue(which="fresh")
    now = timezone.now()
    DBTaskResult.objects.filter(pk=stale.id).update(
        status=TaskResultStatus.RUNNING, started_at=now - timedelta(seconds=601)
    )
    DBTaskResult.objects.filter(pk=fresh.id).update(
        status=TaskResultStatus.RUNNING, started_at=now - timedelta(seconds=30)
    )
    assert recover_stale_tasks(now=now) == 1
    assert DBTaskResult.objects.get(pk=stale.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=fresh.id).status == TaskResultStatus.RUNNING
    assert run_pending_tasks() == 1
    assert DBTaskResult.objects.get(pk=stale.id).status == TaskResultStatus.SUCCESSFUL


def test_purge_removes_idempotency_keys_older_than_48_hours():
    now = timezone.now()
    old = IdempotencyKey.objects.create(scope="s", key="old", fingerprint="f")
    recent = IdempotencyKey.objects.create(scope="s", key="recent", fingerprint="f")
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=now - timedelta(hours=49))
    IdempotencyKey.objects.filter(pk=recent.pk).update(created_at=now - timedelta(hours=47))
    ScheduleSlot.objects.create(name="x", period_start=now - timedelta(days=8))
    result = purge_expired_records(now=now)
    assert result == {"idempotency_keys": 1, "schedule_slots": 1}
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]


def test_core_periodic_jobs_are_discovered():
    names = {job.name for job in periodic_jobs()}
    assert {"core.recover_stale_tasks", "core.purge_expired_records"} <= names


def test_worker_command_in_batch_mode_ticks_and_runs_everything():
    jobs.noop.enqueue(which="queued")
    out = io.StringIO()
    call_command("loket_worker", "--batch", stdout=out)
    assert "Ran " in out.getvalue()
    assert rows("tests.tasks.jobs.noop").get().status == TaskResultStatus.SUCCESSFUL
    ran = DBTaskResult.objects.filter(
        task_path__in=[
            "loket.core.tasks.recover_stale_tasks_job",
            "loket.core.tasks.purge_expired_records_job",
        ],
        status=TaskResultStatus.SUCCESSFUL,
    )
    assert ran.count() == 2
    assert ScheduleSlot.objects.filter(name__startswith="core.").count() == 2
