"""The officer side of a complaint in a real browser: a citizen's report (filed through the
services) is verified and dispatched by the coordinator on a desktop, assigned by the agency's
liaison and started, answered and resolved with an after-photo by the handler on a 360-px
phone — all through the back-office pages. The reporter chose anonymity: no page names them."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from loket.complaints import services
from loket.complaints.models import Category, Complaint, ComplaintPhoto
from loket.organizations.models import Role
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORTER_NAME = "Sulastri Wulandari"
REPORTER_PHONE = "+6281355566677"


def _totp(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def _login_with_totp(page, email: str, password: str, secret: str) -> None:
    page.goto("/akun/login/")
    page.get_by_label("Email atau nomor ponsel").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url("**/akun/2fa/authenticate/")
    page.get_by_label(re.compile("Kode|Code", re.I)).fill(_totp(secret))
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_load_state()


def _signed_in_page(make_page, live_server, user, width: int):
    """A page with the session of ``user`` (second factor set up), as the test client signs in."""
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    page = make_page(width=width, height=800)
    page.context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )
    return page


def _no_horizontal_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _assert_no_reporter(page, reporter) -> None:
    html = page.content()
    for secret in (REPORTER_NAME, reporter.email, REPORTER_PHONE, "081355566677"):
        assert secret not in html


def _open_action(page, name: str):
    page.get_by_test_id(f"action-{name}").locator("summary").click()
    return page.get_by_test_id(f"form-{name}")


def test_verify_dispatch_assign_start_resolve(make_page, live_server, tmp_path):
    cache.clear()
    # Until ComplaintsConfig.ready() calls it (see office_nav.py); idempotent.
    from loket.complaints.office_nav import register

    register()
    gov = f.government("18.71", slug="bandar-lampung")
    village = f.region("18.71.01.1001", "Kelurahan Satu")
    pupr = f.agency(gov, "pupr")
    kominfo = f.agency(gov, "kominfo")
    road = Category.objects.create(
        government=gov, name="Jalan rusak", service_code="E2E-JALAN", requires_after_photo=True
    )
    coordinator = f.officer(kominfo, Role.COORDINATOR, email="koordinator@contoh.id")
    liaison = f.officer(pupr, Role.LIAISON)
    handler = f.officer(pupr, Role.HANDLER)
    handler.full_name = "Budi Penangan"
    handler.save(update_fields=["full_name"])
    coordinator_secret = f.with_totp(coordinator)
    f.with_totp(liaison)
    f.with_totp(handler)
    reporter = f.citizen()
    reporter.full_name, reporter.phone = REPORTER_NAME, REPORTER_PHONE
    reporter.save(update_fields=["full_name", "phone"])
    complaint = services.complaint_submit(
        government=gov,
        category=road,
        title="Jalan berlubang dekat SD",
        description="Lubang besar di depan sekolah, membahayakan pengendara motor.",
        region=village,
        latitude=-5.4292,
        longitude=105.2610,
        reporter=reporter,
        identity="anonymous",
    ).complaint
    number = complaint.tracking_number

    # The coordinator signs in with the second factor, finds the report and verifies it.
    desk = make_page(width=1280, height=900)
    _login_with_totp(desk, coordinator.email, f.OFFICER_PASSWORD, coordinator_secret)
    desk.goto("/kantor/")
    desk.get_by_role("link", name="Pengaduan").click()
    desk.get_by_role("link", name=number).click()
    assert desk.get_by_test_id("identity-withheld").is_visible()
    assert desk.get_by_test_id("reveal").count() == 0
    _assert_no_reporter(desk, reporter)
    _open_action(desk, "verify").get_by_role("button", name="Mulai verifikasi").click()
    assert desk.get_by_test_id("state").inner_text() == "Verifikasi"

    # … and dispatches it to the public-works agency.
    form = _open_action(desk, "dispatch")
    form.get_by_label("Perangkat daerah").select_option(label=pupr.name)
    form.get_by_role("button", name="Disposisi ke OPD").click()
    assert desk.get_by_test_id("state").inner_text() == "Didisposisikan"
    assert desk.get_by_test_id("agency").inner_text() == pupr.name

    # The liaison, on a phone, finds it in the agency queue and assigns the handler.
    phone = _signed_in_page(make_page, live_server, liaison, 360)
    phone.goto("/kantor/pengaduan/")
    _no_horizontal_scroll(phone, 360)
    phone.get_by_role("link", name=number).click()
    form = _open_action(phone, "assign")
    form.get_by_label("Petugas tindak lanjut").select_option(label="Budi Penangan")
    form.get_by_role("button", name="Tugaskan petugas").click()
    assert phone.get_by_test_id("handler").inner_text() == "Budi Penangan"
    _no_horizontal_scroll(phone, 360)
    _assert_no_reporter(phone, reporter)

    # The handler, on a phone, starts the work with an estimate …
    field = _signed_in_page(make_page, live_server, handler, 360)
    field.goto("/kantor/pengaduan/?antrean=mine")
    field.get_by_role("link", name=number).click()
    form = _open_action(field, "start_work")
    form.get_by_label("Perkiraan selesai").fill((date.today() + timedelta(days=5)).isoformat())
    form.get_by_role("button", name="Mulai tindak lanjut").click()
    assert field.get_by_test_id("state").inner_text() == "Ditindaklanjuti"

    # … writes to the anonymous reporter through the platform (htmx, no page reload) …
    field.evaluate("window.__stay = true")
    thread = field.get_by_test_id("messages")
    thread.get_by_label("Pesan untuk pelapor").fill("Tim kami menuju lokasi hari ini.")
    thread.get_by_role("button", name="Kirim pesan").click()
    expect(
        field.get_by_test_id("messages").get_by_text("Tim kami menuju lokasi hari ini.")
    ).to_be_visible()
    assert field.evaluate("window.__stay === true")

    # … and resolving without the required after-photo is refused with the rule's message.
    form = _open_action(field, "resolve")
    form.get_by_label("Jawaban publik").fill("Lubang sudah ditambal dengan aspal.")
    form.evaluate("f => f.noValidate = true")
    form.get_by_role("button", name="Selesaikan").click()
    assert "foto sesudah penanganan" in field.get_by_test_id("form-resolve").inner_text()
    assert Complaint.objects.get(pk=complaint.pk).state == "in_progress"

    # With the photo it is resolved.
    photo = tmp_path / "sesudah.jpg"
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 90)).save(out, "JPEG")
    photo.write_bytes(out.getvalue())
    form = field.get_by_test_id("form-resolve")
    form.get_by_label("Jawaban publik").fill("Lubang sudah ditambal dengan aspal.")
    form.get_by_label("Foto sesudah penanganan").set_input_files(str(photo))
    form.get_by_role("button", name="Selesaikan").click()
    assert field.get_by_test_id("state").inner_text() == "Selesai ditindaklanjuti"
    assert field.get_by_role("img", name=re.compile("Foto sesudah penanganan")).count() == 1
    _no_horizontal_scroll(field, 360)
    _assert_no_reporter(field, reporter)

    complaint.refresh_from_db()
    assert complaint.state == "resolved"
    assert complaint.handler_id == handler.pk
    assert complaint.public_answer == "Lubang sudah ditambal dengan aspal."
    assert ComplaintPhoto.objects.filter(complaint=complaint, kind="after").count() == 1
    cache.clear()
