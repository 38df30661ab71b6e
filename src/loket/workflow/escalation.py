"""Escalation policies: who hears about an SLA breach, per subject type and level.

A module registers one handler per subject model, usually from its ``apps.py`` ``ready()``::

    register_escalation(Complaint, agency_chain(
        levels=(Role.SUPERVISOR, Role.COORDINATOR),
        reference=lambda complaint: complaint.tracking_number,
        url=lambda complaint: reverse("backoffice:complaint", args=[complaint.pk]),
    ))

The sweep calls ``handler(subject, timer, level)`` for level 1 when it marks the breach and
for each further level ``interval_working_days`` working days after the previous one. The
handler returns an :class:`Escalation` (recipients and a reference that contains no personal
data) or None when there is no such level; the engine sends the notifications and writes the
audit entries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from loket.workflow.models import SlaTimer


@dataclass(frozen=True)
class Escalation:
    """One escalation level: who is told, in which role, about which subject.

    ``reference`` is what the recipient sees (a tracking number, never a name or NIK);
    ``url`` a path inside Loket.
    """

    recipients: Sequence[Any]
    role: str
    reference: str
    url: str = ""


EscalationHandler = Callable[[Any, "SlaTimer", int], Escalation | None]


@dataclass(frozen=True)
class EscalationPolicy:
    handler: EscalationHandler
    interval_working_days: int = 1


_policies: dict[str, EscalationPolicy] = {}


def _key(model: type[models.Model] | str) -> str:
    return model if isinstance(model, str) else model._meta.label_lower


def register_escalation(
    model: type[models.Model] | str,
    handler: EscalationHandler,
    *,
    interval_working_days: int = 1,
) -> EscalationPolicy:
    """Use ``handler`` for breached timers of ``model`` (a model class or "app_label.model").

    Registering again replaces the policy (the last registration wins).
    """
    if interval_working_days < 1:
        raise ValueError("the escalation interval must be at least one working day")
    policy = EscalationPolicy(handler=handler, interval_working_days=interval_working_days)
    _policies[_key(model)] = policy
    return policy


def unregister_escalation(model: type[models.Model] | str) -> None:
    _policies.pop(_key(model), None)


def escalation_policy(model: type[models.Model] | str) -> EscalationPolicy | None:
    return _policies.get(_key(model))


def agency_chain(
    *,
    levels: Sequence[str],
    reference: Callable[[Any], str] = str,
    url: Callable[[Any], str] = lambda subject: "",
) -> EscalationHandler:
    """A handler that tells, at level n, the active officers holding role ``levels[n-1]``.

    Roles that act government-wide (coordinator, PPID superior, leader …) are looked up in the
    subject's government; the others in the subject's agency (``subject.agency_id``).
    """
    from loket.core.permissions import GOVERNMENT_WIDE_ROLES
    from loket.organizations.models import Membership

    def handler(subject: Any, timer: SlaTimer, level: int) -> Escalation | None:
        if level < 1 or level > len(levels):
            return None
        role = levels[level - 1]
        members = Membership.objects.filter(
            role=role, is_active=True, user__is_active=True, agency__is_active=True
        )
        if role in GOVERNMENT_WIDE_ROLES:
            members = members.filter(agency__government_id=subject.government_id)
        else:
            agency_id: int | None = getattr(subject, "agency_id", None)
            # A subject not yet dispatched to an agency has nobody at an agency level.
            members = members.filter(agency_id=agency_id) if agency_id else members.none()
        seen: dict[int, Any] = {}
        for membership in members.select_related("user").order_by("user_id"):
            seen.setdefault(membership.user_id, membership.user)
        return Escalation(
            recipients=list(seen.values()),
            role=str(role),
            reference=reference(subject),
            url=url(subject),
        )

    return handler
