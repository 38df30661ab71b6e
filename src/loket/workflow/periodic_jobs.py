"""Periodic jobs of the workflow engine (discovered by loket.core.tasks)."""

from __future__ import annotations

from datetime import timedelta

from loket.core.tasks import register_periodic
from loket.workflow.tasks import sweep_sla_job

# Every 15 minutes: deadlines end at midnight local time, so a breach is noticed within a
# quarter of an hour; escalations beyond level 1 wait whole working days anyway.
register_periodic("workflow.sweep_sla", timedelta(minutes=15), sweep_sla_job)
