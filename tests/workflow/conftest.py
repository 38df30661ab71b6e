"""Fixtures of the workflow tests: one government with two agencies and officers in each role."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from loket.organizations.models import Role
from loket.workflow.escalation import agency_chain, register_escalation, unregister_escalation
from tests import factories
from tests.workflow_testapp.models import Ticket

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Government ids can repeat between tests after a rollback; cached calendars must not.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The factories set passwords; Argon2 would make every officer cost a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def place(db):
    gov = factories.government("18.71")
    return SimpleNamespace(gov=gov, agency=factories.agency(gov))


@pytest.fixture
def org(place):
    gov, agency = place.gov, place.agency
    other_gov = factories.government("18.72")
    other_agency = factories.agency(gov)
    foreign_agency = factories.agency(other_gov)
    people = SimpleNamespace(
        gov=gov,
        other_gov=other_gov,
        agency=agency,
        other_agency=other_agency,
        coordinator=factories.officer(other_agency, Role.COORDINATOR),
        liaison=factories.officer(agency, Role.LIAISON),
        handler=factories.officer(agency, Role.HANDLER),
        supervisor=factories.officer(agency, Role.SUPERVISOR),
        other_supervisor=factories.officer(other_agency, Role.SUPERVISOR),
        other_handler=factories.officer(other_agency, Role.HANDLER),
        leader=factories.officer(agency, Role.LEADER),
        counter=factories.officer(agency, Role.COUNTER_STAFF),
        foreign_coordinator=factories.officer(foreign_agency, Role.COORDINATOR),
        reporter=factories.citizen(),
    )
    return people


@pytest.fixture
def ticket(place):
    def make(state: str = "received", agency=None) -> Ticket:
        return Ticket.objects.create(
            state=state, government=place.gov, agency=agency or place.agency, title="Jalan rusak"
        )

    return make


@pytest.fixture
def escalation():
    register_escalation(
        Ticket,
        agency_chain(
            levels=(Role.SUPERVISOR, Role.COORDINATOR),
            reference=str,
            url=lambda t: f"/backoffice/tiket/{t.pk}/",
        ),
    )
    yield
    unregister_escalation(Ticket)
