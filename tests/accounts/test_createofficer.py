"""The createofficer command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from loket.accounts.models import User
from loket.core.models import AuditEvent
from loket.organizations.models import Membership

from .conftest import OFFICER_PASSWORD

pytestmark = pytest.mark.django_db


def _run(**options):
    args = {
        "email": "Petugas@Example.com",
        "name": "Petugas Satu",
        "agency_slug": "kominfo",
        "government_slug": "lampung",
        "role": "coordinator",
        "password": OFFICER_PASSWORD,
    }
    args.update(options)
    call_command("createofficer", **{k: v for k, v in args.items() if v is not None})


def test_creates_officer_with_membership_and_audit(agency):
    _run()
    user = User.objects.get()
    assert user.email == "petugas@example.com"
    assert user.kind == User.Kind.OFFICER and not user.is_staff and not user.is_superuser
    assert user.check_password(OFFICER_PASSWORD)
    membership = Membership.objects.get(user=user)
    assert membership.agency == agency and membership.role == "coordinator"
    event = AuditEvent.objects.get(action="account.officer_created")
    assert event.payload["role"] == "coordinator"
    assert "petugas@example.com" not in str(event.payload)


def test_platform_admin_flag(agency):
    _run(platform_admin=True)
    user = User.objects.get()
    assert user.is_staff and user.is_superuser


def test_weak_password_refused(agency):
    with pytest.raises(CommandError, match="12"):
        _run(password="lemah123")
    assert not User.objects.exists()


def test_unknown_agency_or_role(agency):
    with pytest.raises(CommandError):
        _run(agency_slug="tidak-ada")
    with pytest.raises(CommandError):
        _run(role="raja")
    assert not User.objects.exists()


def test_prompted_password_is_checked(agency, monkeypatch):
    answers = iter(["lemah", OFFICER_PASSWORD, OFFICER_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    _run(password=None)
    assert User.objects.get().check_password(OFFICER_PASSWORD)
