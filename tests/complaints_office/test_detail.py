"""The detail page's content, htmx sections and constant query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from loket.complaints import services
from loket.complaints.models import ComplaintMessage
from tests.complaints_office.conftest import signed_in

pytestmark = pytest.mark.django_db


def detail(c) -> str:
    return reverse("complaints_office:detail", args=[c.pk])


def test_detail_shows_report_place_privacy_timeline_messages_and_duplicates(org, drive, submit):
    c = drive("in_progress", landmark="Depan SD 2", visibility="public", identity="shown")
    twin = submit(title="Lubang dekat sekolah")
    services.complaint_add_note(complaint=c, actor=org.handler, body="Rahasia dapur")
    services.complaint_message_reporter(complaint=c, actor=org.handler, body="Ada foto lain?")
    services.complaint_reporter_reply(complaint=c, user=org.reporter, body="Tidak ada")
    body = signed_in(org.coordinator).get(detail(c)).content.decode()
    for text in (
        c.description,
        "Depan SD 2",
        org.village.name,
        "-5.4292, 105.261",
        "openstreetmap.org",
        "Publik",
        org.pupr.name,
        "Rahasia dapur",
        "Internal",
        "Ada foto lain?",
        "Tidak ada",
        "Tenggat berjalan",
    ):
        assert text in body, text
    dup = body.split('data-testid="duplicates"')[1]
    assert twin.tracking_number in dup
    # merge is not allowed in progress: candidates listed without the merge button
    assert "Gabungkan ke" not in dup


def test_duplicate_merge_button_in_verification(org, drive, submit):
    c = drive("verification")
    twin = submit()
    body = signed_in(org.coordinator).get(detail(c)).content.decode()
    dup = body.split('data-testid="duplicates"')[1]
    assert f'name="into" value="{twin.tracking_number}"' in dup


def test_forms_match_allowed_actions(org, drive):
    c = drive("dispatched")

    def forms(user):
        body = signed_in(user).get(detail(c)).content.decode()
        return {p.split('"')[0] for p in body.split('data-testid="form-')[1:]}

    coordinator = {"redirect", "forward", "recategorize", "note", "message"}
    assert forms(org.coordinator) == coordinator  # confidential and anonymous already
    assert forms(org.liaison) == {"decline", "start_work", "assign", "note", "message"}
    assert forms(org.handler) == {"start_work", "note", "message"}
    assert forms(org.supervisor) == {"decline", "assign"}
    assert forms(org.leader) == set()
    public = drive("dispatched", visibility="public")
    c = public
    assert forms(org.coordinator) == coordinator | {"restrict"}


def test_message_through_htmx_refreshes_the_thread(org, drive):
    c = drive("in_progress")
    url = reverse("complaints_office:act", args=[c.pk, "message"])
    client = signed_in(org.handler)
    response = client.post(url, {"body": "Kami segera datang"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<section id="messages-section"') and "Kami segera datang" in body
    response = client.post(url, {"body": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert ComplaintMessage.objects.filter(complaint=c).count() == 1


def test_note_through_htmx_refreshes_the_timeline(org, drive):
    c = drive("in_progress")
    url = reverse("complaints_office:act", args=[c.pk, "note"])
    response = signed_in(org.handler).post(url, {"body": "Cek lokasi"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<section id="timeline-section"') and "Cek lokasi" in body


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_queue_query_count_does_not_grow_with_data(org, drive, submit):
    client = signed_in(org.coordinator)
    url = reverse("complaints_office:queue") + "?antrean=all"
    for _n in range(2):
        drive("dispatched")
    drive("verification")
    client.get(url)  # warm caches (content types, calendar)
    small = _count(client, url)
    for _n in range(8):
        submit()
        drive("verification")
    drive("in_progress")
    assert _count(client, url) == small


def test_detail_query_count_does_not_grow_with_data(org, drive, submit):
    client = signed_in(org.coordinator)
    a = drive("in_progress")
    client.get(detail(a))
    small = _count(client, detail(a))
    b = drive("in_progress")
    for n in range(6):
        services.complaint_add_note(complaint=b, actor=org.handler, body=f"Catatan {n}")
        services.complaint_message_reporter(complaint=b, actor=org.handler, body=f"Pesan {n}")
        services.complaint_reporter_reply(complaint=b, user=org.reporter, body=f"Balas {n}")
        submit()
    assert _count(client, detail(b)) == small
