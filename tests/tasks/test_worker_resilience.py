"""A worker whose database goes away waits and carries on instead of exiting."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from loket.core.management.commands.loket_worker import LoketWorker


def _worker() -> LoketWorker:
    return LoketWorker(
        scheduler=None,
        queue_names=["*"],
        interval=0.01,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


@pytest.mark.django_db
def test_worker_survives_database_errors(monkeypatch):
    worker = _worker()
    calls = []

    def flaky_run():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")
        worker.running = False

    monkeypatch.setattr(worker, "run", flaky_run)
    monkeypatch.setattr(worker, "_pause", lambda seconds: None)
    worker.run_resiliently()
    assert len(calls) == 3


@pytest.mark.django_db
def test_other_errors_still_stop_the_worker(monkeypatch):
    worker = _worker()

    def broken_run():
        raise RuntimeError("bug")

    monkeypatch.setattr(worker, "run", broken_run)
    with pytest.raises(RuntimeError):
        worker.run_resiliently()
