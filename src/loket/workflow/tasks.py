"""Background jobs of the workflow engine."""

from __future__ import annotations

from dataclasses import asdict

from django.tasks import task

from loket.workflow.services import sweep_sla


@task(queue_name="sweeps")
def sweep_sla_job() -> dict[str, int]:
    """The periodic SLA sweep (see :func:`loket.workflow.services.sweep_sla`)."""
    return asdict(sweep_sla())
