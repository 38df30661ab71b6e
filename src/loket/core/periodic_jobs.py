"""Periodic jobs of the core app (discovered by loket.core.tasks.discover_periodic_jobs)."""

from __future__ import annotations

from datetime import timedelta

from loket.core.tasks import purge_expired_records_job, recover_stale_tasks_job, register_periodic

register_periodic("core.recover_stale_tasks", timedelta(minutes=5), recover_stale_tasks_job)
register_periodic("core.purge_expired_records", timedelta(hours=1), purge_expired_records_job)
