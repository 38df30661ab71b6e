"""Who may see and manage satisfaction-survey data in the back office.

- Reports and exports: the ``DASHBOARD_VIEW`` capability. Leaders, coordinators, PPID
  superiors and platform administrators hold it government-wide (every agency and the
  government's total); a supervisor (head of agency) holds it for their own agency only.
- Paper-survey import and kiosk devices: a supervisor for their agency; a coordinator or a
  platform administrator for every agency of their government. Leaders only read.
- The weight convention (exact 1/9 or 0.111): a coordinator or platform administrator of the
  government.

Anything outside the officer's reach is answered with 404, like a page that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from loket.core import permissions as perms
from loket.organizations.models import Agency, Government, Role

MANAGE_AGENCY_ROLES = frozenset({Role.SUPERVISOR})
MANAGE_GOVERNMENT_ROLES = frozenset({Role.COORDINATOR, Role.PLATFORM_ADMIN})
WEIGHT_ROLES = frozenset({Role.COORDINATOR, Role.PLATFORM_ADMIN})


@dataclass(frozen=True)
class Reach:
    """Governments an officer covers as a whole, and single agencies beyond those."""

    everything: bool
    government_ids: frozenset[int]
    agency_ids: frozenset[int]

    @property
    def empty(self) -> bool:
        return not (self.everything or self.government_ids or self.agency_ids)

    def covers_government(self, government_id: int) -> bool:
        return self.everything or government_id in self.government_ids

    def covers(self, *, government_id: int, agency_id: int) -> bool:
        return self.covers_government(government_id) or agency_id in self.agency_ids

    def agencies(self) -> QuerySet[Agency]:
        qs = Agency.objects.filter(is_active=True).select_related("government")
        if not self.everything:
            qs = qs.filter(Q(government_id__in=self.government_ids) | Q(pk__in=self.agency_ids))
        return qs.order_by("government__name", "name")

    def governments(self) -> QuerySet[Government]:
        qs = Government.objects.all()
        if not self.everything:
            qs = qs.filter(
                Q(pk__in=self.government_ids) | Q(agencies__pk__in=self.agency_ids)
            ).distinct()
        return qs.order_by("name")


def report_reach(scope: perms.OfficerScope) -> Reach:
    """Where the officer may read IKM reports."""
    return Reach(
        everything=scope.is_superuser,
        government_ids=scope.government_ids_for(perms.DASHBOARD_VIEW),
        agency_ids=scope.agency_ids_for(perms.DASHBOARD_VIEW),
    )


def _by_roles(scope: perms.OfficerScope, *, wide: frozenset[str], agency: frozenset[str]) -> Reach:
    return Reach(
        everything=scope.is_superuser,
        government_ids=frozenset(g.government_id for g in scope.grants if g.role in wide),
        agency_ids=frozenset(g.agency_id for g in scope.grants if g.role in agency),
    )


def manage_reach(scope: perms.OfficerScope) -> Reach:
    """Where the officer may import paper surveys and manage kiosk devices."""
    return _by_roles(scope, wide=MANAGE_GOVERNMENT_ROLES, agency=MANAGE_AGENCY_ROLES)


def weight_reach(scope: perms.OfficerScope) -> Reach:
    """Governments whose weight convention the officer may change."""
    return _by_roles(scope, wide=WEIGHT_ROLES, agency=frozenset())
