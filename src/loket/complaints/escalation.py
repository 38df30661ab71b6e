"""Who hears about a complaint clock that ran out (registered with the engine's SLA sweep).

* ``follow_up`` and ``settle`` (the agency's clocks): level 1 the agency's supervisor(s),
  level 2 — one working day later if still running — the government's coordinator(s).
* ``triage`` (the coordinator's own clock): level 1 the government's coordinator(s).
* ``confirmation`` never escalates: it is the reporter's deadline and ends in auto-close.

The engine sends the ``workflow.sla_escalation`` notification and writes the
``workflow.sla_escalated`` audit entry for each level; the reference is the tracking number.
"""

from __future__ import annotations

from typing import Any

from loket.organizations.models import Role
from loket.workflow.escalation import Escalation, agency_chain, register_escalation

AGENCY_LEVELS = (Role.SUPERVISOR, Role.COORDINATOR)
TRIAGE_LEVELS = (Role.COORDINATOR,)


def _reference(complaint: Any) -> str:
    return str(complaint.tracking_number)


def _url(complaint: Any) -> str:
    from loket.complaints.selectors import office_path

    return office_path(complaint.pk)


_agency = agency_chain(levels=AGENCY_LEVELS, reference=_reference, url=_url)
_triage = agency_chain(levels=TRIAGE_LEVELS, reference=_reference, url=_url)


def complaint_escalation(complaint: Any, timer: Any, level: int) -> Escalation | None:
    if timer.stage == "confirmation":
        return None
    if timer.stage == "triage" or getattr(complaint, "agency_id", None) is None:
        return _triage(complaint, timer, level)
    return _agency(complaint, timer, level)


def register() -> None:
    from loket.complaints.models import Complaint
    from loket.complaints.services import register_hooks

    register_escalation(Complaint, complaint_escalation, interval_working_days=1)
    register_hooks()
