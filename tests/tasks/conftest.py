from __future__ import annotations

import pytest

from tests.tasks import jobs


@pytest.fixture(autouse=True)
def _fresh_counters():
    jobs.CALLS.clear()
    jobs.GAVE_UP.clear()
    yield
