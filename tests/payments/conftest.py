"""Builders for the payments tests. The bill's subject is any model; an Agency row stands in."""

from __future__ import annotations

import pytest

from loket.organizations.models import Role
from loket.payments.services import bill_create
from tests import factories as f

SUBJECT_LABEL = "organizations.agency"


@pytest.fixture
def gov():
    return f.government("18.71")


@pytest.fixture
def agency(gov):
    return f.agency(gov)


@pytest.fixture
def bill(gov, agency):
    return bill_create(
        subject=agency,
        government=gov,
        agency=agency,
        amount=150_000,
        description="Retribusi izin usaha",
        actor=None,
    )


@pytest.fixture
def cashier(agency):
    return f.officer(agency, Role.COUNTER_STAFF)


def login_officer(client, user) -> None:
    f.with_totp(user)
    client.force_login(user)
