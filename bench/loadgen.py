"""A bounded load generator: threads, one keep-alive ``http.client`` connection each, to
127.0.0.1 only. A run stops at ``max_requests`` or after ``max_seconds``, whichever first."""

from __future__ import annotations

import http.client
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.stats import Summary, summarize


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    index: int
    status: int | str
    ms: float
    body: bytes
    started: float


@dataclass
class LoadResult:
    summary: Summary
    outcomes: list[Outcome]


def run_load(
    name: str,
    make: Callable[[int], Request],
    *,
    port: int,
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    ok_statuses: tuple[int, ...] = (200, 201),
    keep_bodies: bool = False,
    timeout: float = 30.0,
    pause: Callable[[], None] | None = None,
) -> LoadResult:
    """Send up to ``max_requests`` requests built by ``make(i)`` from ``concurrency`` threads."""
    if not 1 <= concurrency <= 256 or max_requests < 1 or max_seconds <= 0:
        raise ValueError("bounded runs only")
    counter = itertools.count()
    lock = threading.Lock()
    outcomes: list[Outcome] = []
    start = time.monotonic()
    deadline = start + max_seconds

    def worker() -> None:
        conn: http.client.HTTPConnection | None = None
        while True:
            i = next(counter)
            if i >= max_requests or time.monotonic() >= deadline:
                break
            req = make(i)
            t0 = time.monotonic()
            status: int | str
            body = b""
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                conn.request(req.method, req.path, body=req.body or None, headers=req.headers)
                resp = conn.getresponse()
                body = resp.read()
                status = resp.status
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as exc:
                status = "conn" if isinstance(exc, OSError) else "http"
                if conn is not None:
                    conn.close()
                conn = None
            ms = (time.monotonic() - t0) * 1000
            with lock:
                outcomes.append(Outcome(i, status, ms, body if keep_bodies else b"", t0 - start))
            if pause is not None:
                pause()
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max_seconds + timeout + 5)
    elapsed = time.monotonic() - start
    outcomes.sort(key=lambda o: o.index)
    summary = summarize(
        name,
        [o.ms for o in outcomes],
        [o.status for o in outcomes],
        seconds=elapsed,
        ok_statuses=ok_statuses,
        concurrency=concurrency,
    )
    return LoadResult(summary, outcomes)
