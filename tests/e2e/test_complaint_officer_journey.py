"""The officer side of a complaint in a real browser: a citizen's report (filed through the
services) is verified and dispatched by the coordinator, assigned by the agency's liaison and
started, answered and resolved with an after-photo by the handler — all through the
back-office pages, once with every officer on a 360x640 phone and once on a 1366x768 desktop.
The reporter chose anonymity: no page names them. Each page is screenshotted."""

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
from tests.browser import scroll_width

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


def _signed_in_page(make_page, live_server, user, viewport):
    """A page with the session of ``user`` (second factor set up), as the test client signs in."""
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    page = make_page(*viewport)
    page.context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )
    return page


def _no_horizontal_scroll(page, width: int) -> None:
    assert scroll_width(page) <= width


def _assert_no_reporter(page, reporter) -> None:
    html = page.content()
    for secret in (REPORTER_NAME, reporter.email, REPORTER_PHONE, "081355566677"):
        assert secret not in html


def _open_action(page, name: str):
    page.get_by_test_id(f"action-{name}").locator("summary").click()
    return page.get_by_test_id(f"form-{name}")


def test_verify_dispatch_assign_start_resolve(make_page, viewport, shot, live_server, tmp_path):
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
    width = viewport.width
    coord_page = make_page(*viewport)
    _login_with_totp(coord_page, coordinator.email, f.OFFICER_PASSWORD, coordinator_secret)
    coord_page.goto("/kantor/")
    shot(coord_page, "office-home")
    with coord_page.expect_navigation():
        coord_page.get_by_role("link", name="Pengaduan").click()
    _no_horizontal_scroll(coord_page, width)
    shot(coord_page, "coordinator-queue")
    with coord_page.expect_navigation():
        coord_page.get_by_role("link", name=number).click()
    shot(coord_page, "coordinator-detail")
    expect(coord_page.get_by_test_id("identity-withheld")).to_be_visible()
    assert coord_page.get_by_test_id("reveal").count() == 0
    _assert_no_reporter(coord_page, reporter)
    _open_action(coord_page, "verify").get_by_role("button", name="Mulai verifikasi").click()
    assert coord_page.get_by_test_id("state").inner_text() == "Verifikasi"
    _no_horizontal_scroll(coord_page, width)

    # … and dispatches it to the public-works agency.
    form = _open_action(coord_page, "dispatch")
    form.get_by_label("Perangkat daerah").select_option(label=pupr.name)
    form.get_by_role("button", name="Disposisi ke OPD").click()
    assert coord_page.get_by_test_id("state").inner_text() == "Didisposisikan"
    assert coord_page.get_by_test_id("agency").inner_text() == pupr.name
    shot(coord_page, "dispatched")

    # The liaison finds it in the agency queue and assigns the handler.
    liaison_page = _signed_in_page(make_page, live_server, liaison, viewport)
    liaison_page.goto("/kantor/pengaduan/")
    _no_horizontal_scroll(liaison_page, width)
    shot(liaison_page, "liaison-queue")
    liaison_page.get_by_role("link", name=number).click()
    form = _open_action(liaison_page, "assign")
    form.get_by_label("Petugas tindak lanjut").select_option(label="Budi Penangan")
    form.get_by_role("button", name="Tugaskan petugas").click()
    assert liaison_page.get_by_test_id("handler").inner_text() == "Budi Penangan"
    _no_horizontal_scroll(liaison_page, width)
    _assert_no_reporter(liaison_page, reporter)
    shot(liaison_page, "assigned")

    # The handler starts the work with an estimate …
    handler_page = _signed_in_page(make_page, live_server, handler, viewport)
    handler_page.goto("/kantor/pengaduan/?antrean=mine")
    shot(handler_page, "handler-queue")
    handler_page.get_by_role("link", name=number).click()
    form = _open_action(handler_page, "start_work")
    form.get_by_label("Perkiraan selesai").fill((date.today() + timedelta(days=5)).isoformat())
    form.get_by_role("button", name="Mulai tindak lanjut").click()
    assert handler_page.get_by_test_id("state").inner_text() == "Ditindaklanjuti"

    # … writes to the anonymous reporter through the platform (htmx, no page reload) …
    handler_page.evaluate("window.__stay = true")
    thread = handler_page.get_by_test_id("messages")
    thread.get_by_label("Pesan untuk pelapor").fill("Tim kami menuju lokasi hari ini.")
    thread.get_by_role("button", name="Kirim pesan").click()
    expect(
        handler_page.get_by_test_id("messages").get_by_text("Tim kami menuju lokasi hari ini.")
    ).to_be_visible()
    assert handler_page.evaluate("window.__stay === true")
    shot(handler_page, "message-sent")

    # … and resolving without the required after-photo is refused with the rule's message.
    form = _open_action(handler_page, "resolve")
    form.get_by_label("Jawaban publik").fill("Lubang sudah ditambal dengan aspal.")
    form.evaluate("f => f.noValidate = true")
    form.get_by_role("button", name="Selesaikan").click()
    assert "foto sesudah penanganan" in handler_page.get_by_test_id("form-resolve").inner_text()
    assert Complaint.objects.get(pk=complaint.pk).state == "in_progress"
    shot(handler_page, "resolve-refused")

    # With the photo it is resolved.
    photo = tmp_path / "sesudah.jpg"
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 90)).save(out, "JPEG")
    photo.write_bytes(out.getvalue())
    form = handler_page.get_by_test_id("form-resolve")
    form.get_by_label("Jawaban publik").fill("Lubang sudah ditambal dengan aspal.")
    form.get_by_label("Foto sesudah penanganan").set_input_files(str(photo))
    form.get_by_role("button", name="Selesaikan").click()
    assert handler_page.get_by_test_id("state").inner_text() == "Selesai ditindaklanjuti"
    assert handler_page.get_by_role("img", name=re.compile("Foto sesudah penanganan")).count() == 1
    _no_horizontal_scroll(handler_page, width)
    _assert_no_reporter(handler_page, reporter)
    shot(handler_page, "resolved")

    complaint.refresh_from_db()
    assert complaint.state == "resolved"
    assert complaint.handler_id == handler.pk
    assert complaint.public_answer == "Lubang sudah ditambal dengan aspal."
    assert ComplaintPhoto.objects.filter(complaint=complaint, kind="after").count() == 1
    cache.clear()
