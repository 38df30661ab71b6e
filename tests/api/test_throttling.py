"""Rate limits count each caller's requests per window of the rate's period."""

from __future__ import annotations

import pytest
from django.test import override_settings

from loket.api import throttling

RATES = {"anon": "2/min", "user": "3/min", "integrator": "1200/min", "write": "30/min"}


@pytest.fixture
def clock(throttle_clock):
    throttle_clock[0] = 1_800_000_000.0 + 50  # 50 s into a minute
    return throttle_clock


def _get(api, **headers):
    from django.conf import settings

    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": RATES}
    ):
        return api.get("/api/v1/regions/", **headers)


def test_the_next_window_lets_the_caller_in_again(api, lampung, clock):
    assert [_get(api).status_code for _ in range(3)] == [200, 200, 429]
    refused = _get(api)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "10"  # the window closes at the minute

    clock[0] += 10  # the next minute's window
    assert [_get(api).status_code for _ in range(3)] == [200, 200, 429]


def test_each_window_has_its_own_counter(db):
    start = 1_800_000_000.0
    assert throttling.count_request("throttle_probe", 60, start, 5) == 1
    assert throttling.count_request("throttle_probe", 60, start + 59.9, 5) == 2
    assert throttling.count_request("throttle_probe", 60, start + 60, 5) == 1
    assert throttling.count_request("throttle_other", 60, start + 60, 5) == 1


def test_on_the_database_cache_a_refused_request_writes_nothing(db, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(throttling, "fast_cache", lambda: False)
    start = 1_800_000_000.0
    for expected in (1, 2):
        assert throttling.count_request("throttle_db", 60, start, 2) == expected
    writes = []
    for name in ("set", "add", "incr"):
        monkeypatch.setattr(cache, name, lambda *a, name=name, **k: writes.append(name))
    assert throttling.count_request("throttle_db", 60, start, 2) == 3
    assert writes == []
