"""The permission model as a table: role × (own agency, other agency, other government)."""

from __future__ import annotations

import pytest

from loket.core import permissions as perms
from loket.organizations.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

# (role, capability, own agency, other agency same government, other government)
MATRIX = [
    (Role.COORDINATOR, perms.COMPLAINT_TRIAGE, True, True, False),
    (Role.LIAISON, perms.COMPLAINT_TRIAGE, False, False, False),
    (Role.LIAISON, perms.COMPLAINT_ASSIGN, True, False, False),
    (Role.HANDLER, perms.COMPLAINT_HANDLE, True, False, False),
    (Role.HANDLER, perms.COMPLAINT_ASSIGN, False, False, False),
    (Role.SUPERVISOR, perms.COMPLAINT_SUPERVISE, True, False, False),
    (Role.PPID_OFFICER, perms.PPID_ANSWER, True, False, False),
    (Role.PPID_OFFICER, perms.COMPLAINT_READ, False, False, False),
    (Role.PPID_SUPERIOR, perms.PPID_OBJECTION, True, True, False),
    (Role.COUNTER_STAFF, perms.APPLICATION_COUNTER, True, False, False),
    (Role.COUNTER_STAFF, perms.COMPLAINT_READ, False, False, False),
    (Role.LEADER, perms.DASHBOARD_VIEW, True, True, False),
    (Role.LEADER, perms.COMPLAINT_TRIAGE, False, False, False),
    (Role.LEADER, perms.COMPLAINT_HANDLE, False, False, False),
    (Role.PLATFORM_ADMIN, perms.PLATFORM_ADMIN, True, True, False),
]


@pytest.mark.parametrize(("role", "capability", "own", "other", "foreign"), MATRIX)
def test_role_matrix(role, capability, own, other, foreign):
    gov, foreign_gov = f.government("18.71"), f.government("18.06")
    mine, theirs, far = f.agency(gov), f.agency(gov), f.agency(foreign_gov)
    scope = perms.officer_scope(f.officer(mine, role))
    assert scope.can(capability, government_id=gov.pk, agency_id=mine.pk) is own
    assert scope.can(capability, government_id=gov.pk, agency_id=theirs.pk) is other
    assert scope.can(capability, government_id=foreign_gov.pk, agency_id=far.pk) is foreign


def test_every_role_has_an_entry():
    assert set(perms.ROLE_CAPABILITIES) == set(Role.values)


def test_citizen_and_anonymous_have_no_capability():
    from django.contrib.auth.models import AnonymousUser

    assert not perms.officer_scope(f.citizen()).has_capability(perms.BACKOFFICE_VIEW)
    assert not perms.officer_scope(AnonymousUser()).has_capability(perms.BACKOFFICE_VIEW)


def test_inactive_membership_grants_nothing():
    gov = f.government()
    ag = f.agency(gov)
    user = f.officer(ag, Role.HANDLER)
    user.memberships.update(is_active=False)
    assert not perms.officer_scope(user).has_capability(perms.COMPLAINT_HANDLE)


def test_scope_is_one_query(django_assert_num_queries):
    gov = f.government()
    user = f.officer(f.agency(gov), Role.HANDLER)
    for _ in range(3):
        from loket.organizations.models import Membership

        Membership.objects.create(user=user, agency=f.agency(gov), role=Role.LIAISON)
    with django_assert_num_queries(1):
        scope = perms.officer_scope(user)
        perms.officer_scope(user)
    assert len(scope.grants) == 4
