"""GeoReport v2 POST requests: an integrator key with the open311 scope files a report through
the complaints service; every refusal is in the spec's error shape and saves nothing."""

from __future__ import annotations

import pytest

from loket.api.services import apikey_create, apikey_revoke
from loket.complaints.models import Complaint
from tests.open311 import world as w
from tests.open311.conformance import (
    ERRORS_SCHEMA,
    check_errors_xml,
    check_xml,
    post_response_schema,
    validate,
)

pytestmark = pytest.mark.django_db
URL = "/open311/v2/requests.json"


def _form(world, key: str, **overrides) -> dict:
    data = {
        "api_key": key,
        "service_code": world.road.service_code,
        "lat": str(w.PIN[0]),
        "long": str(w.PIN[1]),
        "address_string": "Jl. Sudirman depan SD 2",
        "attribute[region]": world.village.code,
        "attribute[LEBAR]": "40",
        "email": "pengirim@contoh.id",
        "first_name": "Rina",
        "last_name": "Pengirim",
        "description": "Lubang besar di jalan.\nSudah dua minggu.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _errors(response, status: int) -> list[str]:
    assert response.status_code == status, response.content
    body = response.json()
    validate(body, ERRORS_SCHEMA)
    assert all(item["code"] == status for item in body)
    return [item["description"] for item in body]


def test_post_files_a_confidential_anonymous_report_by_default(client, world, key):
    response = client.post(URL, _form(world, key))
    assert response.status_code == 200, response.content
    body = response.json()
    validate(body, post_response_schema())
    (answer,) = body
    assert answer["account_id"] is None
    number = answer["service_request_id"]
    assert number in answer["service_notice"]
    assert f"http://testserver/pengaduan/lacak/{number}/" in answer["service_notice"] or (
        "http://testserver/" in answer["service_notice"]
    )
    complaint = Complaint.objects.get(tracking_number=number)
    assert complaint.source == "open311"
    assert complaint.visibility == "confidential" and complaint.identity == "anonymous"
    assert complaint.title == "Lubang besar di jalan."
    assert complaint.description == "Lubang besar di jalan.\nSudah dua minggu."
    assert complaint.region_id == world.village.code
    assert complaint.attributes == {"LEBAR": 40}
    assert complaint.landmark == "Jl. Sudirman depan SD 2"
    assert (complaint.latitude, complaint.longitude) == w.PIN
    # The answer never echoes the contact.
    assert b"pengirim@contoh.id" not in response.content and b"Rina" not in response.content
    # Confidential: the public reads do not know it, even once dispatched.
    w.publish(world, complaint)
    assert client.get(f"/open311/v2/requests/{number}.json").status_code == 404


def test_post_opts_in_to_public_and_shown_identity(client, world, key):
    form = _form(world, key, **{"attribute[visibility]": "public", "attribute[identity]": "shown"})
    number = client.post(URL, form).json()[0]["service_request_id"]
    complaint = Complaint.objects.get(tracking_number=number)
    assert (complaint.visibility, complaint.identity) == ("public", "shown")
    w.publish(world, complaint)
    body = client.get(f"/open311/v2/requests/{number}.json").json()
    assert body[0]["service_request_id"] == number
    assert "Rina" not in str(body) and "pengirim@contoh.id" not in str(body)


def test_post_in_xml(client, world, key):
    response = client.post("/open311/v2/requests.xml", _form(world, key))
    assert response.status_code == 200, response.content
    schema = post_response_schema()["items"]
    (item,) = check_xml(response.content, "service_requests", "request", schema)
    number = item.findtext("service_request_id")
    assert Complaint.objects.filter(tracking_number=number).exists()
    assert item.find("account_id").text is None


def test_region_from_address_id(client, world, key):
    form = _form(world, key, **{"attribute[region]": None, "address_id": world.village2.code})
    number = client.post(URL, form).json()[0]["service_request_id"]
    assert Complaint.objects.get(tracking_number=number).region_id == world.village2.code


def test_region_from_a_name_in_address_string(client, world, key):
    form = _form(
        world,
        key,
        **{
            "attribute[region]": None,
            "lat": None,
            "long": None,
            "address_string": "Jl. Pahlawan 3, Rawa Laut, Bandar Lampung",
        },
    )
    response = client.post(URL, form)
    assert response.status_code == 200, response.content
    number = response.json()[0]["service_request_id"]
    complaint = Complaint.objects.get(tracking_number=number)
    assert complaint.region_id == world.village2.code
    assert complaint.latitude is None


def test_region_that_cannot_be_told_is_400(client, world, key):
    before = Complaint.objects.count()
    form = _form(world, key, **{"attribute[region]": None, "address_string": "Jl. Mawar"})
    (message,) = _errors(client.post(URL, form), 400)
    assert message.startswith("attribute[region]:")
    # Both names in the text: ambiguous.
    form["address_string"] = "antara Sukamaju dan Rawa Laut"
    _errors(client.post(URL, form), 400)
    # A region of another government is refused by the domain.
    other = w.build("18.72")
    form = _form(world, key, **{"attribute[region]": other.village.code})
    (message,) = _errors(client.post(URL, form), 400)
    assert message.startswith("attribute[region]:")
    assert Complaint.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "parameter"),
    [
        ({"service_code": "TIDAK-ADA"}, "service_code"),
        ({"service_code": ""}, "service_code"),
        ({"lat": None, "long": None, "address_string": None, "attribute[region]": None}, "lat"),
        ({"lat": "48.85", "long": "2.35"}, "lat/long"),  # Paris
        ({"lat": "-5.4", "long": ""}, "lat/long"),
        ({"lat": "utara"}, "lat/long"),
        ({"attribute[LEBAR]": "lebar sekali"}, "attribute[LEBAR]"),
        ({"attribute[JENIS]": "tol"}, "attribute[JENIS]"),
        ({"attribute[TIDAKADA]": "1"}, "attribute[TIDAKADA]"),
        ({"attribute[visibility]": "semua"}, "attribute[visibility]"),
        ({"attribute[identity]": "x"}, "attribute[identity]"),
        ({"email": None}, "email"),
        ({"email": "bukan-email"}, "email"),
        ({"description": ""}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
    ],
)
def test_bad_input_is_400_and_saves_nothing(client, world, key, overrides, parameter):
    before = Complaint.objects.count()
    messages = _errors(client.post(URL, _form(world, key, **overrides)), 400)
    assert any(m.startswith(parameter) for m in messages), messages
    assert Complaint.objects.count() == before


def test_required_attribute(client, world, key):
    world.trash.attributes = [{"code": "VOLUME", "datatype": "number", "required": True}]
    world.trash.save()
    form = _form(world, key, service_code=world.trash.service_code, **{"attribute[LEBAR]": None})
    (message,) = _errors(client.post(URL, form), 400)
    assert message.startswith("attribute[VOLUME]:")
    form["attribute[VOLUME]"] = "2"
    assert client.post(URL, form).status_code == 200


def test_errors_in_xml(client, world, key):
    response = client.post("/open311/v2/requests.xml", _form(world, key, service_code="X"))
    assert response.status_code == 400
    (description,) = check_errors_xml(response.content, 400)
    assert description.startswith("service_code:")


def test_media_url_is_kept_as_text_never_fetched(client, world, key):
    url = "https://foto.contoh.id/lubang.jpg"
    number = client.post(URL, _form(world, key, media_url=url)).json()[0]["service_request_id"]
    complaint = Complaint.objects.get(tracking_number=number)
    assert complaint.description.endswith(url)
    assert complaint.photos.count() == 0


@pytest.mark.parametrize("which", ["none", "read_scope", "revoked", "personal", "garbage"])
def test_post_needs_an_integrator_key_with_the_open311_scope(
    client, world, key, read_key, django_user_model, which
):
    if which == "none":
        form = _form(world, key, api_key=None)
    elif which == "read_scope":
        form = _form(world, read_key)
    elif which == "revoked":
        revoked, plaintext = apikey_create(name="Lama", scopes=["open311"])
        apikey_revoke(key=revoked, actor=None)
        form = _form(world, plaintext)
    elif which == "personal":
        user = django_user_model.objects.create_user(email="p@contoh.id", password="x-12345678")
        form = _form(world, apikey_create(name="Ponsel", scopes=["open311"], user=user)[1])
    else:
        form = _form(world, "lk_bukan_kunci")
    before = Complaint.objects.count()
    assert _errors(client.post(URL, form), 403)
    response = client.post("/open311/v2/requests.xml", form)
    assert response.status_code == 403
    check_errors_xml(response.content, 403)
    assert Complaint.objects.count() == before


def test_key_bound_to_another_government_is_403(client, world):
    other = w.build("18.72")
    _, plaintext = apikey_create(name="Mitra lain", scopes=["open311"], government=other.gov)
    _errors(client.post(URL, _form(world, plaintext)), 403)
    _, own = apikey_create(name="Mitra", scopes=["open311"], government=world.gov)
    assert client.post(URL, _form(world, own)).status_code == 200


def test_key_in_the_query_string_works_too(client, world, key):
    form = _form(world, key, api_key=None)
    response = client.post(f"{URL}?api_key={key}", form)
    assert response.status_code == 200, response.content


def test_json_body_is_refused_with_a_400(client, world, key):
    form = _form(world, key, api_key=None)
    response = client.post(f"{URL}?api_key={key}", form, content_type="application/json")
    _errors(response, 400)
    # Without a readable key the answer is the 403 of a missing key.
    _errors(client.post(URL, _form(world, key), content_type="application/json"), 403)


def test_idempotency_key_header_returns_the_first_filing(client, world, key):
    form = _form(world, key)
    first = client.post(URL, form, HTTP_IDEMPOTENCY_KEY="open311-retry-0001")
    again = client.post(URL, form, HTTP_IDEMPOTENCY_KEY="open311-retry-0001")
    assert first.status_code == again.status_code == 200
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert Complaint.objects.count() == 1


def test_post_is_rate_limited_in_the_spec_shape(client, world, key, settings, throttle_clock):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "write": "1/min",
        },
    }
    assert client.post(URL, _form(world, key)).status_code == 200
    response = client.post(URL, _form(world, key))
    _errors(response, 429)
    assert int(response["Retry-After"]) > 0
