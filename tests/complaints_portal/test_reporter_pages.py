"""Tracking page, "my reports", and the reporter's actions: reply, rate (only when resolved),
reopen (only within the window), make more private."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from loket.complaints import services
from loket.complaints.models import Visibility


def test_tracking_page_shows_status_and_no_content_of_a_confidential_report(org, drive):
    complaint = drive("dispatched", title="Judul rahasia", landmark="Rumah Pak RT")
    response = Client().get(reverse("complaints:track", args=[complaint.tracking_number]))
    assert response.status_code == 200
    html = response.content.decode()
    assert complaint.tracking_number in html and str(org.pupr) in html
    assert 'data-testid="status"' in html and "tenggat" in html
    for secret in ("Judul rahasia", complaint.description, "Rumah Pak RT", org.road.name):
        assert secret not in html
    assert org.reporter.full_name not in html and org.reporter.email not in html


def test_tracking_form_redirects_and_unknown_numbers_are_404(org, drive):
    complaint = drive()
    client = Client()
    assert client.get("/pengaduan/lacak/").status_code == 200
    response = client.get("/pengaduan/lacak/", {"nomor": complaint.tracking_number.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:track", args=[complaint.tracking_number])
    missing = client.get(reverse("complaints:track", args=["T999-2026-000001"]))
    assert missing.status_code == 404 and "tidak ditemukan" in missing.content.decode()
    assert client.get("/pengaduan/lacak/", {"nomor": "<script>"}).status_code == 400


def test_my_reports_lists_only_mine(org, submit, citizen_client, other_client):
    mine = submit(title="Laporan milik saya")
    theirs = submit(title="Laporan orang lain", reporter=org.other)
    html = citizen_client.get("/pengaduan/saya/").content.decode()
    assert mine.tracking_number in html and theirs.tracking_number not in html
    anon = Client().get("/pengaduan/saya/")
    assert anon.status_code == 302 and "/akun/login/" in anon["Location"]


def test_report_detail_is_only_for_its_reporter(org, submit, citizen_client, other_client):
    complaint = submit(title="Laporan rahasia saya")
    services.complaint_message_reporter(
        complaint=complaint, actor=org.coordinator, body="Mohon kirim foto tambahan."
    )
    url = reverse("complaints:mine_detail", args=[complaint.tracking_number])
    response = citizen_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Laporan rahasia saya" in html and "Mohon kirim foto tambahan." in html
    assert other_client.get(url).status_code == 404
    assert citizen_client.get(reverse("complaints:mine_detail", args=["X-1"])).status_code == 404


def test_reply_sends_a_private_message(org, submit, citizen_client):
    complaint = submit()
    url = reverse("complaints:mine_detail", args=[complaint.tracking_number])
    empty = citizen_client.post(url, {"action": "reply", "body": "  "})
    assert empty.status_code == 400 and 'id="err-body"' in empty.content.decode()
    assert (
        citizen_client.post(url, {"action": "reply", "body": "Sudah saya foto."}).status_code == 302
    )
    assert complaint.messages.get().body == "Sudah saya foto."


def test_rating_an_open_report_is_a_409_with_a_message(org, drive, citizen_client):
    complaint = drive("in_progress")
    url = reverse("complaints:mine_detail", args=[complaint.tracking_number])
    assert "Nilai penanganan" not in citizen_client.get(url).content.decode()
    response = citizen_client.post(url, {"action": "confirm", "rating": "5"})
    assert response.status_code == 409
    assert "setelah laporan selesai" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.rating is None and complaint.state == "in_progress"


def test_rating_a_resolved_report_closes_it(org, drive, citizen_client):
    complaint = drive("resolved")
    url = reverse("complaints:mine_detail", args=[complaint.tracking_number])
    assert "Nilai penanganan" in citizen_client.get(url).content.decode()
    bad = citizen_client.post(url, {"action": "confirm", "rating": "9"})
    assert bad.status_code == 400 and 'id="err-rating"' in bad.content.decode()
    ok = citizen_client.post(url, {"action": "confirm", "rating": "5", "comment": "Cepat"})
    assert ok.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.state, complaint.rating, complaint.rating_comment) == ("closed", 5, "Cepat")


def test_reopen_within_the_window(org, drive, citizen_client):
    complaint = drive("resolved")
    url = reverse("complaints:mine_detail", args=[complaint.tracking_number])
    assert "Buka kembali laporan" in citizen_client.get(url).content.decode()
    empty = citizen_client.post(url, {"action": "reopen", "reason": ""})
    assert empty.status_code == 400
    response = citizen_client.post(url, {"action": "reopen", "reason": "Berlubang lagi"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "reopened"


def test_reopen_after_the_window_is_refused_with_a_message(org, drive, citizen_client):
    complaint = drive("resolved")
    org.gov.settings = {"complaints": {"reopen_window_hours": 0}}
    org.gov.save(update_fields=["settings"])
    url = reverse("complaints:mine_detail", args=[complaint.tracking_number])
    assert "Buka kembali laporan" not in citizen_client.get(url).content.decode()
    response = citizen_client.post(url, {"action": "reopen", "reason": "Berlubang lagi"})
    assert response.status_code == 400
    assert "sudah lewat" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == "resolved"


def test_reporter_makes_a_report_more_private(org, drive, citizen_client):
    complaint = drive("dispatched", visibility="public", identity="shown")
    url = reverse("complaints:mine_detail", args=[complaint.tracking_number])
    nothing = citizen_client.post(url, {"action": "restrict"})
    assert nothing.status_code == 400
    response = citizen_client.post(url, {"action": "restrict", "make_confidential": "on"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.visibility == Visibility.CONFIDENTIAL and complaint.identity == "shown"
    assert (
        Client().get(reverse("complaints:detail", args=[complaint.tracking_number])).status_code
        == 404
    )


def test_guest_rates_through_the_private_link(org, drive):
    complaint = drive("resolved", reporter=None, guest_name="Tamu", guest_phone="081234567890")
    from loket.complaints.models import ComplaintReporter

    token = services.guest_token_for(ComplaintReporter.objects.get(complaint=complaint))
    guest = Client()
    entry = reverse("complaints:guest_entry", args=[complaint.tracking_number, token])
    page = guest.get(entry, follow=True)
    assert page.status_code == 200 and "Nilai penanganan" in page.content.decode()
    detail = reverse("complaints:guest_detail", args=[complaint.tracking_number])
    assert guest.post(detail, {"action": "confirm", "rating": "4"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "closed" and complaint.rating == 4
