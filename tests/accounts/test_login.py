"""Login with email or phone, lockout, sessions, officer passwords and the second factor."""

from __future__ import annotations

import logging

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from loket.accounts.models import User
from loket.accounts.services import create_officer, deactivate_user
from loket.core.audit import personal_ref
from loket.core.models import AuditEvent

from .conftest import OFFICER_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/akun/login/"


def _login(client, login: str, password: str):
    return client.post(LOGIN, {"login": login, "password": password})


def _totp_now(secret: str) -> str:
    counter = list(yield_hotp_counters_from_time())[len(list(yield_hotp_counters_from_time())) // 2]
    return format_hotp_value(hotp_value(secret, counter))


def test_login_page_has_labelled_fields(client):
    html = client.get(LOGIN).content.decode()
    assert 'for="id_login"' in html and 'for="id_password"' in html
    assert "Email atau nomor ponsel" in html


def test_login_with_email_any_case(client, citizen):
    response = _login(client, "WARGA@example.com", "rahasia-warga-123")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(citizen.pk)


def test_login_with_phone_in_local_form(client, citizen):
    citizen.phone = "+6281234567890"
    citizen.phone_verified = True
    citizen.save()
    response = _login(client, "0812 3456 7890", "rahasia-warga-123")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(citizen.pk)


def test_wrong_password_gives_indonesian_error(client, citizen):
    response = _login(client, "warga@example.com", "salah")
    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_lockout_after_repeated_failures_is_keyed_and_logged(client, citizen, caplog):
    caplog.set_level(logging.WARNING)
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _login(client, "warga@example.com", "salah").status_code == 200
    response = _login(client, "warga@example.com", "salah")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()
    # Even the right password is refused while locked out.
    response = _login(client, "warga@example.com", "rahasia-warga-123")
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    # Stored and logged under a keyed hash, never the address.
    attempt = AccessAttempt.objects.get()
    assert attempt.username == personal_ref("warga@example.com")
    assert "warga@example.com" not in caplog.text
    assert personal_ref("warga@example.com") in caplog.text
    assert AuditEvent.objects.filter(action="account.locked_out").exists()


def test_lockout_counts_email_and_phone_forms_of_one_identifier_together(client, citizen):
    for login in ("Warga@Example.com", "warga@example.com "):
        _login(client, login, "salah")
    assert AccessAttempt.objects.get().failures_since_start == 2


def test_session_key_rotates_on_login_and_logout_ends_it(client, citizen):
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    _login(client, "warga@example.com", "rahasia-warga-123")
    after = client.session.session_key
    assert after and after != before
    assert Session.objects.filter(session_key=after).exists()
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=after).exists()
    assert SESSION_KEY not in client.session


def test_deactivation_ends_the_running_session(client, citizen):
    _login(client, "warga@example.com", "rahasia-warga-123")
    key = client.session.session_key
    assert client.get(reverse("accounts:profile")).status_code == 200
    deactivate_user(user=citizen, actor=None, reason="test")
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Session.objects.filter(session_key=key).exists()
    _login(client, "warga@example.com", "rahasia-warga-123")
    assert SESSION_KEY not in client.session


def test_citizen_passwords_keep_django_rules_only(citizen):
    from django.contrib.auth.password_validation import validate_password

    validate_password("kopi-tubruk-42", citizen)  # no symbol/upper needed for citizens


def test_officer_password_policy_on_create_and_change(agency, client):
    for weak in ("short1!A", "alllowercase-123!", "NoDigitsHere!!xx", "NoSymbols12345xx"):
        with pytest.raises(ValidationError):
            create_officer(
                email="o@example.com", full_name="O", password=weak, agency=agency, role="handler"
            )
    assert not User.objects.exists()
    officer = create_officer(
        email="o@example.com",
        full_name="Petugas",
        password=OFFICER_PASSWORD,
        agency=agency,
        role="handler",
    )
    # Password change through allauth applies the officer rule too.
    TOTP.activate(officer, generate_totp_secret())
    client.force_login(officer)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": OFFICER_PASSWORD, "password1": "lemah-sekali", "password2": "lemah-sekali"},
    )
    assert response.status_code == 200
    assert "minimal 12 karakter" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(OFFICER_PASSWORD)


def test_officer_without_totp_is_sent_to_set_it_up(agency, client):
    officer = create_officer(
        email="o@example.com",
        full_name="P",
        password=OFFICER_PASSWORD,
        agency=agency,
        role="handler",
    )
    client.force_login(officer)
    for path in ("/kantor/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")


def test_officer_with_totp_must_give_code_at_login(agency, client):
    officer = create_officer(
        email="o@example.com",
        full_name="P",
        password=OFFICER_PASSWORD,
        agency=agency,
        role="handler",
    )
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    response = _login(client, "o@example.com", OFFICER_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session  # not signed in before the code
    assert client.get("/kantor/").status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert SESSION_KEY not in client.session
    cache.clear()
    response = client.post(reverse("mfa_authenticate"), {"code": _totp_now(secret)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(officer.pk)
    assert client.get("/kantor/").status_code == 200


def test_officer_cannot_switch_totp_off(agency, client):
    from allauth.mfa.models import Authenticator

    officer = create_officer(
        email="o@example.com",
        full_name="P",
        password=OFFICER_PASSWORD,
        agency=agency,
        role="handler",
    )
    TOTP.activate(officer, generate_totp_secret())
    client.force_login(officer)
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=officer, type="totp").exists()


def test_admin_login_form_is_replaced_by_the_one_with_second_factor(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=%2Fadmin%2F" in response["Location"]


def test_allauth_signup_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "x@example.com", "password1": "kopi-tubruk-42", "password2": "kopi-tubruk-42"},
    )
    assert not User.objects.filter(email="x@example.com").exists()
    assert response.status_code in (200, 302, 403)


def test_officer_reaches_totp_setup_right_after_password_login(agency, client):
    create_officer(
        email="o@example.com",
        full_name="P",
        password=OFFICER_PASSWORD,
        agency=agency,
        role="handler",
    )
    _login(client, "o@example.com", OFFICER_PASSWORD)
    response = client.get("/kantor/", follow=True)
    assert response.request["PATH_INFO"] == reverse("mfa_activate_totp")
    assert response.status_code == 200
    assert 'id="authenticator_secret"' in response.content.decode()
