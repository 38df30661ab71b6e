"""Tasks used by the tests (tasks must live at module level to be found by path)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from django.tasks import task

from loket.core.tasks import PermanentTaskError, reliable_task

CALLS: Counter[str] = Counter()
GAVE_UP: list[dict[str, Any]] = []


def remember_give_up(kwargs: dict[str, Any], exc: BaseException) -> None:
    GAVE_UP.append({"kwargs": kwargs, "error": type(exc).__name__})


@reliable_task(
    max_attempts=3,
    backoff=timedelta(seconds=10),
    max_backoff=timedelta(minutes=5),
    on_give_up=remember_give_up,
)
def flaky(*, name: str, fail_times: int) -> int:
    CALLS[name] += 1
    if CALLS[name] <= fail_times:
        raise RuntimeError("not yet")
    return CALLS[name]


@reliable_task(max_attempts=5)
def hopeless(*, name: str) -> None:
    CALLS[name] += 1
    raise PermanentTaskError("this can never work")


@task()
def noop(**kwargs: Any) -> str:
    return "ok"
