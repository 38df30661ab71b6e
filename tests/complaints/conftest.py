"""Fixtures of the complaint tests: a kota with two agencies, a neighbouring government, officers
in every role, categories and a helper that drives a report to any state through the services."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from loket.complaints.models import Category, RoutingRule
from loket.organizations.models import Role
from tests import factories

WIB = ZoneInfo("Asia/Jakarta")
PIN = (-5.4292, 105.2610)  # Tugu Adipura, Bandar Lampung


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org(db):
    gov = factories.government("18.71")
    other_gov = factories.government("18.72")
    village = factories.region("18.71.01.1001", "Kelurahan Satu")
    village2 = factories.region("18.71.02.1002", "Kelurahan Dua")
    foreign_village = factories.region("18.72.01.1001", "Kelurahan Metro")
    pupr = factories.agency(gov, "pupr")
    dlh = factories.agency(gov, "dlh")
    kominfo = factories.agency(gov, "kominfo")
    foreign_agency = factories.agency(other_gov, "pupr-lain")
    infra = Category.objects.create(government=gov, name="Infrastruktur", service_code="T-INFRA")
    road = Category.objects.create(
        government=gov,
        parent=infra,
        name="Jalan rusak",
        service_code="T-JALAN",
        requires_after_photo=True,
        attributes=[
            {"code": "LEBAR", "datatype": "number", "required": False, "description": "Lebar"},
        ],
    )
    trash = Category.objects.create(government=gov, name="Sampah", service_code="T-SAMPAH")
    foreign_cat = Category.objects.create(
        government=other_gov, name="Jalan", service_code="T-JALAN-LAIN"
    )
    return SimpleNamespace(
        gov=gov,
        other_gov=other_gov,
        village=village,
        village2=village2,
        foreign_village=foreign_village,
        pupr=pupr,
        dlh=dlh,
        kominfo=kominfo,
        foreign_agency=foreign_agency,
        infra=infra,
        road=road,
        trash=trash,
        foreign_cat=foreign_cat,
        coordinator=factories.officer(kominfo, Role.COORDINATOR),
        liaison=factories.officer(pupr, Role.LIAISON),
        handler=factories.officer(pupr, Role.HANDLER),
        supervisor=factories.officer(pupr, Role.SUPERVISOR),
        dlh_handler=factories.officer(dlh, Role.HANDLER),
        dlh_liaison=factories.officer(dlh, Role.LIAISON),
        leader=factories.officer(kominfo, Role.LEADER),
        counter=factories.officer(kominfo, Role.COUNTER_STAFF),
        foreign_coordinator=factories.officer(foreign_agency, Role.COORDINATOR),
        foreign_handler=factories.officer(foreign_agency, Role.HANDLER),
        reporter=factories.citizen(),
        other_citizen=factories.citizen(),
    )


@pytest.fixture
def submit(org):
    return factories.complaint_submitter(org)


@pytest.fixture
def drive(org, submit):
    """A report brought to ``state`` by the services (the officers of the fixture act)."""
    return factories.complaint_driver(org, submit)


@pytest.fixture
def routes(org):
    RoutingRule.objects.create(government=org.gov, category=org.road, agency=org.pupr)
    RoutingRule.objects.create(government=org.gov, category=org.trash, agency=org.dlh)
    return org
