"""A citizen applies online with a document, an officer returns it for revision, the citizen
fixes it, the officer approves and issues, the citizen downloads the PDF and opens the
verification page, which says the document is valid, then answers the satisfaction survey
from the invitation in the inbox — once with both on a 360x640 phone and once on a 1366x768
desktop. Each page is screenshotted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from playwright.sync_api import expect

from loket.applications.models import Application
from loket.notifications.models import Notification
from loket.organizations.models import Role
from loket.surveys.models import SurveyResponse
from tests import factories as f
from tests.applications.conftest import FIELDS, PDF, VALID_NIK, make_online_service
from tests.browser import scroll_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITIZEN_PASSWORD = "sandi-warga-123"


def _totp(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def _login(page, email: str, password: str, secret: str | None = None) -> None:
    page.goto("/akun/login/")
    page.get_by_label("Email atau nomor ponsel").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(lambda url: "/akun/login/" not in url)
    if secret:
        page.wait_for_url("**/akun/2fa/authenticate/")
        page.get_by_label(re.compile("Kode|Code", re.I)).fill(_totp(secret))
        page.get_by_role("button", name="Masuk", exact=True).click()
        page.wait_for_load_state()


def test_apply_return_fix_approve_issue_download_verify(make_page, viewport, shot, tmp_path):
    gov = f.government("18.71", slug="bandar-lampung")
    f.region("18.71.01")
    agency = f.agency(gov)
    service = make_online_service(
        agency,
        fields=FIELDS,
        requirements=[
            {"code": "ktp", "label": "KTP-el", "kinds": ["pdf"], "max_mb": 2, "required": True}
        ],
        steps=[{"name": "Verifikasi dan persetujuan", "role": Role.HANDLER, "days": 2}],
    )
    citizen = f.citizen(email="warga.jalan@contoh.id")
    EmailAddress.objects.create(user=citizen, email=citizen.email, verified=True, primary=True)
    officer = f.officer(agency, Role.HANDLER, email="petugas.jalan@contoh.id")
    secret = f.with_totp(officer)
    document = tmp_path / "ktp.pdf"
    document.write_bytes(PDF)

    # The citizen applies from the catalogue.
    citizen_page = make_page(*viewport)
    _login(citizen_page, citizen.email, CITIZEN_PASSWORD)
    citizen_page.goto(f"/layanan/{gov.slug}/{service.slug}/")
    shot(citizen_page, "service")
    with citizen_page.expect_navigation():
        citizen_page.get_by_test_id("apply").click()
    shot(citizen_page, "apply")
    citizen_page.get_by_test_id("start").click()
    citizen_page.get_by_label("Nama usaha").fill("Toko Maju Jaya")
    citizen_page.get_by_label("NIK pemohon").fill(VALID_NIK)
    citizen_page.get_by_label("Nomor ponsel").fill("0812 3456 7890")
    citizen_page.get_by_label("Tidak").check()
    citizen_page.get_by_label("Data saya benar").check()
    citizen_page.get_by_label("KTP-el").set_input_files(str(document))
    assert scroll_width(citizen_page) <= viewport.width
    shot(citizen_page, "form-filled")
    citizen_page.get_by_test_id("submit").click()
    tracking = citizen_page.get_by_test_id("tracking-number").inner_text()
    shot(citizen_page, "submitted")
    assert tracking.startswith(f"PMH-{gov.tracking_prefix}-")
    expect(citizen_page.get_by_test_id("step-deadline")).to_be_visible()
    application = Application.objects.get(tracking_number=tracking)

    # The officer returns it: the business name must be fixed.
    officer_page = make_page(*viewport)
    _login(officer_page, officer.email, f.OFFICER_PASSWORD, secret)
    officer_page.goto(f"/kantor/permohonan/{application.pk}/")
    assert scroll_width(officer_page) <= viewport.width
    shot(officer_page, "office-application")
    officer_page.get_by_text("Kembalikan untuk perbaikan").click()
    officer_page.locator("input[name=fields][value=nama_usaha]").check()
    officer_page.get_by_label("Catatan untuk pemohon").fill("Nama usaha harus sama dengan NIB.")
    officer_page.get_by_test_id("return").click()
    assert officer_page.get_by_test_id("state").inner_text() == "Dikembalikan untuk perbaikan"
    shot(officer_page, "returned")

    # The citizen sees exactly what to fix and fixes only that.
    citizen_page.goto(f"/permohonan/{application.pk}/")
    expect(citizen_page.get_by_test_id("returned-nama_usaha")).to_be_visible()
    assert (
        "Nama usaha harus sama dengan NIB." in citizen_page.get_by_test_id("revision").inner_text()
    )
    shot(citizen_page, "to-fix")
    with citizen_page.expect_navigation():
        citizen_page.get_by_test_id("fix").click()
    shot(citizen_page, "fix-form")
    assert citizen_page.locator("input[name=ponsel]").count() == 0  # not returned: read-only
    citizen_page.get_by_label("Nama usaha").fill("Toko Maju Jaya Abadi")
    citizen_page.get_by_test_id("resubmit").click()
    assert citizen_page.get_by_test_id("state").inner_text() == "Sedang diproses"
    shot(citizen_page, "resubmitted")

    # The officer approves and issues the output.
    officer_page.goto(f"/kantor/permohonan/{application.pk}/")
    note = officer_page.locator("#approve-note").bounding_box()
    approve = officer_page.get_by_test_id("approve").bounding_box()
    assert note and approve and approve["y"] >= note["y"] + note["height"]  # below, not beside
    shot(officer_page, "office-approve")
    officer_page.get_by_test_id("approve").click()
    officer_page.get_by_test_id("issue").click()
    assert officer_page.get_by_test_id("state").inner_text() == "Selesai"
    shot(officer_page, "issued")

    # The citizen downloads the PDF and opens its verification page.
    citizen_page.goto(f"/permohonan/{application.pk}/")
    shot(citizen_page, "done")
    with citizen_page.expect_download() as download_info:
        citizen_page.get_by_test_id("download").click()
    pdf_path = download_info.value.path()
    assert Path(pdf_path).read_bytes().startswith(b"%PDF")
    citizen_page.get_by_test_id("verify").click()
    expect(citizen_page.locator(".doc-status.valid")).to_be_visible()
    assert scroll_width(citizen_page) <= viewport.width
    shot(citizen_page, "verified")

    # The invitation to the satisfaction survey waits in the inbox; the citizen answers it.
    invitation = Notification.objects.get(recipient=citizen, kind="application.survey")
    assert "/survei/isi/" in invitation.url
    citizen_page.goto(invitation.url)
    shot(citizen_page, "survey")
    for code in ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"):
        citizen_page.locator(f"input[name={code}][value='4']").check()
    citizen_page.locator(".survey-submit").click()
    citizen_page.wait_for_load_state()
    shot(citizen_page, "survey-sent")
    response = SurveyResponse.objects.get()
    assert response.service_id == application.service_id
    assert [getattr(response, f"u{i}") for i in range(1, 10)] == [4] * 9
    cache.clear()
