"""``loket worker``: run background tasks on every queue, plus the periodic scheduler.

The django_tasks_db worker runs in the main thread; a scheduler thread calls
:func:`loket.core.tasks.tick` every ``LOKET_SCHEDULER_TICK_SECONDS``. SIGINT or SIGTERM lets the
task in progress finish, stops the scheduler and exits with status 0 (a second signal stops at
once). Start as many workers as you like: periodic jobs still run once per period.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from loket.core.tasks import recover_stale_tasks, run_pending_tasks, tick

logger = logging.getLogger("loket.tasks")


class SchedulerThread(threading.Thread):
    """Calls tick() now and then every ``interval`` seconds until stopped."""

    def __init__(self, *, interval: float, worker_id: str) -> None:
        super().__init__(name="loket-scheduler", daemon=True)
        self.interval = interval
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                close_old_connections()
                try:
                    tick(worker=self.worker_id)
                except Exception:
                    # A database hiccup must not kill the scheduler; the next tick retries.
                    logger.exception("Scheduler tick failed")
                self.stopped.wait(self.interval)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()


class LoketWorker(Worker):
    """The django_tasks_db worker that also stops the scheduler when asked to stop."""

    def __init__(self, *, scheduler: SchedulerThread | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scheduler = scheduler

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self.scheduler is not None:
            self.scheduler.stop()
        super().shutdown(signum, frame)

    def run_resiliently(self, *, max_wait: float = 30.0) -> None:
        """Run until asked to stop, surviving a database that goes away: a restart of
        PostgreSQL (or a failover) makes the loop raise; wait, reconnect and go on, so no
        supervisor is needed to bring the worker back. A task cut off mid-way is run again by
        the stale-task recovery."""
        wait = 1.0
        while self.running:
            try:
                self.run()
                return
            except (OperationalError, InterfaceError):
                if not self.running:
                    return
                logger.warning("Database unavailable; the worker retries in %.0f s", wait)
                connection.close()
                self._pause(wait)
                wait = min(wait * 2, max_wait)

    def _pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(0.2)


class Command(BaseCommand):
    help = "Run background tasks from every queue and the periodic scheduler."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Tick the scheduler once, run every ready task, then exit.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when no task is ready (default: 1).",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Run tasks only; another worker runs the periodic scheduler.",
        )
        parser.add_argument("--worker-id", default="", help="Unique id (default: generated).")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options["worker_id"] or (
            f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(6)}"
        )
        if options["batch"]:
            recover_stale_tasks()
            if not options["no_scheduler"]:
                tick(worker=worker_id)
            ran = run_pending_tasks(max_tasks=10_000)
            self.stdout.write(f"Ran {ran} task(s).")
            return

        scheduler = None
        if not options["no_scheduler"]:
            scheduler = SchedulerThread(
                interval=settings.LOKET_SCHEDULER_TICK_SECONDS, worker_id=worker_id
            )
        worker = LoketWorker(
            scheduler=scheduler,
            queue_names=["*"],
            interval=options["interval"],
            batch=False,
            backend_name="default",
            startup_delay=True,
            max_tasks=None,
            worker_id=worker_id[:64],
            excluded_queue_names=[],
        )
        worker.configure_signals()
        if scheduler is not None:
            scheduler.start()
        self.stdout.write(f"Loket worker {worker_id} started.")
        self.stdout.flush()
        try:
            worker.run_resiliently()
        finally:
            if scheduler is not None:
                scheduler.stop()
                scheduler.join(timeout=30)
            worker.reset_signals()
            signal.signal(signal.SIGINT, signal.default_int_handler)
            self.stdout.write("Loket worker stopped.")
            self.stdout.flush()
