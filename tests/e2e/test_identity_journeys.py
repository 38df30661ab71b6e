"""Identity journeys in a real browser: sign-up with a code (at phone and at desktop size),
language, export, officer TOTP. Each page is screenshotted."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from loket.accounts.models import User
from tests.browser import scroll_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "kopi-tubruk-42"
OFFICER_PASSWORD = "Petugas#Kuat2025"


def _totp(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def _login(page, login: str, password: str) -> None:
    page.goto("/akun/login/")
    page.get_by_label("Email atau nomor ponsel").fill(login)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(lambda url: "/akun/login/" not in url)


def _logout(page) -> None:
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(r"/$"))


def _sign_up(page, email: str) -> None:
    page.goto("/akun/daftar/")
    page.get_by_label("Nama lengkap").fill("Rina Warga")
    page.get_by_label("Email atau nomor ponsel").fill(email)
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Daftar dan kirim kode").click()
    page.wait_for_url("**/akun/daftar/konfirmasi/")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Kode verifikasi").fill(code)
    page.get_by_role("button", name="Konfirmasi").click()
    page.wait_for_load_state()


def test_citizen_signs_up_confirms_code_and_logs_in(make_page, viewport, shot):
    page = make_page(*viewport)
    page.goto("/akun/daftar/")
    shot(page, "signup")
    page.get_by_label("Nama lengkap").fill("Rina Warga")
    page.get_by_label("Email atau nomor ponsel").fill("rina@example.com")
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Daftar dan kirim kode").click()
    page.wait_for_url("**/akun/daftar/konfirmasi/")
    assert not User.objects.filter(email="rina@example.com").exists()
    shot(page, "confirm-code")

    page.get_by_label("Kode verifikasi").fill(
        "000000" if "000000" not in mail.outbox[-1].body else "111111"
    )
    page.get_by_role("button", name="Konfirmasi").click()
    expect(page.get_by_text("Kode salah")).to_be_visible()
    shot(page, "wrong-code")

    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Kode verifikasi").fill(code)
    page.get_by_role("button", name="Konfirmasi").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Akun Anda sudah aktif")).to_be_visible()
    assert User.objects.get(email="rina@example.com").is_active
    assert scroll_width(page) <= viewport.width
    shot(page, "active")

    _logout(page)
    _login(page, "rina@example.com", PASSWORD)
    page.wait_for_load_state()
    expect(page.get_by_role("link", name="Akun saya")).to_be_visible()
    page.get_by_role("link", name="Akun saya").click()
    assert page.get_by_label("Nama lengkap").input_value() == "Rina Warga"
    assert scroll_width(page) <= viewport.width
    shot(page, "profile")


def test_language_switch_to_english_and_back(page, shot):
    page.goto("/akun/login/")
    assert page.locator("html").get_attribute("lang") == "id"
    shot(page, "login-id")
    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "login-en")
    # Django's own catalogue is translated: the password field's validation text, etc.
    with page.expect_navigation():
        page.select_option("#lang-select", "id")
    assert page.locator("html").get_attribute("lang") == "id"


def test_citizen_downloads_their_data(page, shot):
    _sign_up(page, "data@example.com")
    page.goto("/akun/profil/")
    shot(page, "profile")
    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh semua data saya").click()
    download = info.value
    assert download.suggested_filename.endswith(".json")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["profile"]["email"] == "data@example.com"
    assert data["profile"]["full_name"] == "Rina Warga"
    assert "notifications" in data and "memberships" in data


def test_officer_sets_up_totp_and_logs_in_with_it(make_page, shot):
    from loket.accounts.services import create_officer
    from loket.organizations.models import Agency, Government, Region

    region = Region.objects.create(code="18", name="Lampung", level=1, kind="provinsi")
    government = Government.objects.create(
        region=region, name="Provinsi Lampung", slug="lampung", tracking_prefix="LPG"
    )
    agency = Agency.objects.create(government=government, name="Diskominfo", slug="kominfo")
    create_officer(
        email="petugas@example.com",
        full_name="Petugas Satu",
        password=OFFICER_PASSWORD,
        agency=agency,
        role="coordinator",
    )
    page = make_page(width=1024, height=800)
    _login(page, "petugas@example.com", OFFICER_PASSWORD)
    page.wait_for_load_state()
    page.goto("/kantor/")
    page.wait_for_url("**/akun/2fa/totp/activate/")
    shot(page, "totp-activate")
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    page.locator("input[name=code]").fill(_totp(secret))
    page.locator("form[action$='/totp/activate/'] button[type=submit]").click()
    page.wait_for_url("**/recovery-codes/")
    assert page.locator("body").inner_text().count("\n") > 5  # the codes are listed
    shot(page, "recovery-codes")

    _logout(page)
    cache.clear()  # allauth refuses a TOTP code twice within its period
    _login(page, "petugas@example.com", OFFICER_PASSWORD)
    page.wait_for_url("**/akun/2fa/authenticate/")
    shot(page, "totp-code")
    page.get_by_label(re.compile("Kode|Code", re.I)).fill(_totp(secret))
    # Wait for the sign-in to finish (the page leaves the code form) before going on: a busy
    # machine may otherwise open /kantor/ while the code is still being checked.
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)
    page.goto("/kantor/")
    assert page.url.endswith("/kantor/")
    expect(page.get_by_role("heading", name="Kantor")).to_be_visible()
    shot(page, "office")
