"""Settings for the load and fault runs only: Loket's settings plus the bench app, whose
bare views give the framework's floor (one row inserted, one row read) on the same server.
Production settings and URLs are untouched; ``python -m bench run`` selects this module."""

from __future__ import annotations

import os
from datetime import timedelta

from loket.settings import *  # noqa: F403
from loket.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.floorapp"]
ROOT_URLCONF = "bench.urls"

# How often the worker's scheduler looks for stale tasks during the fault run (production:
# every 5 minutes); read by bench.floorapp.apps.
BENCH_STALE_RECOVERY_EVERY = timedelta(
    seconds=float(os.environ.get("LOKET_BENCH_STALE_RECOVERY_SECONDS", "300"))
)
