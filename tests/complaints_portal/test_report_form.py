"""The report form: safe defaults, validation (400, messages next to the fields, nothing
saved), photos kept by id, the photo's location, duplicates and the idempotency key."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from loket.complaints.models import Complaint, ComplaintPhoto, Identity, Visibility
from tests.complaints_portal.conftest import NEAR, PIN, jpeg, not_an_image

URL = "/pengaduan/lapor/"


def form_data(org, **overrides) -> dict:
    data = {
        "pemda": org.gov.slug,
        "idempotency_key": "kunci-uji-0001",
        "report_class": "pengaduan",
        "category": str(org.road.pk),
        "title": "Lampu jalan mati",
        "description": "Lampu jalan di gang tiga mati sejak seminggu.",
        "village": org.village.code,
        "latitude": str(PIN[0]),
        "longitude": str(PIN[1]),
        "landmark": "Depan masjid",
        "action": "submit",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def key_of(html: str) -> str:
    return re.search(r'name="idempotency_key" id="id_idempotency_key" value="([^"]+)"', html)[1]


def test_form_renders_with_privacy_boxes_unticked(org, citizen_client):
    response = citizen_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("public", "show_identity"):
        box = re.search(rf'<input type="checkbox" id="[^"]+" name="{name}"[^>]*>', html)[0]
        assert "checked" not in box
    assert "guest_name" not in html  # signed in: no guest contact fields
    assert org.road.name in html and "Kecamatan Satu" in html
    assert key_of(html)


def test_each_render_gets_a_fresh_idempotency_key(org):
    client = Client()
    first = key_of(client.get(URL).content.decode())
    second = key_of(client.get(URL).content.decode())
    assert first != second and len(first) >= 8


def test_guest_form_asks_for_contact(org):
    html = Client().get(URL).content.decode()
    assert 'name="guest_name"' in html and 'name="guest_email"' in html


def test_signed_in_citizen_files_with_safe_defaults(org, citizen_client):
    response = citizen_client.post(URL, form_data(org))
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:submitted", args=[complaint.tracking_number])
    assert complaint.visibility == Visibility.CONFIDENTIAL
    assert complaint.identity == Identity.ANONYMOUS
    assert complaint.region_id == org.village.code and complaint.latitude == PIN[0]
    page = citizen_client.get(response["Location"])
    assert complaint.tracking_number in page.content.decode()
    assert reverse("complaints:track", args=[complaint.tracking_number]) in page.content.decode()


def test_opting_in_makes_it_public_and_identity_shown(org, citizen_client):
    citizen_client.post(URL, form_data(org, public="on", show_identity="on"))
    complaint = Complaint.objects.get()
    assert complaint.visibility == Visibility.PUBLIC
    assert complaint.identity == Identity.SHOWN


def test_double_submit_with_one_key_gives_one_report(org, citizen_client):
    first = citizen_client.post(URL, form_data(org))
    second = citizen_client.post(URL, form_data(org))
    assert Complaint.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_same_key_with_other_data_is_a_conflict_not_a_second_report(org, citizen_client):
    citizen_client.post(URL, form_data(org))
    response = citizen_client.post(URL, form_data(org, title="Judul lain"))
    assert response.status_code == 409
    assert Complaint.objects.count() == 1
    assert "Kunci idempotensi" in response.content.decode()


BAD_INPUTS = {
    "outside-indonesia": ({"latitude": "51.5", "longitude": "-0.12"}, "latitude", "luar wilayah"),
    "half-a-pin": ({"latitude": "-5.4", "longitude": ""}, "latitude", "lintang dan bujur"),
    "empty-description": ({"description": "   "}, "description", "uraian wajib diisi"),
    "too-long-description": ({"description": "x" * 4001}, "description", "maks. 4000"),
    "unknown-category": ({"category": "999999"}, "category", "Kategori tidak dikenal"),
    "no-category": ({"category": ""}, "category", "Pilih kategori"),
    "empty-title": ({"title": ""}, "title", "Wajib diisi"),
    "no-village": ({"village": ""}, "village", "Pilih desa/kelurahan"),
    "foreign-village": ({"village": "18.72.01.1001"}, "village", "Pilih desa/kelurahan"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_answers_400_with_the_message_next_to_the_field(org, citizen_client, case):
    from tests import factories

    factories.region("18.72.01.1001", "Kelurahan Metro")
    overrides, field, message = BAD_INPUTS[case]
    response = citizen_client.post(URL, form_data(org, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    errors = re.search(rf'<ul class="errorlist" id="err-{field}"[^>]*>(.*?)</ul>', html, re.S)
    assert errors and message.lower() in errors[1].lower()
    assert 'data-testid="error-summary"' in html and f'href="#id_{field}"' in html
    assert Complaint.objects.count() == 0


def test_bad_photo_is_refused_and_nothing_is_saved(org, citizen_client):
    response = citizen_client.post(URL, {**form_data(org), "photos": [not_an_image()]})
    assert response.status_code == 400
    assert 'id="err-photos"' in response.content.decode()
    assert Complaint.objects.count() == 0
    assert ComplaintPhoto.objects.count() == 0


def test_stored_photos_stay_with_a_form_sent_back(org, citizen_client):
    response = citizen_client.post(
        URL, {**form_data(org, description=""), "photos": [jpeg(name="lubang.jpg")]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    ids = re.findall(r'name="photo_ids" value="([0-9a-f-]{36})" checked', html)
    assert len(ids) == 1 and "lubang.jpg" in html
    response = citizen_client.post(URL, {**form_data(org), "photo_ids": ids})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert [str(p.file_id) for p in complaint.photos.all()] == ids


def test_resent_form_with_photos_gives_the_same_report(org, citizen_client):
    upload = citizen_client.post("/pengaduan/lapor/foto/", {"photo": jpeg(name="a.jpg")})
    ids = [upload.json()["id"]]
    first = citizen_client.post(URL, {**form_data(org), "photo_ids": ids})
    second = citizen_client.post(URL, {**form_data(org), "photo_ids": ids})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Complaint.objects.count() == 1 and ComplaintPhoto.objects.count() == 1
    # a new report (new key) cannot take the photo already attached to the first one
    third = citizen_client.post(
        URL, {**form_data(org, idempotency_key="kunci-uji-0002"), "photo_ids": ids}
    )
    assert third.status_code == 400
    assert Complaint.objects.count() == 1


def test_photo_ids_from_another_session_are_refused(org, citizen_client, other_client):
    html = other_client.post(
        URL, {**form_data(org, action="upload"), "photos": [jpeg()]}
    ).content.decode()
    stolen = re.findall(r'name="photo_ids" value="([0-9a-f-]{36})"', html)
    assert stolen
    response = citizen_client.post(URL, {**form_data(org), "photo_ids": stolen})
    assert response.status_code == 400
    assert "Foto tidak ditemukan" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_photo_gps_is_offered_without_javascript(org):
    client = Client()
    data = form_data(org, latitude="", longitude="", action="upload")
    response = client.post(URL, {**data, "photos": [jpeg(*NEAR)]})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="photo-pin"' in html and "Lokasi dari foto" in html
    pin = re.search(r'name="photo_pin" id="id_photo_pin" value="([^"]+)"', html)[1]
    ids = re.findall(r'name="photo_ids" value="([0-9a-f-]{36})"', html)
    response = client.post(
        URL, {**data, "action": "use_photo_pin", "photo_pin": pin, "photo_ids": ids}
    )
    html = response.content.decode()
    lat = re.search(r'id="id_latitude" name="latitude" value="([^"]*)"', html)[1]
    assert abs(float(lat) - NEAR[0]) < 1e-4
    assert Complaint.objects.count() == 0


def test_photo_upload_endpoint_answers_json(org):
    client = Client()
    response = client.post("/pengaduan/lapor/foto/", {"photo": jpeg(*NEAR)})
    assert response.status_code == 201
    data = response.json()
    assert abs(data["pin"][0] - NEAR[0]) < 1e-4 and data["id"]
    bad = client.post("/pengaduan/lapor/foto/", {"photo": not_an_image()})
    assert bad.status_code == 400 and bad.json()["error"]
    missing = client.post("/pengaduan/lapor/foto/", {})
    assert missing.status_code == 400


def test_guest_files_and_gets_a_private_link_shown_once(org):
    client = Client()
    response = client.post(
        URL,
        form_data(org, guest_name="Sri Tamu", guest_email="sri.tamu@contoh.id"),
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    first = client.get(response["Location"]).content.decode()
    link = re.search(r'id="private-link" value="[^"]*?(/pengaduan/tamu/[^"]+)"', first)
    assert link, first
    assert "Sri Tamu" not in first and "sri.tamu" not in first
    again = client.get(response["Location"]).content.decode()
    assert "/pengaduan/tamu/" not in again

    guest = Client()  # another browser, with only the link
    opened = guest.get(link[1], follow=True)
    assert opened.status_code == 200 and complaint.title in opened.content.decode()
    reply = guest.post(
        reverse("complaints:guest_detail", args=[complaint.tracking_number]),
        {"action": "reply", "body": "Lubangnya makin besar."},
    )
    assert reply.status_code == 302
    assert complaint.messages.get().body == "Lubangnya makin besar."
    # Without the link there is nothing to see; a wrong token is a 404 too.
    stranger = Client()
    detail = reverse("complaints:guest_detail", args=[complaint.tracking_number])
    assert stranger.get(detail).status_code == 404
    wrong = reverse("complaints:guest_entry", args=[complaint.tracking_number, "0" * 40])
    assert stranger.get(wrong).status_code == 404


def test_guest_without_contact_gets_400(org):
    response = Client().post(URL, form_data(org, guest_name="Sri"))
    assert response.status_code == 400
    assert 'id="err-guest_email"' in response.content.decode()
    assert Complaint.objects.count() == 0


def test_duplicates_are_suggested_with_support_instead_of_filing(org, drive, citizen_client):
    existing = drive("dispatched", visibility="public", title="Lubang di Jalan Kartini")
    hidden = drive("dispatched", title="Rahasia dekat sini")  # confidential: never suggested
    data = form_data(org, latitude=str(NEAR[0]), longitude=str(NEAR[1]), action="refresh")
    html = citizen_client.post(URL, data).content.decode()
    assert 'data-testid="duplicates"' in html and "Lubang di Jalan Kartini" in html
    assert f'data-testid="support-{existing.tracking_number}"' in html
    assert hidden.tracking_number not in html and "Rahasia dekat sini" not in html
    fragment = citizen_client.get(
        "/pengaduan/lapor/serupa/",
        {"category": org.road.pk, "latitude": NEAR[0], "longitude": NEAR[1]},
    ).content.decode()
    assert "Dukung laporan ini" in fragment and "Lubang di Jalan Kartini" in fragment
    other_category = citizen_client.get(
        "/pengaduan/lapor/serupa/",
        {"category": org.trash.pk, "latitude": NEAR[0], "longitude": NEAR[1]},
    ).content.decode()
    assert "Lubang di Jalan Kartini" not in other_category
    assert Complaint.objects.count() == 2


def test_choose_government_when_there_are_several(org):
    from loket.complaints.models import Category
    from tests import factories

    other = factories.government("18.72")
    Category.objects.create(government=other, name="Jalan", service_code="P-JALAN-2")
    client = Client()
    html = client.get(URL).content.decode()
    assert org.gov.name in html and other.name in html and 'name="pemda"' in html
    assert client.get(URL, {"pemda": "tidak-ada"}).status_code == 400
    assert client.get(URL, {"pemda": other.slug}).status_code == 200
