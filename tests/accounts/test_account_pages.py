"""Profile, language, NIK on the profile page, data export and account deletion."""

from __future__ import annotations

import json

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.urls import reverse

from loket.accounts import nik as nik_codec
from loket.accounts.models import User
from loket.accounts.selectors import find_user_by_nik
from loket.accounts.services import register_export_section, set_nik
from loket.core.models import AuditEvent
from loket.notifications.models import Notification

pytestmark = pytest.mark.django_db

NIK = "1871011508900003"


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def _profile_post(client, **data):
    payload = {"action": "profile", "full_name": "Siti Warga", "language": "id", **data}
    return client.post(reverse("accounts:profile"), payload)


def test_profile_page_labels_every_field(signed_in):
    html = signed_in.get(reverse("accounts:profile")).content.decode()
    for field in ("full_name", "language", "notify_email", "notify_sms", "nik"):
        assert f'for="id_{field}"' in html


def test_profile_update_and_language_sets_ui_language(signed_in, citizen):
    response = _profile_post(signed_in, full_name="Siti Rahma", language="en", notify_email="on")
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.full_name == "Siti Rahma" and citizen.language == "en"
    assert response.cookies["django_language"].value == "en"
    page = signed_in.get(reverse("accounts:profile")).content.decode()
    assert '<html lang="en">' in page
    event = AuditEvent.objects.get(action="account.profile_updated")
    assert set(event.payload["fields"]) == {"full_name", "language"}


def test_sms_notification_needs_a_phone(signed_in, citizen):
    response = _profile_post(signed_in, notify_sms="on")
    citizen.refresh_from_db()
    # The checkbox is disabled for an account without a phone: the value is ignored.
    assert not citizen.notify_sms
    assert response.status_code == 302


def test_blank_name_is_a_400(signed_in):
    assert _profile_post(signed_in, full_name="   ").status_code == 400


def test_nik_on_profile_is_validated_and_never_echoed(signed_in, citizen, regions):
    bad = "1871013208900003"
    response = signed_in.post(reverse("accounts:profile"), {"action": "nik", "nik": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert bad not in html
    assert "tanggal lahir" in html
    response = signed_in.post(reverse("accounts:profile"), {"action": "nik", "nik": NIK})
    assert response.status_code == 302
    page = signed_in.get(reverse("accounts:profile")).content.decode()
    assert "1871**********03" in page and NIK not in page
    assert find_user_by_nik(NIK) == citizen


def test_export_is_a_json_attachment_with_masked_nik(signed_in, citizen, regions):
    set_nik(user=citizen, nik=NIK)
    Notification.objects.create(recipient=citizen, kind="test", title="Halo", body="Isi kabar")
    register_export_section("extra_module", lambda user: {"count": 7, "user": user.pk})
    try:
        response = signed_in.post(reverse("accounts:export"))
    finally:
        from loket.accounts import services

        services._EXPORT_SECTIONS.pop("extra_module", None)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    raw = response.content.decode()
    assert NIK not in raw and citizen.nik_ciphertext not in raw
    data = json.loads(raw)
    assert data["profile"]["nik_masked"] == "1871**********03"
    assert data["profile"]["email"] == "warga@example.com"
    assert data["profile"]["full_name"] == "Siti Warga"
    assert data["memberships"] == []
    assert [n["title"] for n in data["notifications"]] == ["Halo"]
    assert data["extra_module"] == {"count": 7, "user": citizen.pk}
    assert AuditEvent.objects.filter(action="account.exported", actor_id=citizen.pk).exists()


def test_export_needs_login(client):
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 302


def test_delete_needs_the_password(signed_in, citizen):
    response = signed_in.post(reverse("accounts:delete"), {"password": "salah", "confirm": "on"})
    assert response.status_code == 400
    citizen.refresh_from_db()
    assert citizen.is_active and citizen.email == "warga@example.com"


def test_delete_anonymises_and_ends_every_session(client, citizen, regions):
    from django.test import Client

    set_nik(user=citizen, nik=NIK)
    Notification.objects.create(recipient=citizen, kind="t", title="Halo", body="x")
    other_device = Client()
    other_device.force_login(citizen)
    client.force_login(citizen)
    response = client.post(
        reverse("accounts:delete"), {"password": "rahasia-warga-123", "confirm": "on"}
    )
    assert response.status_code == 302
    row = User.objects.get(pk=citizen.pk)  # the row stays
    assert row.full_name == "" and row.email is None and row.phone is None
    assert row.nik_ciphertext == row.nik_index == row.nik_masked == ""
    assert not row.is_active and row.anonymized_at is not None
    assert not row.has_usable_password()
    assert not Notification.objects.filter(recipient=row).exists()
    assert find_user_by_nik(nik_codec.normalize(NIK)) is None
    assert SESSION_KEY not in client.session
    # The other device is signed out on its next request.
    other_key = other_device.session.session_key
    assert other_device.get(reverse("accounts:profile")).status_code == 302
    assert not Session.objects.filter(session_key=other_key).exists()
    event = AuditEvent.objects.get(action="account.anonymized")
    assert event.payload == {"by_owner": True}
    assert not Authenticator.objects.filter(user=row).exists()


def test_officers_cannot_self_delete(client, agency):
    from loket.accounts.services import create_officer

    from .conftest import OFFICER_PASSWORD

    officer = create_officer(
        email="o@example.com",
        full_name="P",
        password=OFFICER_PASSWORD,
        agency=agency,
        role="handler",
    )
    client.force_login(officer)
    response = client.post(
        reverse("accounts:delete"), {"password": OFFICER_PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 403
    officer.refresh_from_db()
    assert officer.is_active
