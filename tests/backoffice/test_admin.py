"""Django admin: every registered model opens for a platform admin; changes are audited."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from loket.core.models import AuditEvent
from loket.organizations.models import RegionalHoliday, Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    gov = f.government()
    user = f.officer(f.agency(gov), Role.PLATFORM_ADMIN)
    user.is_staff = user.is_superuser = True
    user.save()
    f.with_totp(user)
    client.force_login(user)
    client.government = gov
    return client


def test_every_changelist_opens(admin_client):
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url


def test_admin_change_is_audited(admin_client):
    gov = admin_client.government
    url = reverse("admin:organizations_regionalholiday_add")
    response = admin_client.post(
        url, {"government": gov.pk, "date": "2026-12-28", "name": "HUT Kota"}
    )
    assert response.status_code == 302
    holiday = RegionalHoliday.objects.get()
    event = AuditEvent.objects.get(action="admin.regionalholiday.created")
    assert event.object_id == str(holiday.pk)
    assert event.government_id == gov.pk
    assert event.payload == {"fields": ["date", "government", "name"]}


def test_audit_events_cannot_be_edited_in_admin(admin_client):
    from loket.core.audit import log_action

    event = log_action("test.x")
    url = reverse("admin:core_auditevent_change", args=[event.pk])
    response = admin_client.post(url, {"action": "forged"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.action == "test.x"
