"""Complaints in API v1: public list, report, map, tracking, filing with an idempotency key and
"my reports" — every answer checked against the OpenAPI document, privacy, flat query counts,
and ten parallel identical filings making one report (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from loket.api.services import apikey_create
from loket.complaints.models import Complaint
from loket.complaints.selectors import PIN_MIN_SAMPLES
from tests.api.schema_check import _to_json_schema, assert_error_shape, openapi
from tests.api.schema_check import assert_matches_schema as _assert_matches_schema
from tests.open311 import world as w

pytestmark = pytest.mark.django_db
LIST = "/api/v1/complaints/"


@pytest.fixture
def world(db):
    return w.build()


@pytest.fixture
def reports(world, citizen):
    return {
        "mine_public": w.public_report(world, user=citizen, landmark="Depan pasar"),
        "guest_public": w.public_report(
            world, category=world.trash, region=world.village2, description="Sampah."
        ),
        "mine_confidential": w.publish(world, w.file(world, user=citizen, title="Rahasia saya")),
        "unlisted": w.file(world, visibility="public", title="Belum dicek"),
    }


MAP_TEMPLATE = "/api/v1/complaints/map/"


def assert_matches_schema(response) -> None:
    """schema_check's check; the map's answers against the map operation explicitly (its
    path also fits the ``{number}`` template, which the generic lookup may find first)."""
    if response.wsgi_request.path != MAP_TEMPLATE:
        _assert_matches_schema(response)
        return
    operation = openapi()["paths"][MAP_TEMPLATE]["get"]
    documented = operation["responses"][str(response.status_code)]
    schema = documented["content"]["application/json"]["schema"]
    root = _to_json_schema({**schema, "components": openapi()["components"]})
    jsonschema.validate(response.json(), root, cls=jsonschema.Draft7Validator)


PERSONAL = [w.GUEST_NAME, w.GUEST_EMAIL, w.GUEST_PHONE, "Siti Warga", "warga@example.test"]


def _private(response) -> None:
    text = response.content.decode()
    for value in PERSONAL:
        assert value not in text


def _numbers(response) -> list[str]:
    return [r["number"] for r in response.json()["results"]]


def test_paths_are_in_the_openapi_document():
    paths = openapi()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/complaints/"])
    for path in (
        "/api/v1/complaints/{number}/",
        "/api/v1/complaints/map/",
        "/api/v1/complaints/track/{number}/",
        "/api/v1/me/complaints/",
    ):
        assert "get" in paths[path], path
    assert not any(p.startswith("/open311") for p in paths)


def test_public_list_shows_listed_public_reports_only(api, reports):
    response = api.get(LIST)
    assert response.status_code == 200
    assert_matches_schema(response)
    assert _numbers(response) == [
        reports["guest_public"].tracking_number,
        reports["mine_public"].tracking_number,
    ]
    assert response.json()["next"] is None and response.json()["previous"] is None
    _private(response)
    assert b"Rahasia saya" not in response.content and b"Belum dicek" not in response.content


def test_public_list_filters(api, world, reports):
    def numbers(**params):
        response = api.get(LIST, params)
        assert response.status_code == 200, response.content
        assert_matches_schema(response)
        return _numbers(response)

    guest, mine = reports["guest_public"].tracking_number, reports["mine_public"].tracking_number
    assert numbers(category=world.trash.pk) == [guest]
    assert numbers(category=world.infra.pk) == [mine]  # sub-categories included
    assert numbers(service_code=world.road.service_code) == [mine]
    assert numbers(region=world.village2.code) == [guest]
    assert numbers(region="18.71.01") == [mine]
    assert numbers(status="dispatched") == [guest, mine]
    assert numbers(status="closed") == []
    assert numbers(government=world.gov.slug) == [guest, mine]
    soon = (timezone.now() + timedelta(hours=1)).isoformat()
    assert numbers(since=soon) == []
    assert numbers(until=soon) == [guest, mine]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "received"},
        {"status": "bogus"},
        {"region": "18.7"},
        {"category": "abc"},
        {"since": "kemarin"},
        {"page_size": 101},
        {"page": 0},
    ],
)
def test_public_list_bad_input_is_400(api, world, params):
    response = api.get(LIST, params)
    assert_error_shape(response, 400, "validation_error")
    assert_matches_schema(response)


def test_public_list_pagination(api, world):
    made = [w.public_report(world) for _ in range(3)]
    response = api.get(LIST, {"page_size": 2})
    assert_matches_schema(response)
    assert _numbers(response) == [made[2].tracking_number, made[1].tracking_number]
    assert "page=2" in response.json()["next"]
    response = api.get(response.json()["next"])
    assert_matches_schema(response)
    assert _numbers(response) == [made[0].tracking_number]
    assert response.json()["next"] is None and "page=1" in response.json()["previous"]
    assert_error_shape(api.get(LIST, {"page_size": 2, "page": 3}), 404, "not_found")
    assert_error_shape(api.get(LIST, {"government": "tidak-ada"}), 404, "not_found")


def test_public_report_page(api, reports):
    number = reports["mine_public"].tracking_number
    response = api.get(f"{LIST}{number}/")
    assert response.status_code == 200
    assert_matches_schema(response)
    body = response.json()
    assert body["number"] == number and body["landmark"] == "Depan pasar"
    assert [step["status"] for step in body["timeline"]][-1] == "dispatched"
    _private(response)
    for which in ("mine_confidential", "unlisted"):
        response = api.get(f"{LIST}{reports[which].tracking_number}/")
        assert_error_shape(response, 404, "not_found")
        assert_matches_schema(response)
    assert_error_shape(api.get(f"{LIST}TIDAK-2026-000001/"), 404, "not_found")


def test_map(api, reports):
    west, south, east, north = w.PIN[1] - 0.1, w.PIN[0] - 0.1, w.PIN[1] + 0.1, w.PIN[0] + 0.1
    response = api.get(f"{LIST}map/", {"bbox": f"{west},{south},{east},{north}"})
    assert response.status_code == 200
    assert_matches_schema(response)
    body = response.json()
    assert {p["number"] for p in body["results"]} == {
        reports["guest_public"].tracking_number,
        reports["mine_public"].tracking_number,
    }
    assert body["count"] == 2 and body["truncated"] is False
    far = api.get(f"{LIST}map/", {"bbox": "100,0,101,1"})
    assert far.json()["results"] == []


@pytest.mark.parametrize(
    "bbox", [None, "1,2,3", "a,b,c,d", "106,-5,105,-6", "0,-95,1,0", "nan,0,1,1"]
)
def test_map_bad_bbox_is_400(api, world, bbox):
    params = {} if bbox is None else {"bbox": bbox}
    response = api.get(f"{LIST}map/", params)
    assert_error_shape(response, 400, "validation_error")
    assert_matches_schema(response)


def test_tracking_shows_no_content_of_a_confidential_report(api, reports):
    confidential = reports["mine_confidential"]
    response = api.get(f"{LIST}track/{confidential.tracking_number}/")
    assert response.status_code == 200
    assert_matches_schema(response)
    body = response.json()
    assert body["is_public"] is False and body["category"] is None
    assert body["status"] == "dispatched"
    assert all(step["note"] == "" for step in body["timeline"])
    assert b"Rahasia saya" not in response.content
    _private(response)
    public = api.get(f"{LIST}track/{reports['mine_public'].tracking_number.lower()}/")
    assert_matches_schema(public)
    assert public.json()["category"] == "Jalan rusak"
    assert_error_shape(api.get(f"{LIST}track/TIDAK-2026-000001/"), 404, "not_found")


# --- filing -------------------------------------------------------------------------------------
def _body(world, **overrides):
    data = {
        "government": world.gov.slug,
        "category": world.road.service_code,
        "title": "Lampu jalan mati",
        "description": "Sudah seminggu gelap di tikungan.",
        "region": world.village.code,
        "latitude": w.PIN[0],
        "longitude": w.PIN[1],
        "attributes": {"LEBAR": 3},
    }
    data.update(overrides)
    return data


def test_file_a_report_with_a_token(api, world, citizen, citizen_token):
    _, token = citizen_token
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY="kunci-0000001")
    response = api.post(LIST, _body(world), format="json")
    assert response.status_code == 201, response.content
    assert_matches_schema(response)
    body = response.json()
    assert (body["visibility"], body["identity"]) == ("confidential", "anonymous")
    assert body["status"] == "received"
    complaint = Complaint.objects.get(tracking_number=body["number"])
    assert complaint.source == "api" and complaint.attributes == {"LEBAR": 3}
    assert complaint.reporter.user_id == citizen.pk
    assert body["url"].endswith(f"{body['number']}/")

    again = api.post(LIST, _body(world), format="json")
    assert again.status_code == 200
    assert_matches_schema(again)
    assert again.json() == body
    assert Complaint.objects.count() == 1

    other = api.post(LIST, _body(world, title="Lain"), format="json")
    assert_error_shape(other, 409, "idempotency_conflict")
    assert_matches_schema(other)
    assert Complaint.objects.count() == 1


def test_file_by_category_id_and_opt_in_to_public(api, world, citizen):
    api.force_login(citizen)
    body = _body(world, category=str(world.trash.pk), visibility="public", identity="shown")
    body.pop("attributes")
    response = api.post(LIST, body, format="json", HTTP_IDEMPOTENCY_KEY="kunci-0000002")
    assert response.status_code == 201, response.content
    assert (response.json()["visibility"], response.json()["identity"]) == ("public", "shown")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"description": ""}, "description"),
        ({"region": "18.71"}, "region"),
        ({"region": "18.72.01.1001"}, "region"),
        ({"category": "TIDAK-ADA"}, "category"),
        ({"government": "tidak-ada"}, "government"),
        ({"latitude": 48.85, "longitude": 2.35}, "location"),
        ({"latitude": -5.4, "longitude": None}, "location"),
        ({"attributes": {"LEBAR": "lebar"}}, "attribute[LEBAR]"),
        ({"visibility": "semua"}, "visibility"),
    ],
)
def test_filing_bad_input_is_400_and_saves_nothing(api, world, citizen, overrides, field):
    api.force_login(citizen)
    response = api.post(
        LIST, _body(world, **overrides), format="json", HTTP_IDEMPOTENCY_KEY="kunci-0000003"
    )
    error = assert_error_shape(response, 400, "validation_error")
    assert_matches_schema(response)
    assert field in error["fields"], error
    assert not Complaint.objects.exists()


def test_filing_needs_an_idempotency_key_and_a_person(api, world, citizen, integrator_key):
    api.force_login(citizen)
    error = assert_error_shape(api.post(LIST, _body(world), format="json"), 400, "validation_error")
    assert "Idempotency-Key" in error["fields"]
    assert_error_shape(
        api.post(LIST, _body(world), format="json", HTTP_IDEMPOTENCY_KEY="pendek"),
        400,
        "validation_error",
    )
    anonymous = APIClient()
    response = anonymous.post(LIST, _body(world), format="json", HTTP_IDEMPOTENCY_KEY="k-00000001")
    assert_error_shape(response, 401, "not_authenticated")
    assert_matches_schema(response)
    integrator = APIClient()
    integrator.credentials(HTTP_AUTHORIZATION=f"Bearer {integrator_key[1]}")
    response = integrator.post(LIST, _body(world), format="json", HTTP_IDEMPOTENCY_KEY="k-00000001")
    assert_error_shape(response, 403, "permission_denied")
    assert not Complaint.objects.exists()


def test_filing_with_a_session_needs_the_csrf_token(world, citizen):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(citizen)
    response = client.post(LIST, _body(world), format="json", HTTP_IDEMPOTENCY_KEY="k-00000002")
    assert_error_shape(response, 403, "permission_denied")


# --- my reports ---------------------------------------------------------------------------------
def test_my_reports(api, world, citizen, other_citizen, reports, citizen_token):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {citizen_token[1]}")
    response = api.get("/api/v1/me/complaints/")
    assert response.status_code == 200
    assert_matches_schema(response)
    assert _numbers(response) == [
        reports["mine_confidential"].tracking_number,
        reports["mine_public"].tracking_number,
    ]
    assert response.json()["results"][0]["visibility"] == "confidential"
    assert b"warga@example.test" not in response.content

    api.force_authenticate(other_citizen)
    api.credentials()
    assert _numbers(api.get("/api/v1/me/complaints/")) == []


def test_my_reports_refuses_anonymous_and_integrators(world, integrator_key):
    response = APIClient().get("/api/v1/me/complaints/")
    assert_error_shape(response, 401, "not_authenticated")
    integrator = APIClient()
    integrator.credentials(HTTP_AUTHORIZATION=f"Bearer {integrator_key[1]}")
    response = integrator.get("/api/v1/me/complaints/")
    assert response.status_code in (401, 403)


# --- query counts -------------------------------------------------------------------------------
def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return len(queries)


def test_reads_run_a_constant_number_of_queries(api, world, citizen):
    api.force_login(citizen)
    first = w.public_report(world, user=citizen)
    bbox = {"bbox": "105,-6,106,-5"}
    urls = [
        (LIST, None),
        (LIST, {"category": world.infra.pk, "region": "18.71"}),
        (f"{LIST}map/", bbox),
        ("/api/v1/me/complaints/", None),
        (f"{LIST}{first.tracking_number}/", None),
        (f"{LIST}track/{first.tracking_number}/", None),
    ]
    small = [_count(api, url, params) for url, params in urls]
    for _ in range(5):
        w.public_report(world, user=citizen, category=world.trash)
    w.file(world, user=citizen)
    large = [_count(api, url, params) for url, params in urls]
    assert small == large


# Filing by token: auth, pin sample (a quiet area), number; in the transaction the key (with
# its result), report, reporter, timeline step, clock, inbox row, its deliveries, the look for
# a waiting sending run (the earlier filing queued one), then one audit entry (lock, tail,
# entry) naming the notification. Government, category and desa/kelurahan come from the cache
# once read. Savepoints and BEGIN/COMMIT not counted.
FILING_QUERY_BUDGET = 13  # with email and SMS on: two deliveries


def _filing_queries(api, world, token: str, n: int) -> int:
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY=f"hitung-{n:06d}")
    with CaptureQueriesContext(connection) as queries:
        response = api.post(LIST, _body(world, title=f"Lampu {n}"), format="json")
    assert response.status_code == 201, response.content
    return len([q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN"))])


def test_filing_runs_a_constant_number_of_queries(api, world, citizen, citizen_token):
    _, token = citizen_token
    citizen.phone, citizen.phone_verified, citizen.notify_sms = "+6281234567801", True, True
    citizen.save()
    for _ in range(PIN_MIN_SAMPLES):  # enough earlier pins in the village for the pin check
        w.public_report(world, user=citizen)
    _filing_queries(api, world, token, 0)  # caches (content types, calendar) warm
    small = _filing_queries(api, world, token, 1)
    for _ in range(5):
        w.public_report(world, user=citizen)
    large = _filing_queries(api, world, token, 2)
    assert small == large
    assert small <= FILING_QUERY_BUDGET, small


# --- concurrency (PostgreSQL) -------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_ten_parallel_identical_filings_make_one_report():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole database)")
    from django.contrib.auth import get_user_model

    world = w.build()
    user = get_user_model().objects.create_user(email="paralel@contoh.id", password="x-1234567")
    _, token = apikey_create(name="Ponsel", scopes=[], user=user)
    barrier = threading.Barrier(10)
    results: list[tuple[int, dict]] = []
    failures: list[BaseException] = []

    def post() -> None:
        try:
            client = APIClient()
            client.credentials(
                HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_IDEMPOTENCY_KEY="paralel-000001"
            )
            barrier.wait()
            response = client.post(LIST, _body(world), format="json")
            results.append((response.status_code, response.json()))
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 9 + [201], results
    assert len({body["number"] for _, body in results}) == 1
    assert Complaint.objects.count() == 1
