"""GeoReport v2 reads: discovery, services, service definitions, requests (list and one), in
JSON validated against the conformance schemas and in XML checked for the spec's structure;
privacy, filters, paging and flat query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loket.organizations.models import Government
from tests.open311 import world as w
from tests.open311.conformance import (
    DISCOVERY_SCHEMA,
    ERRORS_SCHEMA,
    check_errors_xml,
    check_service_definition_xml,
    check_xml,
    validate,
)

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def _json(response, status: int = 200):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _xml(response, status: int = 200) -> bytes:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("text/xml")
    return response.content


def _assert_error(response, status: int) -> list[str]:
    if response["Content-Type"].startswith("text/xml"):
        return check_errors_xml(_xml(response, status), status)
    body = _json(response, status)
    validate(body, ERRORS_SCHEMA)
    assert all(item["code"] == status for item in body)
    return [item["description"] for item in body]


# --- discovery, services ------------------------------------------------------------------------
def test_discovery_in_both_formats(client, world):
    body = _json(client.get(f"{BASE}/discovery.json"))
    validate(body, DISCOVERY_SCHEMA)
    endpoint = body["endpoints"][0]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}

    (document,) = check_xml(
        _xml(client.get(f"{BASE}/discovery.xml")), "discovery", None, DISCOVERY_SCHEMA
    )
    formats = [f.text for f in document.find("endpoints/endpoint/formats")]
    assert document.find("endpoints/endpoint").tag == "endpoint"
    assert formats == ["text/xml", "application/json"]


def test_services_list_active_categories_of_active_governments(client, world):
    stale = w.build("18.72")
    Government.objects.filter(pk=stale.gov.pk).update(is_active=False)
    body = _json(client.get(f"{BASE}/services.json"))
    validate(body, "services.json")
    codes = [s["service_code"] for s in body]
    assert codes == [world.infra.service_code, world.road.service_code, world.trash.service_code]
    road = body[1]
    assert road == {
        "service_code": world.road.service_code,
        "service_name": "Jalan rusak",
        "description": "Jalan berlubang atau rusak",
        "metadata": True,
        "type": "realtime",
        "keywords": "jalan,lubang",
        "group": "Infrastruktur",
    }
    assert body[2]["group"] == "Sampah" and body[2]["description"] is None

    items = check_xml(
        _xml(client.get(f"{BASE}/services.xml")), "services", "service", "service.json"
    )
    assert [i.findtext("service_code") for i in items] == codes
    assert items[1].findtext("metadata") == "true"
    assert items[2].find("description").text is None  # null → empty element


def test_services_by_jurisdiction(client, world):
    other = w.build("18.72")
    body = _json(client.get(f"{BASE}/services.json", {"jurisdiction_id": other.gov.slug}))
    assert {s["service_code"] for s in body} == {
        other.infra.service_code,
        other.road.service_code,
        other.trash.service_code,
    }
    _assert_error(client.get(f"{BASE}/services.json", {"jurisdiction_id": "tidak-ada"}), 404)


def test_service_definition_in_both_formats(client, world):
    body = _json(client.get(f"{BASE}/services/{world.road.service_code}.json"))
    validate(body, "service-definition.json")
    codes = [a["code"] for a in body["attributes"]]
    assert codes == ["LEBAR", "JENIS", "region", "visibility", "identity"]
    jenis = body["attributes"][1]
    assert jenis["datatype"] == "singlevaluelist"
    assert jenis["values"] == [
        {"key": "kota", "name": "Jalan kota"},
        {"key": "desa", "name": "Desa"},
    ]
    orders = [a["order"] for a in body["attributes"]]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    visibility = body["attributes"][3]
    assert [v["key"] for v in visibility["values"]] == ["confidential", "public"]

    document = check_service_definition_xml(
        _xml(client.get(f"{BASE}/services/{world.road.service_code}.xml"))
    )
    assert [a.findtext("code") for a in document.find("attributes")] == codes
    values = document.find("attributes")[1].find("values")
    assert [v.findtext("key") for v in values] == ["kota", "desa"]


def test_service_definition_of_unknown_or_inactive_category_is_404(client, world):
    for code in ("TIDAK-ADA", "LAMA-4"):
        _assert_error(client.get(f"{BASE}/services/{code}.json"), 404)
    _assert_error(client.get(f"{BASE}/services/TIDAK-ADA.xml"), 404)


def test_unknown_format_is_404_in_the_spec_shape(client, world):
    _assert_error(client.get(f"{BASE}/services.html"), 404)
    _assert_error(client.get(f"{BASE}/requests.csv"), 404)


def test_accept_header_does_not_change_the_format(client, world):
    response = client.get(f"{BASE}/services.xml", HTTP_ACCEPT="application/json")
    check_xml(_xml(response), "services", "service", "service.json")
    response = client.get(f"{BASE}/services.json", HTTP_ACCEPT="text/html")
    validate(_json(response), "services.json")


def test_get_with_a_wrong_method_answers_405_in_spec_shape(client, world):
    response = client.delete(f"{BASE}/services.json")
    body = _json(response, 405)
    validate(body, ERRORS_SCHEMA)


# --- requests -----------------------------------------------------------------------------------
@pytest.fixture
def reports(world, django_user_model):
    citizen = django_user_model.objects.create_user(
        email="penulis.laporan@contoh.id", password="sandi-warga-123", full_name="Budi Pelapor"
    )
    public = w.public_report(world, user=citizen, landmark="Depan SD 2")
    guest_public = w.public_report(world, category=world.trash, description="Sampah menumpuk.")
    confidential = w.publish(world, w.file(world, description="Rahasia sekali."))
    unlisted = w.file(world, visibility="public", description="Belum diverifikasi.")
    rejected = w.reject(world, w.file(world, visibility="public", description="Ditolak."))
    return {
        "citizen": citizen,
        "public": public,
        "guest_public": guest_public,
        "confidential": confidential,
        "unlisted": unlisted,
        "rejected": rejected,
    }


PERSONAL = [
    w.GUEST_NAME,
    w.GUEST_EMAIL,
    w.GUEST_PHONE,
    "Budi Pelapor",
    "penulis.laporan@contoh.id",
]


def _no_personal_data(response) -> None:
    text = response.content.decode()
    for value in PERSONAL:
        assert value not in text


def test_requests_list_shows_public_reports_only(client, world, reports):
    response = client.get(f"{BASE}/requests.json")
    body = _json(response)
    validate(body, "requests.json")
    for item in body:
        validate(item, "request.json")
    numbers = [r["service_request_id"] for r in body]
    assert numbers == [
        reports["guest_public"].tracking_number,
        reports["public"].tracking_number,
    ]
    _no_personal_data(response)
    assert "Rahasia sekali" not in response.content.decode()
    item = body[1]
    assert item["status"] == "open"
    assert item["service_code"] == world.road.service_code
    assert item["service_name"] == "Jalan rusak"
    assert item["address"] == "Depan SD 2, Kelurahan Sukamaju"
    assert item["address_id"] == world.village.code
    assert (item["lat"], item["long"]) == w.PIN
    assert item["agency_responsible"] == str(world.agency)
    assert item["requested_datetime"].endswith("+07:00")
    # Fields that would name the reporter do not exist at all.
    assert not {"email", "first_name", "last_name", "phone", "account_id", "device_id"} & set(item)

    response = client.get(f"{BASE}/requests.xml")
    items = check_xml(_xml(response), "service_requests", "request", "request.json")
    assert [i.findtext("service_request_id") for i in items] == numbers
    assert items[1].findtext("lat") == str(w.PIN[0])
    _no_personal_data(response)


def test_single_request_in_both_formats(client, world, reports):
    number = reports["public"].tracking_number
    body = _json(client.get(f"{BASE}/requests/{number}.json"))
    validate(body, "requests.json")
    assert len(body) == 1
    validate(body[0], "request.json")
    assert body[0]["service_request_id"] == number
    # Lower case works too (numbers are printed upper case).
    assert _json(client.get(f"{BASE}/requests/{number.lower()}.json")) == body

    response = client.get(f"{BASE}/requests/{number}.xml")
    (item,) = check_xml(_xml(response), "service_requests", "request", "request.json")
    assert item.findtext("service_request_id") == number
    assert item.findtext("description") == body[0]["description"]
    _no_personal_data(response)


@pytest.mark.parametrize("which", ["confidential", "unlisted", "rejected"])
def test_non_public_request_is_404_like_a_missing_one(client, world, reports, which):
    number = reports[which].tracking_number
    missing = _assert_error(client.get(f"{BASE}/requests/TIDAK-2026-000001.json"), 404)
    assert _assert_error(client.get(f"{BASE}/requests/{number}.json"), 404) == missing
    check_errors_xml(_xml(client.get(f"{BASE}/requests/{number}.xml"), 404), 404)
    # Not by the id list either.
    listed = _json(client.get(f"{BASE}/requests.json", {"service_request_id": number}))
    assert listed == []


def test_requests_by_id_list_override_other_filters(client, world, reports):
    ids = [reports["public"].tracking_number, reports["confidential"].tracking_number]
    body = _json(
        client.get(
            f"{BASE}/requests.json",
            {"service_request_id": ",".join(ids), "status": "closed", "service_code": "X"},
        )
    )
    validate(body, "requests.json")
    assert [r["service_request_id"] for r in body] == [ids[0]]


def test_requests_filter_by_service_code_and_status(client, world, reports):
    body = _json(client.get(f"{BASE}/requests.json", {"service_code": world.trash.service_code}))
    assert [r["service_request_id"] for r in body] == [reports["guest_public"].tracking_number]

    w.resolve(world, reports["public"])
    closed = _json(client.get(f"{BASE}/requests.json", {"status": "closed"}))
    validate(closed, "requests.json")
    assert [r["service_request_id"] for r in closed] == [reports["public"].tracking_number]
    assert closed[0]["status"] == "closed"
    assert closed[0]["status_notes"] == "Sudah ditambal."
    assert closed[0]["expected_datetime"] is not None
    opened = _json(client.get(f"{BASE}/requests.json", {"status": "open"}))
    assert [r["service_request_id"] for r in opened] == [reports["guest_public"].tracking_number]
    both = _json(client.get(f"{BASE}/requests.json", {"status": "open,closed"}))
    assert len(both) == 2


def test_requests_default_to_the_last_90_days_and_filter_by_dates(client, world):
    now = timezone.now()
    old = w.public_report(world, now=now - timedelta(days=100))
    recent = w.public_report(world, now=now - timedelta(days=10))
    body = _json(client.get(f"{BASE}/requests.json"))
    assert [r["service_request_id"] for r in body] == [recent.tracking_number]

    def ids(**params):
        body = _json(client.get(f"{BASE}/requests.json", params))
        validate(body, "requests.json")
        return [r["service_request_id"] for r in body]

    start = (now - timedelta(days=120)).isoformat()
    assert ids(start_date=start) == [recent.tracking_number, old.tracking_number]
    end = (now - timedelta(days=50)).isoformat()
    # end only: the 90 days before it.
    assert ids(end_date=end) == [old.tracking_number]
    assert ids(start_date=start, end_date=end) == [old.tracking_number]
    assert ids(start_date=(now - timedelta(days=120)).date().isoformat()) == [
        recent.tracking_number,
        old.tracking_number,
    ]
    assert ids(start_date="2010-01-01T00:00:00Z", end_date="2010-02-01T00:00:00Z") == []


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "kemarin"},
        {"end_date": "2026-13-45"},
        {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
        {"status": "pending"},
        {"page": "0"},
        {"page_size": "101"},
        {"page_size": "abc"},
        {"service_code": "A,B"},
        {"service_request_id": ",".join(f"X{i}" for i in range(101))},
    ],
)
def test_bad_request_parameters_are_400(client, world, params):
    assert _assert_error(client.get(f"{BASE}/requests.json", params), 400)
    check_errors_xml(_xml(client.get(f"{BASE}/requests.xml", params), 400), 400)


def test_paging(client, world):
    made = [w.public_report(world) for _ in range(3)]
    newest_first = [c.tracking_number for c in reversed(made)]
    response = client.get(f"{BASE}/requests.json", {"page_size": 2})
    first = _json(response)
    assert [r["service_request_id"] for r in first] == newest_first[:2]
    assert 'rel="next"' in response["Link"] and "page=2" in response["Link"]
    response = client.get(f"{BASE}/requests.json", {"page_size": 2, "page": 2})
    second = _json(response)
    validate(second, "requests.json")
    assert [r["service_request_id"] for r in second] == newest_first[2:]
    assert "Link" not in response
    assert _json(client.get(f"{BASE}/requests.json", {"page_size": 2, "page": 3})) == []


def test_next_link_never_repeats_the_api_key(client, world, key):
    for _ in range(2):
        w.public_report(world)
    response = client.get(f"{BASE}/requests.json", {"page_size": 1, "api_key": key})
    assert response.status_code == 200
    assert "api_key" not in response["Link"]


def test_xml_stays_well_formed_with_control_characters(client, world):
    report = w.public_report(world, description="Ada karakter \x0b aneh & <tag> di sini.")
    response = client.get(f"{BASE}/requests/{report.tracking_number}.xml")
    (item,) = check_xml(_xml(response), "service_requests", "request", "request.json")
    assert item.findtext("description") == "Ada karakter  aneh & <tag> di sini."


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_request_reads_run_a_constant_number_of_queries(client, world):
    w.public_report(world)
    urls = [
        f"{BASE}/requests.json",
        f"{BASE}/requests.xml?status=open",
        f"{BASE}/services.json",
        f"{BASE}/services/{world.road.service_code}.json",
    ]
    small = [_count(client, url) for url in urls]
    for _ in range(6):
        w.public_report(world, category=world.trash)
    w.file(world)  # confidential, unlisted
    large = [_count(client, url) for url in urls]
    assert small == large
    one = w.public_report(world).tracking_number
    assert _count(client, f"{BASE}/requests/{one}.json") <= 4


def test_access_log_leaves_out_the_query_string():
    from loket.__main__ import _web_cmd

    command = _web_cmd("8000", "2", "127.0.0.1")
    log_format = command[command.index("--access-log-fmt") + 1]
    # %(path)s is the path alone; %(query_string)s would carry api_key.
    assert "%(path)s" in log_format
    assert "query_string" not in log_format
