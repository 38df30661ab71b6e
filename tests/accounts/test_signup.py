"""Sign-up with email or phone, confirmed by a one-time code."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from loket.accounts import otp
from loket.accounts.models import SignupRequest, User
from loket.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "kopi-tubruk-42"


@pytest.fixture
def sms_outbox(settings, tmp_path):
    settings.LOKET_SMS_PROVIDER = "console"
    settings.LOKET_OUTBOX_DIR = tmp_path
    return tmp_path / "sms.jsonl"


def _sms_codes(path) -> list[str]:
    if not path.exists():
        return []
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [re.search(r"\b(\d{6})\b", line["text"]).group(1) for line in lines]


def _email_code() -> str:
    match = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def _signup(client, identifier: str, **extra):
    data = {
        "full_name": "Budi Santoso",
        "identifier": identifier,
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post(reverse("accounts:signup"), data)


def _confirm(client, code: str):
    return client.post(reverse("accounts:signup_confirm"), {"code": code})


def test_email_signup_right_code_creates_verified_account_and_logs_in(client):
    response = _signup(client, "  Budi@Example.COM ")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_confirm")
    assert not User.objects.exists()  # nothing usable before the code
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["budi@example.com"]
    code = _email_code()
    request = SignupRequest.objects.get()
    assert code not in request.code_hash and len(request.code_hash) == 64

    response = _confirm(client, code)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "budi@example.com"
    assert user.full_name == "Budi Santoso"
    assert user.kind == User.Kind.CITIZEN
    assert user.check_password(PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(user=user).verified
    request.refresh_from_db()
    assert request.completed_at is not None and request.password_hash == ""
    event = AuditEvent.objects.get(action="account.signup_confirmed")
    assert "budi@example.com" not in json.dumps(event.payload)


def test_phone_signup_normalises_number_and_sends_sms(client, sms_outbox):
    response = _signup(client, "0812-3456-7890")
    assert response.status_code == 302
    codes = _sms_codes(sms_outbox)
    assert len(codes) == 1
    assert json.loads(sms_outbox.read_text().splitlines()[0])["to"] == "+6281234567890"
    assert _confirm(client, codes[0]).status_code == 302
    user = User.objects.get()
    assert user.phone == "+6281234567890" and user.phone_verified and user.email is None


def test_wrong_code_is_a_400_with_indonesian_message_and_counts(client):
    _signup(client, "budi@example.com")
    code = _email_code()
    wrong = "000000" if code != "000000" else "111111"
    response = _confirm(client, wrong)
    assert response.status_code == 400
    assert "Kode salah" in response.content.decode()
    assert not User.objects.exists()
    assert SignupRequest.objects.get().attempts == 1
    # The right code still works afterwards.
    assert _confirm(client, code).status_code == 302


def test_malformed_code_is_a_form_error(client):
    _signup(client, "budi@example.com")
    response = _confirm(client, "12ab")
    assert response.status_code == 400
    assert "6 angka" in response.content.decode()


def test_expired_code_is_refused(client):
    _signup(client, "budi@example.com")
    code = _email_code()
    SignupRequest.objects.update(code_expires_at=timezone.now() - timedelta(seconds=1))
    response = _confirm(client, code)
    assert response.status_code == 400
    assert "kedaluwarsa" in response.content.decode()
    assert not User.objects.exists()


def test_too_many_wrong_codes_lock_the_request(client):
    _signup(client, "budi@example.com")
    code = _email_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(otp.MAX_ATTEMPTS):
        assert _confirm(client, wrong).status_code in (400, 429)
    response = _confirm(client, code)  # even the right code is refused now
    assert response.status_code == 429
    assert "Terlalu banyak" in response.content.decode()
    assert not User.objects.exists()


def test_resend_is_throttled_then_gives_a_new_code(client):
    _signup(client, "budi@example.com")
    first = _email_code()
    response = client.post(reverse("accounts:signup_resend"))
    assert response.status_code == 429
    assert "Tunggu" in response.content.decode()
    assert len(mail.outbox) == 1
    SignupRequest.objects.update(last_sent_at=timezone.now() - otp.RESEND_INTERVAL)
    assert client.post(reverse("accounts:signup_resend")).status_code == 302
    second = _email_code()
    if second != first:
        assert _confirm(client, first).status_code == 400  # the old code is void
    assert _confirm(client, second).status_code == 302


def test_sends_per_address_are_capped_across_new_signups(client):
    for _ in range(otp.MAX_SENDS):
        assert _signup(client, "budi@example.com").status_code == 302
        SignupRequest.objects.update(last_sent_at=timezone.now() - otp.RESEND_INTERVAL)
    response = _signup(client, "budi@example.com")
    assert response.status_code == 429
    assert len(mail.outbox) == otp.MAX_SENDS


def test_existing_address_gets_a_notice_not_a_code(client, citizen):
    response = _signup(client, "warga@example.com")
    assert response.status_code == 302  # same answer as for a new address
    body = mail.outbox[-1].body
    assert "sudah punya akun" in body
    assert not re.search(r"\b\d{6}\b", body)
    for guess in ("123456", "000000"):
        assert _confirm(client, guess).status_code == 400
    assert User.objects.count() == 1


def test_invalid_identifier_and_weak_password(client):
    response = _signup(client, "12345")
    assert response.status_code == 400
    assert "nomor ponsel Indonesia" in response.content.decode()
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Budi",
            "identifier": "budi@example.com",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == 400
    assert not SignupRequest.objects.exists()
    assert not mail.outbox


def test_confirm_page_without_signup_goes_back_to_signup(client):
    response = client.get(reverse("accounts:signup_confirm"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup")
