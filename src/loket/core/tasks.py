"""Background work on Django's tasks API (backend ``django_tasks_db``, see ``settings.TASKS``).

Transactions
    The database backend writes the task row with the caller's connection, so a task enqueued
    inside ``transaction.atomic()`` exists if and only if the surrounding data commits: a
    service writes its rows, calls ``log_action`` and enqueues follow-up work in one
    transaction, and a rollback leaves no task behind. No ``on_commit`` dance is needed.

Idempotency
    Every task must be safe to run twice. A worker killed mid-task leaves its row RUNNING;
    :func:`recover_stale_tasks` (a periodic job) puts rows running longer than
    ``settings.LOKET_TASK_STALE_SECONDS`` back to READY and they run again. Pass ids, not
    objects, and re-check state in the task (``select_for_update`` or a compare-and-set
    ``UPDATE … WHERE status = …``). Task arguments are JSON keyword arguments; never pass
    personal data (NIK, phone, email) as an argument: it would sit in the task table and logs.

Retries
    ``@reliable_task(queue_name=…, max_attempts=…, backoff=…)`` turns an exception into a new
    row of the same task that runs after an exponential, jittered delay, with the attempt number
    in the reserved ``_attempt`` keyword. After the last attempt (or at once on
    :class:`PermanentTaskError`) it writes a :class:`~loket.core.models.TaskGiveUp` row, calls
    the task's ``on_give_up`` hook in the same transaction, and logs an error. The failed row
    itself stays FAILED with its traceback, so every attempt is visible.

Periodic jobs
    Each app may have a ``periodic_jobs.py`` that calls :func:`register_periodic`; the modules
    are discovered when the core app is ready. :func:`tick` claims the current period of each
    job by inserting a ``ScheduleSlot`` row (unique on name and period start) and enqueues the
    job's task in the same transaction, so a job runs once per period however many workers
    tick. ``loket worker`` ticks every ``settings.LOKET_SCHEDULER_TICK_SECONDS``.

Tests and the demo
    :func:`run_pending_tasks` runs ready tasks in-process, one at a time, with the same code
    path as the worker.
"""

from __future__ import annotations

import functools
import json
import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.tasks import DEFAULT_TASK_QUEUE_NAME, Task, TaskResult, TaskResultStatus, task
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import autodiscover_modules

from loket.core.models import IdempotencyKey, ScheduleSlot, TaskGiveUp

logger = logging.getLogger("loket.tasks")

ATTEMPT_KWARG = "_attempt"
IDEMPOTENCY_KEY_TTL = timedelta(hours=48)
SCHEDULE_SLOT_TTL = timedelta(days=7)
_EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday, so weekly periods start on Mondays

GiveUpHook = Callable[[dict[str, Any], BaseException], None]


class PermanentTaskError(Exception):
    """Raised by a task when trying again can never help; it gives up at once."""


def retry_delay(
    attempt: int,
    *,
    backoff: timedelta,
    max_backoff: timedelta,
    jitter: float = 0.25,
    rand: Callable[[], float] = random.random,
) -> timedelta:
    """Delay before attempt ``attempt + 1``: ``backoff * 2**(attempt-1)`` capped at
    ``max_backoff``, then shortened by up to ``jitter`` (a fraction) so that many failing
    tasks do not all come back at the same instant. Never more than ``max_backoff``."""
    base = min(max_backoff.total_seconds(), backoff.total_seconds() * 2 ** max(attempt - 1, 0))
    return timedelta(seconds=base * (1 - jitter * rand()))


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__}: {exc}"[:2000]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReliableTask(Task[..., Any]):
    """A task that retries with backoff and gives up visibly. Keyword arguments only."""

    max_attempts: int = 5
    backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(hours=1)
    on_give_up: GiveUpHook | None = None

    def enqueue(self, *args: Any, **kwargs: Any) -> TaskResult[..., Any]:
        if args:
            raise TypeError("reliable tasks take keyword arguments only")
        # Fail in the caller, not in the worker, when an argument cannot be stored.
        json.dumps(kwargs)
        return Task.enqueue(self, **kwargs)

    def handle_failure(self, *, kwargs: dict[str, Any], attempt: int, exc: Exception) -> None:
        """Schedule the next attempt, or record that the task gave up."""
        path = self.module_path
        if attempt < self.max_attempts and not isinstance(exc, PermanentTaskError):
            delay = retry_delay(attempt, backoff=self.backoff, max_backoff=self.max_backoff)
            self.using(run_after=timezone.now() + delay).enqueue(
                **{ATTEMPT_KWARG: attempt + 1}, **kwargs
            )
            logger.warning(
                "Task %s failed on attempt %d of %d (%s); next attempt in %d s",
                path,
                attempt,
                self.max_attempts,
                type(exc).__name__,
                delay.total_seconds(),
            )
            return
        with transaction.atomic():
            TaskGiveUp.objects.create(
                task_path=path, arguments=kwargs, attempts=attempt, last_error=_describe(exc)
            )
            if self.on_give_up is not None:
                self.on_give_up(kwargs, exc)
        logger.error("Task %s gave up after %d attempt(s) (%s)", path, attempt, type(exc).__name__)


def reliable_task(
    *,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
    max_attempts: int = 5,
    backoff: timedelta = timedelta(seconds=30),
    max_backoff: timedelta = timedelta(hours=1),
    priority: int = 0,
    on_give_up: GiveUpHook | None = None,
) -> Callable[[Callable[..., Any]], ReliableTask]:
    """Decorate a module-level function taking JSON keyword arguments as a retrying task.

    ``on_give_up(kwargs, exc)`` runs in the transaction that records the TaskGiveUp row, e.g.
    to mark the business object as failed. The function never sees ``_attempt``.
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")

    def decorate(func: Callable[..., Any]) -> ReliableTask:
        holder: list[ReliableTask] = []

        # functools.wraps keeps the module and qualified name, so the stored task path
        # resolves back to the ReliableTask object bound to the function's own name.
        @functools.wraps(func)
        def run(**kwargs: Any) -> Any:
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                return func(**kwargs)
            except Exception as exc:
                holder[0].handle_failure(kwargs=kwargs, attempt=attempt, exc=exc)
                raise

        created = ReliableTask(
            func=run,
            queue_name=queue_name,
            priority=priority,
            max_attempts=max_attempts,
            backoff=backoff,
            max_backoff=max_backoff,
            on_give_up=on_give_up,
        )
        holder.append(created)
        return created

    return decorate


def is_waiting(task_obj: Task[..., Any]) -> bool:
    """Whether a run of ``task_obj`` is queued and due, not yet taken by a worker (as this
    transaction sees the queue). Lets a caller queue one run for many pieces of work: a run
    queued in a transaction that rolls back is gone with it."""
    from django_tasks_db.models import get_date_max

    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            _waiting_sql(connection.alias),
            [TaskResultStatus.READY, task_obj.module_path, adapt(get_date_max()),
             adapt(timezone.now())],
        )  # fmt: skip
        return cursor.fetchone() is not None


@functools.cache
def _waiting_sql(alias: str) -> str:
    """The ``ready()`` filter of django-tasks-db, written out once: :func:`is_waiting` runs
    inside busy transactions (every notification), where building the query cost more than
    running it."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    quote = connections[alias].ops.quote_name
    meta = DBTaskResult._meta
    column = {f.name: quote(str(f.column)) for f in meta.concrete_fields}
    return (
        f"SELECT 1 FROM {quote(meta.db_table)} WHERE {column['status']} = %s"  # noqa: S608
        f" AND {column['task_path']} = %s"
        f" AND ({column['run_after']} = %s OR {column['run_after']} <= %s) LIMIT 1"
    )


# --- periodic jobs --------------------------------------------------------------------------
@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: Task[..., Any]
    offset: timedelta = timedelta(0)
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def period_start(self, now: datetime) -> datetime:
        """Start of the period containing ``now``; periods are aligned on a fixed epoch
        (plus ``offset``), so every worker computes the same boundaries."""
        origin = _EPOCH + self.offset
        periods = (now - origin) // self.every
        return origin + periods * self.every


_jobs: dict[str, PeriodicJob] = {}
_discovered = False


def register_periodic(
    name: str,
    every: timedelta,
    task: Task[..., Any],
    *,
    offset: timedelta = timedelta(0),
    kwargs: Mapping[str, Any] | None = None,
) -> PeriodicJob:
    """Run ``task`` once every ``every`` (at most once per period across all workers).

    Call it from an app's ``periodic_jobs.py``. Registering the same name twice with the same
    task is harmless; with another task it is an error.
    """
    if every <= timedelta(0):
        raise ValueError("a period must be positive")
    job = PeriodicJob(name=name, every=every, task=task, offset=offset, kwargs=dict(kwargs or {}))
    existing = _jobs.get(name)
    if existing is not None and existing.task.module_path != task.module_path:
        raise ValueError(f"periodic job {name!r} is already registered for another task")
    _jobs[name] = job
    return job


def unregister_periodic(name: str) -> None:
    _jobs.pop(name, None)


def discover_periodic_jobs() -> None:
    """Import every installed app's ``periodic_jobs`` module (once)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("periodic_jobs")
        _discovered = True


def periodic_jobs() -> list[PeriodicJob]:
    discover_periodic_jobs()
    return sorted(_jobs.values(), key=lambda job: job.name)


def tick(now: datetime | None = None, *, worker: str = "") -> list[str]:
    """Claim and enqueue every periodic job whose current period is unclaimed.

    Returns the names this call claimed. Safe to call from any number of workers at once:
    the unique ScheduleSlot row decides, and the task row commits with it or not at all.
    """
    now = now or timezone.now()
    claimed: list[str] = []
    for job in periodic_jobs():
        start = job.period_start(now)
        try:
            with transaction.atomic():
                ScheduleSlot.objects.create(name=job.name, period_start=start, worker=worker[:100])
                job.task.enqueue(**job.kwargs)
        except IntegrityError:
            continue  # another worker has this period
        claimed.append(job.name)
    return claimed


# --- recovery and housekeeping --------------------------------------------------------------
def recover_stale_tasks(*, now: datetime | None = None) -> int:
    """Put tasks that have been RUNNING longer than LOKET_TASK_STALE_SECONDS back to READY.

    Such a task belonged to a worker that died; tasks are idempotent, so running it again is
    safe. A task that legitimately runs that long would run twice: keep tasks short.
    """
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.LOKET_TASK_STALE_SECONDS)
    count = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY)
    if count:
        logger.warning("Recovered %d task(s) left running by a stopped worker", count)
    return count


def purge_expired_records(*, now: datetime | None = None) -> dict[str, int]:
    """Delete idempotency keys older than 48 hours and schedule slots older than a week."""
    now = now or timezone.now()
    keys, _ = IdempotencyKey.objects.filter(created_at__lt=now - IDEMPOTENCY_KEY_TTL).delete()
    slots, _ = ScheduleSlot.objects.filter(period_start__lt=now - SCHEDULE_SLOT_TTL).delete()
    return {"idempotency_keys": keys, "schedule_slots": slots}


@task(queue_name="sweeps")
def recover_stale_tasks_job() -> int:
    return recover_stale_tasks()


@task(queue_name="sweeps")
def purge_expired_records_job() -> dict[str, int]:
    return purge_expired_records()


# --- running tasks in-process ---------------------------------------------------------------
def run_pending_tasks(
    *,
    max_tasks: int = 100,
    include_deferred: bool = False,
    queue_names: list[str] | None = None,
) -> int:
    """Run ready tasks one by one in this process and return how many ran.

    Uses the django_tasks_db worker's claim-and-run steps (without its connection recycling,
    so it also works inside a test transaction). ``include_deferred`` first makes every
    waiting task due now: tests use it to play retries forward without sleeping.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    if include_deferred:
        DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, run_after__gt=timezone.now()
        ).update(run_after=timezone.now())
    worker = Worker(
        queue_names=queue_names or ["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=f"inline-{get_random_string(12)}",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < max_tasks:
        ready = DBTaskResult.objects.ready().filter(backend_name=worker.backend_name)
        if queue_names:
            ready = ready.filter(queue_name__in=queue_names)
        with exclusive_transaction(ready.db):
            claimed = ready.get_locked()
            if claimed is not None:
                claimed.claim(worker.worker_id)
        if claimed is None:
            break
        worker.run_task(claimed)
        ran += 1
    return ran
