"""Periodic jobs run once per period, however many workers tick."""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from loket.core.models import ScheduleSlot
from loket.core.tasks import PeriodicJob, register_periodic, tick, unregister_periodic
from tests.tasks import jobs

NOOP = "tests.tasks.jobs.noop"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hourly_job():
    job = register_periodic("test.hourly", timedelta(hours=1), jobs.noop, kwargs={"job": "hourly"})
    yield job
    unregister_periodic("test.hourly")


def test_period_start_is_aligned_and_shared():
    job = PeriodicJob(name="x", every=timedelta(hours=1), task=jobs.noop)
    assert job.period_start(datetime(2026, 3, 2, 10, 59, 59, tzinfo=UTC)) == datetime(
        2026, 3, 2, 10, tzinfo=UTC
    )
    daily_at_one_wib = PeriodicJob(
        name="y", every=timedelta(days=1), task=jobs.noop, offset=timedelta(hours=18)
    )
    # 18:00 UTC is 01:00 WIB the next day.
    assert daily_at_one_wib.period_start(datetime(2026, 3, 2, 17, tzinfo=UTC)) == datetime(
        2026, 3, 1, 18, tzinfo=UTC
    )


def test_register_refuses_the_same_name_for_another_task(hourly_job):
    register_periodic("test.hourly", timedelta(hours=1), jobs.noop)  # same task: fine
    with pytest.raises(ValueError):
        register_periodic("test.hourly", timedelta(hours=1), jobs.flaky)


@pytest.mark.django_db
def test_two_workers_ticking_in_the_same_period_run_the_job_once(hourly_job):
    now = datetime(2026, 3, 2, 10, 15, tzinfo=UTC)
    assert "test.hourly" in tick(now, worker="one")
    assert "test.hourly" not in tick(now + timedelta(minutes=30), worker="two")
    assert ScheduleSlot.objects.filter(name="test.hourly").count() == 1
    task_row = DBTaskResult.objects.get(task_path=NOOP)
    assert task_row.args_kwargs["kwargs"] == {"job": "hourly"}
    assert task_row.queue_name == "default"
    # The next period is claimed again.
    assert "test.hourly" in tick(now + timedelta(hours=1), worker="two")
    assert DBTaskResult.objects.filter(task_path=NOOP).count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_ticks_on_separate_connections_claim_each_period_once(hourly_job):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; this needs PostgreSQL connections")
    start = datetime(2026, 3, 2, 10, 15, tzinfo=UTC)
    claims: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(name: str, barrier: threading.Barrier, now: datetime) -> None:
        try:
            barrier.wait(timeout=30)
            claimed = tick(now, worker=name)
            with lock:
                claims.extend(n for n in claimed if n == "test.hourly")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    for period in range(5):
        barrier = threading.Barrier(2)
        now = start + timedelta(hours=period)
        threads = [threading.Thread(target=worker, args=(f"w{i}", barrier, now)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors
    assert len(claims) == 5
    assert ScheduleSlot.objects.filter(name="test.hourly").count() == 5
    assert DBTaskResult.objects.filter(task_path=NOOP).count() == 5


def _read_line(proc: subprocess.Popen[str], marker: str, limit: float) -> str:
    seen = ""
    end = time.monotonic() + limit
    assert proc.stdout is not None
    while time.monotonic() < end:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline()
            seen += line
            if marker in line:
                return seen
    raise AssertionError(f"{marker!r} not seen; output so far: {seen}")


def _worker_database(tmp_path: Path) -> tuple[dict[str, str], Callable[[], int]]:
    """Environment for a worker process and a way to count its finished jobs.

    On PostgreSQL the process shares the test database; on SQLite (whose test database lives
    in memory) it gets a freshly migrated file of its own.
    """
    path = "loket.core.tasks.recover_stale_tasks_job"
    # A plain (non-test) configuration: the worker runs as it would in production.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LOKET_TESTING"}}
    env["PYTHONUNBUFFERED"] = "1"
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        host = db["HOST"] or "127.0.0.1"
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"

        def finished() -> int:
            return DBTaskResult.objects.filter(
                task_path=path, status=TaskResultStatus.SUCCESSFUL
            ).count()

        return env, finished

    env["LOKET_DATA_DIR"] = str(tmp_path)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )

    table = DBTaskResult._meta.db_table

    def finished_in_file() -> int:
        with closing(sqlite3.connect(tmp_path / "loket.sqlite3", timeout=20)) as db:
            (count,) = db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE task_path = ? AND status = 'SUCCESSFUL'",  # noqa: S608
                [path],
            ).fetchone()
        return int(count)

    return env, finished_in_file


@pytest.mark.django_db(transaction=True)
def test_worker_process_runs_jobs_and_stops_cleanly_on_sigterm(tmp_path):
    env, finished = _worker_database(tmp_path)
    env["LOKET_SCHEDULER_TICK_SECONDS"] = "0.2"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "loket_worker", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _read_line(proc, "started", limit=60)
        end = time.monotonic() + 60
        while time.monotonic() < end and not finished():
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, output
    assert "stopped" in output
    # The scheduler claimed the job and the worker ran it, exactly once for this period.
    assert finished() >= 1
