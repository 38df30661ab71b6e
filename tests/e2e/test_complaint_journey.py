"""A citizen — on a 360x640 phone, and again on a 1366x768 desktop — files a report with a
photo and a map pin, reads the tracking page, and — after a coordinator verifies and
dispatches it and a handler resolves it with an after-photo (set up through the services) —
rates it five stars. The report was filed with the default, anonymous identity: no
back-office page the officers can open names the reporter. Each page is screenshotted
(tests/browser.py ``shot``).
"""

from __future__ import annotations

import contextlib
import io
from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse
from PIL import Image

from loket.complaints import selectors, services
from loket.complaints.models import Category, Complaint
from loket.organizations.models import Role
from tests import factories as f
from tests.browser import scroll_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIN = ("-5.429200", "105.261000")


def _jpeg_bytes(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return out.getvalue()


def _signed_in(page, user, live_server_url: str) -> None:
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    page.context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server_url}]
    )


def _officer_client(user) -> Client:
    f.with_totp(user)  # the back office asks officers for a second factor at login
    client = Client()
    client.force_login(user)
    return client


def test_file_with_photo_and_pin_track_and_rate_after_resolution(
    make_page, viewport, shot, live_server, tmp_path
):
    cache.clear()
    gov = f.government("18.71", slug="bandar-lampung")
    f.region("18.71.01", "Tanjung Karang Pusat")
    f.region("18.71.01.1001", "Kelurahan Pasir Gintung")
    pupr = f.agency(gov, "pupr")
    kominfo = f.agency(gov, "kominfo")
    road = Category.objects.create(
        government=gov, name="Jalan rusak", service_code="E2E-JALAN", requires_after_photo=True
    )
    coordinator = f.officer(kominfo, Role.COORDINATOR)
    handler = f.officer(pupr, Role.HANDLER)
    citizen = f.citizen(email="warga.lapor@contoh.id")
    citizen.full_name = "Ratna Pelapor Rahasia"
    citizen.save(update_fields=["full_name"])
    photo = tmp_path / "lubang.jpg"
    photo.write_bytes(_jpeg_bytes((90, 90, 90)))

    # The citizen files the report.
    page = make_page(*viewport)
    _signed_in(page, citizen, live_server.url)
    page.goto("/pengaduan/lapor/")
    shot(page, "report-form")
    page.get_by_label("Kategori").select_option(str(road.pk))
    page.get_by_label("Judul").fill("Jalan berlubang di depan SD 2")
    page.get_by_label("Uraian").fill("Lubang selebar satu meter, sudah dua motor terjatuh.")
    page.get_by_label("Kecamatan").select_option("18.71.01")
    page.locator("#id_village option[value='18.71.01.1001']").wait_for(state="attached")
    page.get_by_label("Desa/kelurahan").select_option("18.71.01.1001")
    page.get_by_label("Lintang").fill(PIN[0])
    page.get_by_label("Bujur").fill(PIN[1])
    page.get_by_label("Tambah foto").set_input_files(str(photo))
    page.locator("#photo-list input[name=photo_ids]").wait_for()
    page.get_by_label("Tampilkan laporan ini untuk publik").check()
    assert not page.get_by_label(
        "Tampilkan identitas saya kepada petugas yang menangani"
    ).is_checked()
    assert scroll_width(page) <= viewport.width
    shot(page, "report-form-filled")
    page.get_by_test_id("submit-report").click()
    number = page.get_by_test_id("tracking-number").inner_text()
    shot(page, "submitted")
    complaint = Complaint.objects.get(tracking_number=number)
    assert complaint.photos.count() == 1
    assert (complaint.latitude, complaint.longitude) == (float(PIN[0]), float(PIN[1]))
    assert complaint.identity == "anonymous"

    # The tracking page anyone with the number can open.
    page.get_by_role("link", name="Lihat status laporan").click()
    assert page.get_by_test_id("status").inner_text() == complaint.public_status
    assert scroll_width(page) <= viewport.width
    shot(page, "tracking")

    # Officers: verify, dispatch, start, resolve with an after-photo.
    services.complaint_verify(complaint=complaint, actor=coordinator)
    services.complaint_dispatch(complaint=complaint, actor=coordinator, agency=pupr)
    services.complaint_start_work(
        complaint=complaint, actor=handler, estimate_date=date.today() + timedelta(days=5)
    )
    after = SimpleUploadedFile("sesudah.jpg", _jpeg_bytes((40, 40, 40)), "image/jpeg")
    services.complaint_resolve(
        complaint=complaint, actor=handler, answer="Lubang sudah ditambal.", after_photos=[after]
    )

    # The citizen rates the resolved report five stars.
    page.goto(reverse("complaints:mine_detail", args=[number]))
    assert "Lubang sudah ditambal." in page.get_by_test_id("public-answer").inner_text()
    shot(page, "my-report-resolved")
    page.get_by_label("5 — sangat puas").check()
    page.get_by_label("Komentar (opsional)").fill("Cepat dan rapi, terima kasih.")
    page.get_by_test_id("confirm").click()
    assert page.get_by_test_id("rating").inner_text().startswith("5")
    shot(page, "rated")
    complaint.refresh_from_db()
    assert (complaint.state, complaint.rating) == ("closed", 5)

    # The public page shows the report and its photos, without the reporter.
    page.goto(reverse("complaints:detail", args=[number]))
    assert page.locator(".photo-grid img").count() == 2
    assert citizen.full_name not in page.content()
    assert scroll_width(page) <= viewport.width
    shot(page, "public-report")

    # The report is anonymous: nothing an officer can open names the reporter.
    secrets = (citizen.full_name, citizen.email)
    for officer in (coordinator, handler):
        client = _officer_client(officer)
        urls: list[str] = []
        with contextlib.suppress(NoReverseMatch):  # the back office may not be wired yet
            urls = [
                reverse("complaints_office:queue") + "?antrean=all",
                reverse("complaints_office:detail", args=[complaint.pk]),
            ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert not any(s in body for s in secrets), url
    view = selectors.officer_view(
        selectors.complaint_for_officer(officer=coordinator, complaint_id=complaint.pk)
    )
    assert not any(s in repr(view) for s in secrets)
    cache.clear()
