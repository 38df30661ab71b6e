"""A citizen on a 360-px phone loses the connection while filing a report: the report is kept
on the device, sent once when the connection returns, and a second send of the same draft
(a retry, or the next page load) still files one report. On a weak connection the phone still
calls online, a report whose POST or answer is lost is sent from the next page, still once."""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from loket.complaints.models import Category, Complaint
from loket.core.models import IdempotencyKey
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORE = "loket.drafts.v1"


def _signed_in(page, user, live_server_url: str) -> None:
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    page.context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server_url}]
    )


def _drafts(page) -> list[dict]:
    return json.loads(page.evaluate(f"window.localStorage.getItem('{STORE}') || '[]'"))


def test_report_drafted_offline_is_sent_once_when_online(page, live_server):
    cache.clear()
    gov = f.government("18.71", slug="bandar-lampung")
    f.region("18.71.01", "Tanjung Karang Pusat")
    f.region("18.71.01.1001", "Kelurahan Pasir Gintung")
    road = Category.objects.create(government=gov, name="Jalan rusak", service_code="PWA-JALAN")
    citizen = f.citizen(email="warga.luring@contoh.id")

    _signed_in(page, citizen, live_server.url)
    page.goto("/pengaduan/lapor/")
    # The region lists come from the server: chosen while still online.
    page.get_by_label("Kecamatan").select_option("18.71.01")
    page.locator("#id_village option[value='18.71.01.1001']").wait_for(state="attached")
    page.get_by_label("Desa/kelurahan").select_option("18.71.01.1001")
    form_key = page.locator("#id_idempotency_key").input_value()

    # The connection drops; the citizen fills in and sends the report.
    page.context.set_offline(True)
    assert page.evaluate("navigator.onLine") is False
    page.get_by_label("Kategori").select_option(str(road.pk))
    page.get_by_label("Judul").fill("Lampu jalan mati di Jalan Kartini")
    page.get_by_label("Uraian").fill("Sudah tiga malam gelap total, rawan kecelakaan.")
    page.get_by_test_id("submit-report").click()

    status = page.locator("[data-draft-status]")
    status.wait_for()
    assert "Tersimpan di perangkat; akan dikirim saat online" in status.inner_text()
    assert page.url.endswith("/pengaduan/lapor/")  # nothing was sent: still on the form
    drafts = _drafts(page)
    assert [d["key"] for d in drafts] == [form_key]
    fields = dict(drafts[0]["fields"])
    assert fields["title"] == "Lampu jalan mati di Jalan Kartini"
    assert fields["village"] == "18.71.01.1001"
    assert Complaint.objects.count() == 0
    # The form now carries a fresh key: a second report from this page is another report.
    assert page.locator("#id_idempotency_key").input_value() != form_key

    # The connection returns: the draft is sent and the tracking page is linked.
    page.context.set_offline(False)
    link = page.get_by_test_id("draft-link")
    link.wait_for()
    complaint = Complaint.objects.get()
    assert complaint.title == "Lampu jalan mati di Jalan Kartini"
    assert complaint.reporter.user_id == citizen.pk
    assert complaint.tracking_number in status.inner_text()
    assert complaint.tracking_number in (link.get_attribute("href") or "")
    assert IdempotencyKey.objects.filter(key=form_key).count() == 1
    assert _drafts(page) == []

    # The same draft sent again (a retry after a lost answer): still one report.
    page.evaluate(
        "([store, value]) => window.localStorage.setItem(store, value)",
        [STORE, json.dumps(drafts)],
    )
    page.evaluate("window.loketDrafts.sync()")
    page.wait_for_function(f"!window.localStorage.getItem('{STORE}')")
    assert Complaint.objects.count() == 1

    # ... and once more on the next page load, from another page (pwa.js loads the sender).
    page.evaluate(
        "([store, value]) => window.localStorage.setItem(store, value)",
        [STORE, json.dumps(drafts)],
    )
    page.goto("/")
    page.get_by_test_id("draft-link").wait_for()
    assert complaint.tracking_number in page.locator("[data-draft-status]").inner_text()
    assert _drafts(page) == []
    assert Complaint.objects.count() == 1
    assert IdempotencyKey.objects.filter(key=form_key).count() == 1


def test_report_form_opens_offline_from_the_service_worker(page, live_server):
    cache.clear()
    gov = f.government("18.71", slug="bandar-lampung")
    f.region("18.71.01.1001", "Kelurahan Pasir Gintung")
    Category.objects.create(government=gov, name="Jalan rusak", service_code="PWA-JALAN")
    citizen = f.citizen(email="warga.luring2@contoh.id")
    _signed_in(page, citizen, live_server.url)

    page.goto("/")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)") is True
    page.goto("/pengaduan/lapor/")  # through the worker, which keeps a copy
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    online_key = page.locator("#id_idempotency_key").input_value()

    page.context.set_offline(True)
    page.goto("/pengaduan/lapor/")
    expect(page.get_by_role("heading", name="Buat laporan")).to_be_visible()
    # A form opened from the device's copy gets its own key, not the one in the copy.
    assert page.locator("#id_idempotency_key").input_value() != online_key
    page.goto("/pengaduan/saya/")  # never opened: the offline page
    expect(page.get_by_role("heading", name="Tidak ada koneksi")).to_be_visible()
    page.context.set_offline(False)


def test_refused_draft_is_kept_and_goes_back_into_the_form(page, live_server):
    cache.clear()
    gov = f.government("18.71", slug="bandar-lampung")
    f.region("18.71.01.1001", "Kelurahan Pasir Gintung")
    road = Category.objects.create(government=gov, name="Jalan rusak", service_code="PWA-JALAN")
    _signed_in(page, f.citizen(email="warga.luring3@contoh.id"), live_server.url)
    page.goto("/pengaduan/lapor/")

    page.context.set_offline(True)
    page.get_by_label("Kategori").select_option(str(road.pk))
    page.get_by_label("Judul").fill("Saluran air tersumbat")  # no village chosen: refused later
    page.get_by_test_id("submit-report").click()
    page.locator("[data-draft-status]").wait_for()

    page.context.set_offline(False)
    page.get_by_test_id("draft-check").wait_for()  # the server refused it: kept, not lost
    assert Complaint.objects.count() == 0
    assert [d["failed"] for d in _drafts(page)] == [True]

    page.goto("/pengaduan/lapor/")
    assert page.get_by_label("Judul").input_value() == "Saluran air tersumbat"
    assert page.get_by_label("Kategori").input_value() == str(road.pk)
    assert "belum dapat dikirim" in page.locator("[data-draft-status]").inner_text()
    assert _drafts(page) == []


# --- a report posted while the device says it is online, on a weak connection ----------------

REPORT_URL = "**/pengaduan/lapor/"


def _report_form_filled(page, live_server_url: str, email: str, *, description: str = "") -> str:
    """A signed-in citizen on the report form, every field filled in (the description only if
    given); returns the form's idempotency key."""
    gov = f.government("18.71", slug="bandar-lampung")
    f.region("18.71.01", "Tanjung Karang Pusat")
    f.region("18.71.01.1001", "Kelurahan Pasir Gintung")
    road = Category.objects.create(government=gov, name="Jalan rusak", service_code="PWA-JALAN")
    _signed_in(page, f.citizen(email=email), live_server_url)
    page.goto("/pengaduan/lapor/")
    page.get_by_label("Kecamatan").select_option("18.71.01")
    page.locator("#id_village option[value='18.71.01.1001']").wait_for(state="attached")
    page.get_by_label("Desa/kelurahan").select_option("18.71.01.1001")
    page.get_by_label("Kategori").select_option(str(road.pk))
    page.get_by_label("Judul").fill("Jembatan kayu di Jalan Pemuda lapuk")
    if description:
        page.get_by_label("Uraian").fill(description)
    return page.locator("#id_idempotency_key").input_value()


def _report_posts(page) -> list[str]:
    """The report form's POSTs from now on (the browser's and the draft sender's)."""
    posts: list[str] = []
    page.on(
        "request",
        lambda r: (
            posts.append(r.url) if r.method == "POST" and "/pengaduan/lapor/" in r.url else None
        ),
    )
    return posts


def _in_flight_key(page) -> str | None:
    return page.evaluate("window.sessionStorage.getItem('loket.drafts.inflight')")


def _only_post(action):
    def handle(route) -> None:
        if route.request.method == "POST":
            action(route)
        else:
            route.continue_()

    return handle


def test_report_whose_post_fails_online_is_sent_from_the_next_page(page, live_server):
    cache.clear()
    key = _report_form_filled(
        page, live_server.url, "warga.lemah1@contoh.id", description="Papan jembatan patah dua."
    )
    assert page.evaluate("navigator.onLine") is True
    handler = _only_post(lambda route: route.abort())
    page.route(REPORT_URL, handler)
    with page.expect_event("requestfailed"):
        page.get_by_test_id("submit-report").click()
    page.unroute(REPORT_URL, handler)
    assert Complaint.objects.count() == 0  # the POST never reached the server

    # The citizen goes elsewhere: the copy kept before sending is sent with the form's key.
    page.goto("/")
    link = page.get_by_test_id("draft-link")
    link.wait_for()
    complaint = Complaint.objects.get()
    assert complaint.title == "Jembatan kayu di Jalan Pemuda lapuk"
    assert complaint.description == "Papan jembatan patah dua."
    assert complaint.tracking_number in page.locator("[data-draft-status]").inner_text()
    assert complaint.tracking_number in (link.get_attribute("href") or "")
    assert IdempotencyKey.objects.filter(key=key).count() == 1
    assert _drafts(page) == []
    assert _in_flight_key(page) is None


def test_report_filed_but_its_answer_lost_is_resent_once(page, live_server):
    cache.clear()
    key = _report_form_filled(
        page, live_server.url, "warga.lemah2@contoh.id", description="Papan jembatan patah dua."
    )

    def lose_answer(route) -> None:
        route.fetch(max_redirects=0)  # the server files the report ...
        route.abort()  # ... and its answer never arrives

    handler = _only_post(lose_answer)
    page.route(REPORT_URL, handler)
    with page.expect_event("requestfailed"):
        page.get_by_test_id("submit-report").click()
    page.unroute(REPORT_URL, handler)
    complaint = Complaint.objects.get()

    posts = _report_posts(page)
    page.goto("/pengaduan/saya/")
    page.get_by_test_id("draft-link").wait_for()
    # Sent again with the same key: the server answers with the same report.
    assert posts == [f"{live_server.url}/pengaduan/lapor/"]
    assert Complaint.objects.count() == 1
    assert IdempotencyKey.objects.filter(key=key).count() == 1
    assert complaint.tracking_number in page.locator("[data-draft-status]").inner_text()
    assert _drafts(page) == []


def test_report_posted_online_leaves_no_copy_behind(page, live_server):
    cache.clear()
    _report_form_filled(
        page, live_server.url, "warga.lemah3@contoh.id", description="Papan jembatan patah dua."
    )
    posts = _report_posts(page)
    page.get_by_test_id("submit-report").click()
    number = page.get_by_test_id("tracking-number")
    number.wait_for()
    assert number.inner_text() == Complaint.objects.get().tracking_number
    # The "submitted" page settles the copy kept while the answer was on its way.
    page.wait_for_function(f"!window.localStorage.getItem('{STORE}')")
    assert _in_flight_key(page) is None
    assert page.locator("[data-draft-status]").count() == 0

    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.loketDrafts === undefined")  # nothing waiting: not even loaded
    assert len(posts) == 1
    assert Complaint.objects.count() == 1


def test_report_refused_by_the_server_is_not_resent(page, live_server):
    cache.clear()
    # No description; the form is "novalidate": the server refuses it.
    key = _report_form_filled(page, live_server.url, "warga.lemah4@contoh.id")
    posts = _report_posts(page)
    page.get_by_test_id("submit-report").click()
    page.get_by_test_id("error-summary").wait_for()
    # The form came back with its key and the errors: the copy goes, silently.
    assert page.locator("#id_idempotency_key").input_value() == key
    page.wait_for_function(f"!window.localStorage.getItem('{STORE}')")
    assert _in_flight_key(page) is None
    assert page.locator("[data-draft-status]").count() == 0

    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.loketDrafts === undefined")
    assert len(posts) == 1
    assert Complaint.objects.count() == 0
