"""The one permission model: what each officer role may do, and where.

An officer holds roles through memberships in agencies. Some roles act across their whole
government (a coordinator triages every report of the government; a leader reads every
dashboard); the others act only inside their agency. Every module asks the same question —
``scope.can(capability, government_id=…, agency_id=…)`` — and narrows its querysets with
``scope.agency_ids_for(capability)`` / ``scope.government_ids_for(capability)``, so a missing
object and a forbidden one look the same (both 404).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from loket.organizations.models import Membership, Role

# Capabilities are plain strings "<module>.<verb>"; modules add their own to ROLE_CAPABILITIES.
BACKOFFICE_VIEW = "backoffice.view"
DASHBOARD_VIEW = "dashboard.view"
COMPLAINT_TRIAGE = "complaint.triage"  # verify, reject, forward, merge, dispatch
COMPLAINT_ASSIGN = "complaint.assign"  # liaison assigns a handler inside the agency
COMPLAINT_HANDLE = "complaint.handle"  # handler posts progress and resolves
COMPLAINT_SUPERVISE = "complaint.supervise"  # receives escalations, reassigns
COMPLAINT_READ = "complaint.read"
APPLICATION_PROCESS = "application.process"
APPLICATION_COUNTER = "application.counter"  # apply on behalf of a walk-in citizen
CATALOG_EDIT = "catalog.edit"
PPID_ANSWER = "ppid.answer"
PPID_OBJECTION = "ppid.objection"
QUEUE_CALL = "queue.call"
PAYMENT_CONFIRM = "payment.confirm"  # cashier confirms a fee paid at the counter
REPORTER_IDENTITY_VIEW = "complaint.reporter_identity"
PLATFORM_ADMIN = "platform.admin"

# Roles whose capabilities hold for every agency of their government.
GOVERNMENT_WIDE_ROLES: frozenset[str] = frozenset(
    {Role.COORDINATOR, Role.LEADER, Role.PPID_SUPERIOR, Role.PLATFORM_ADMIN}
)

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset(
        {BACKOFFICE_VIEW, DASHBOARD_VIEW, COMPLAINT_TRIAGE, COMPLAINT_READ, REPORTER_IDENTITY_VIEW}
    ),
    Role.LIAISON: frozenset(
        {
            BACKOFFICE_VIEW,
            COMPLAINT_ASSIGN,
            COMPLAINT_HANDLE,
            COMPLAINT_READ,
            REPORTER_IDENTITY_VIEW,
            APPLICATION_PROCESS,
        }
    ),
    Role.HANDLER: frozenset(
        {
            BACKOFFICE_VIEW,
            COMPLAINT_HANDLE,
            COMPLAINT_READ,
            REPORTER_IDENTITY_VIEW,
            APPLICATION_PROCESS,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            BACKOFFICE_VIEW,
            DASHBOARD_VIEW,
            COMPLAINT_SUPERVISE,
            COMPLAINT_ASSIGN,
            COMPLAINT_READ,
            REPORTER_IDENTITY_VIEW,
            APPLICATION_PROCESS,
            CATALOG_EDIT,
            PAYMENT_CONFIRM,
        }
    ),
    Role.PPID_OFFICER: frozenset({BACKOFFICE_VIEW, PPID_ANSWER}),
    Role.PPID_SUPERIOR: frozenset({BACKOFFICE_VIEW, DASHBOARD_VIEW, PPID_OBJECTION, PPID_ANSWER}),
    Role.COUNTER_STAFF: frozenset(
        {BACKOFFICE_VIEW, APPLICATION_COUNTER, QUEUE_CALL, PAYMENT_CONFIRM}
    ),
    Role.LEADER: frozenset({BACKOFFICE_VIEW, DASHBOARD_VIEW, COMPLAINT_READ}),
    Role.PLATFORM_ADMIN: frozenset(
        {BACKOFFICE_VIEW, DASHBOARD_VIEW, CATALOG_EDIT, PLATFORM_ADMIN, COMPLAINT_READ}
    ),
}


@dataclass(frozen=True)
class Grant:
    role: str
    government_id: int
    agency_id: int


@dataclass
class OfficerScope:
    """Everything one officer may do, computed once per request from their memberships."""

    user_id: int | None
    grants: tuple[Grant, ...] = ()
    is_superuser: bool = False
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    @property
    def government_ids(self) -> frozenset[int]:
        return frozenset(g.government_id for g in self.grants)

    def has_capability(self, capability: str) -> bool:
        return self.is_superuser or any(
            capability in ROLE_CAPABILITIES.get(g.role, frozenset()) for g in self.grants
        )

    def can(self, capability: str, *, government_id: int, agency_id: int | None = None) -> bool:
        """May the officer do ``capability`` on an object of this government (and agency)?"""
        if self.is_superuser:
            return True
        for grant in self.grants:
            if capability not in ROLE_CAPABILITIES.get(grant.role, frozenset()):
                continue
            if grant.government_id != government_id:
                continue
            if grant.role in GOVERNMENT_WIDE_ROLES or agency_id == grant.agency_id:
                return True
        return False

    def government_ids_for(self, capability: str) -> frozenset[int]:
        """Governments in which the officer holds ``capability`` government-wide."""
        return frozenset(
            g.government_id
            for g in self.grants
            if g.role in GOVERNMENT_WIDE_ROLES
            and capability in ROLE_CAPABILITIES.get(g.role, frozenset())
        )

    def agency_ids_for(self, capability: str) -> frozenset[int]:
        """Agencies in which the officer holds ``capability`` through an agency role."""
        return frozenset(
            g.agency_id
            for g in self.grants
            if capability in ROLE_CAPABILITIES.get(g.role, frozenset())
        )

    def roles_in(self, government_id: int) -> frozenset[str]:
        return frozenset(g.role for g in self.grants if g.government_id == government_id)


ANONYMOUS_SCOPE = OfficerScope(user_id=None)


def officer_scope(user: Any) -> OfficerScope:
    """The officer's scope, built with one query and memoised on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS_SCOPE
    cached = getattr(user, "_loket_scope", None)
    if isinstance(cached, OfficerScope):
        return cached
    grants: tuple[Grant, ...] = ()
    if getattr(user, "is_officer", False) or user.is_superuser:
        rows = Membership.objects.filter(
            user=user, is_active=True, agency__is_active=True
        ).values_list("role", "agency__government_id", "agency_id")
        grants = tuple(Grant(role=r, government_id=g, agency_id=a) for r, g, a in rows)
    scope = OfficerScope(user_id=user.pk, grants=grants, is_superuser=bool(user.is_superuser))
    user._loket_scope = scope
    return scope
