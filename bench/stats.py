"""Pure helpers: percentiles and the summary of one load run."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0–100) by linear interpolation between closest ranks
    (the same definition as numpy's default). Empty input gives ``nan``."""
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    if not values:
        return math.nan
    ordered = sorted(values)
    if len(ordered) == 1:
        return float(ordered[0])
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Summary:
    """One endpoint under one load. Latencies in milliseconds."""

    name: str
    requests: int
    ok: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    throughput_rps: float
    error_rate: float
    concurrency: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "requests": self.requests,
            "ok": self.ok,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "p50_ms": _r(self.p50_ms),
            "p95_ms": _r(self.p95_ms),
            "p99_ms": _r(self.p99_ms),
            "max_ms": _r(self.max_ms),
            "throughput_rps": _r(self.throughput_rps),
            "error_rate": round(self.error_rate, 5),
            "concurrency": self.concurrency,
            "statuses": dict(sorted(self.statuses.items())),
            **self.extra,
        }


def _r(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 2)


def summarize(
    name: str,
    latencies_ms: Iterable[float],
    statuses: Iterable[int | str],
    *,
    seconds: float,
    ok_statuses: Iterable[int] = (200, 201),
    concurrency: int = 0,
) -> Summary:
    """Summarise one run: latencies of every request (successful or not), the status of each
    (an ``int`` HTTP status or a string such as ``"conn"`` for a transport error)."""
    lat = list(latencies_ms)
    sts = list(statuses)
    if len(lat) != len(sts):
        raise ValueError("one latency per status")
    ok_set = set(ok_statuses)
    ok = sum(1 for s in sts if s in ok_set)
    counts: dict[str, int] = {}
    for s in sts:
        counts[str(s)] = counts.get(str(s), 0) + 1
    n = len(sts)
    return Summary(
        name=name,
        requests=n,
        ok=ok,
        errors=n - ok,
        seconds=seconds,
        p50_ms=percentile(lat, 50),
        p95_ms=percentile(lat, 95),
        p99_ms=percentile(lat, 99),
        max_ms=max(lat) if lat else math.nan,
        throughput_rps=(ok / seconds) if seconds > 0 else math.nan,
        error_rate=((n - ok) / n) if n else 0.0,
        concurrency=concurrency,
        statuses=counts,
    )


def ratio(value: float | None, floor: float | None) -> float | None:
    """``value / floor`` rounded to 2 places; None when either is missing or the floor is 0."""
    if value is None or floor is None or floor == 0 or math.isnan(value) or math.isnan(floor):
        return None
    return round(value / floor, 2)
