"""Public list, report page, support/follow and the map's JSON: only public, listed reports,
and nothing personal anywhere."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from loket.complaints.models import ComplaintFollower
from tests.complaints_portal.conftest import FAR, PIN, jpeg


@pytest.fixture
def reports(org, drive):
    return {
        "public": drive("dispatched", visibility="public", title="Lubang publik", photos=[jpeg()]),
        "public_trash": drive(
            "in_progress",
            visibility="public",
            category=org.trash,
            title="Sampah menumpuk",
            latitude=FAR[0],
            longitude=FAR[1],
        ),
        "confidential": drive("dispatched", title="Laporan rahasia"),
        "unverified": drive("received", visibility="public", title="Belum diverifikasi"),
    }


def test_public_list_shows_only_listed_public_reports(org, reports):
    response = Client().get("/pengaduan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lubang publik" in html and "Sampah menumpuk" in html
    assert "Laporan rahasia" not in html and "Belum diverifikasi" not in html
    assert org.reporter.full_name not in html and org.reporter.email not in html


def test_public_list_filters(org, reports):
    client = Client()
    by_category = client.get("/pengaduan/", {"kategori": org.trash.pk}).content.decode()
    assert "Sampah menumpuk" in by_category and "Lubang publik" not in by_category
    by_parent = client.get("/pengaduan/", {"kategori": org.infra.pk}).content.decode()
    assert "Lubang publik" in by_parent and "Sampah menumpuk" not in by_parent
    by_status = client.get("/pengaduan/", {"status": "in_progress"}).content.decode()
    assert "Sampah menumpuk" in by_status and "Lubang publik" not in by_status
    by_region = client.get("/pengaduan/", {"wilayah": "18.71.01"}).content.decode()
    assert "Lubang publik" in by_region
    elsewhere = client.get("/pengaduan/", {"wilayah": "18.71.02"}).content.decode()
    assert "Lubang publik" not in elsewhere
    future = client.get("/pengaduan/", {"dari": "2999-01-01"}).content.decode()
    assert "Lubang publik" not in future


@pytest.mark.parametrize(
    "query",
    [
        {"kategori": "abc"},
        {"kategori": "999999"},
        {"status": "received"},
        {"dari": "kemarin"},
        {"wilayah": "<script>"},
        {"dari": "2026-05-02", "sampai": "2026-05-01"},
    ],
)
def test_bad_filters_answer_400_with_a_message(org, reports, query):
    response = Client().get("/pengaduan/", query)
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()


def test_report_page_shows_photos_timeline_and_support(org, reports):
    complaint = reports["public"]
    response = Client().get(reverse("complaints:detail", args=[complaint.tracking_number]))
    assert response.status_code == 200
    html = response.content.decode()
    photo = complaint.photos.get()
    assert f"/berkas/{photo.file_id}/" in html
    assert "Riwayat" in html and 'data-testid="support-count"' in html
    assert org.reporter.full_name not in html and org.reporter.email not in html


@pytest.mark.parametrize("which", ["confidential", "unverified"])
def test_report_page_is_404_for_reports_the_public_may_not_see(org, reports, which):
    number = reports[which].tracking_number
    assert Client().get(reverse("complaints:detail", args=[number])).status_code == 404


def test_support_and_follow(org, reports, other_client):
    complaint = reports["public"]
    url = reverse("complaints:support", args=[complaint.tracking_number])
    anon = Client().post(url)
    assert anon.status_code == 302 and "/akun/login/" in anon["Location"]
    assert other_client.post(url).status_code == 302
    assert other_client.post(url).status_code == 302  # a second tap counts once
    complaint.refresh_from_db()
    assert complaint.support_count == 1
    assert ComplaintFollower.objects.filter(complaint=complaint, user=org.other).exists()
    page = other_client.get(reverse("complaints:detail", args=[complaint.tracking_number]))
    assert "Berhenti mengikuti" in page.content.decode()
    follow = reverse("complaints:follow", args=[complaint.tracking_number])
    assert other_client.post(follow, {"follow": "0"}).status_code == 302
    assert not ComplaintFollower.objects.filter(complaint=complaint, user=org.other).exists()
    hidden = reports["confidential"].tracking_number
    assert other_client.post(reverse("complaints:support", args=[hidden])).status_code == 404
    assert other_client.post(reverse("complaints:follow", args=[hidden])).status_code == 404


def test_map_page_renders(org, reports):
    response = Client().get("/pengaduan/peta/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/leaflet/leaflet.js" in html and "complaints/map-points.js" in html
    assert "Laporan rahasia" not in html


BOX = {"bbox": "105.0,-5.6,105.5,-5.3"}


def test_map_data_has_public_points_only_and_nothing_personal(org, reports):
    response = Client().get("/pengaduan/peta/data/", BOX)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    numbers = {p[0] for p in data["points"]}
    assert numbers == {reports["public"].tracking_number, reports["public_trash"].tracking_number}
    assert data["fields"] == ["number", "lat", "lng", "category", "status"]
    body = response.content.decode()
    for secret in ("Lubang publik", "Laporan rahasia", org.reporter.full_name, org.reporter.email):
        assert secret not in body
    point = next(p for p in data["points"] if p[0] == reports["public"].tracking_number)
    assert point[1:] == [PIN[0], PIN[1], "P-JALAN", "dispatched"]


def test_map_data_filters_and_viewport(org, reports):
    client = Client()
    trash = client.get("/pengaduan/peta/data/", {**BOX, "kategori": org.trash.pk}).json()
    assert [p[0] for p in trash["points"]] == [reports["public_trash"].tracking_number]
    small = client.get("/pengaduan/peta/data/", {"bbox": "105.25,-5.44,105.27,-5.42"}).json()
    assert [p[0] for p in small["points"]] == [reports["public"].tracking_number]


@pytest.mark.parametrize(
    "bbox",
    ["", "1,2,3", "a,b,c,d", "105.5,-5.3,105.0,-5.6", "nan,1,2,3", "0,-95,1,0", "0,0,200,1"],
)
def test_map_data_rejects_a_bad_box(org, bbox):
    response = Client().get("/pengaduan/peta/data/", {"bbox": bbox})
    assert response.status_code == 400
    assert json.loads(response.content)["error"]


def test_map_data_rejects_bad_filters(org):
    client = Client()
    assert client.get("/pengaduan/peta/data/", {**BOX, "kategori": "x"}).status_code == 400
    assert client.get("/pengaduan/peta/data/", {**BOX, "status": "received"}).status_code == 400


def test_home_card_links_to_the_complaints_portal(org):
    html = Client().get("/").content.decode()
    assert 'href="/pengaduan/"' in html
