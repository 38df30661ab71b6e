"""Back-office shell: officers only, second factor first, navigation follows roles."""

from __future__ import annotations

import pytest

from loket.organizations.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def _login_with_second_factor(client, user):
    """Sign in as allauth would after a password and a TOTP code."""
    f.with_totp(user)
    client.force_login(user)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/kantor/")
    assert response.status_code == 302
    assert "/akun/login/" in response["Location"]


def test_citizen_gets_404(client):
    client.force_login(f.citizen())
    assert client.get("/kantor/").status_code == 404


def test_officer_without_second_factor_must_set_it_up(client):
    user = f.officer(f.agency(f.government()), Role.HANDLER)
    client.force_login(user)
    response = client.get("/kantor/")
    assert response.status_code == 302
    assert "/totp/" in response["Location"]


def test_officer_sees_roles_and_menu(client):
    gov = f.government()
    user = f.officer(f.agency(gov), Role.LEADER)
    _login_with_second_factor(client, user)
    response = client.get("/kantor/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pimpinan (hanya baca)" in body
    assert "/admin/" not in body


def test_admin_only_for_platform_admins(client):
    gov = f.government()
    handler = f.officer(f.agency(gov), Role.HANDLER)
    handler.is_staff = True
    handler.save()
    _login_with_second_factor(client, handler)
    assert client.get("/admin/").status_code == 302  # is_staff alone is not enough
    admin_user = f.officer(f.agency(gov), Role.PLATFORM_ADMIN)
    admin_user.is_staff = True
    admin_user.save()
    client.logout()
    _login_with_second_factor(client, admin_user)
    assert client.get("/admin/").status_code == 200
    assert "/admin/" in client.get("/kantor/").content.decode()
