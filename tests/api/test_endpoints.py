"""The read endpoints of v1: answers, privacy of /me/, 404s, and flat query counts."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loket.organizations.models import Agency, Government, Region
from tests.api.conftest import make_region
from tests.api.schema_check import assert_error_shape, assert_matches_schema

pytestmark = pytest.mark.django_db


def test_me_with_session(api, citizen):
    api.force_login(citizen)
    response = api.get("/api/v1/me/")
    assert response.status_code == 200
    assert_matches_schema(response)
    assert response.json() == {
        "id": citizen.pk,
        "kind": "citizen",
        "full_name": "Siti Warga",
        "language": "id",
    }
    # No personal contact data, even one's own.
    assert b"warga@example.test" not in response.content
    assert b"081234567890" not in response.content


def test_me_with_personal_token(api, citizen, citizen_token):
    _, plaintext = citizen_token
    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 200
    assert_matches_schema(response)
    assert response.json()["id"] == citizen.pk


def test_me_anonymous_is_401_with_challenge(api):
    response = api.get("/api/v1/me/")
    assert_error_shape(response, 401, "not_authenticated")
    assert_matches_schema(response)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_me_with_integrator_key_is_403(api, integrator_key):
    _, plaintext = integrator_key
    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert_error_shape(response, 403, "permission_denied")


def test_regions_top_level_and_children(api, lampung):
    make_region("31", "DKI Jakarta")
    response = api.get("/api/v1/regions/")
    assert response.status_code == 200
    assert_matches_schema(response)
    body = response.json()
    assert body["count"] == 2
    assert [r["code"] for r in body["results"]] == ["18", "31"]

    response = api.get("/api/v1/regions/", {"parent": "18"})
    assert_matches_schema(response)
    assert [r["code"] for r in response.json()["results"]] == ["18.03", "18.71"]
    assert response.json()["results"][1] == {
        "code": "18.71",
        "name": "Kota Bandar Lampung",
        "level": 2,
        "kind": "kota",
        "parent": "18",
    }


def test_regions_unknown_parent_is_404_and_malformed_is_400(api, lampung):
    response = api.get("/api/v1/regions/", {"parent": "18.99"})
    error = assert_error_shape(response, 404, "not_found")
    assert_matches_schema(response)
    assert "fields" not in error

    response = api.get("/api/v1/regions/", {"parent": "18;drop"})
    error = assert_error_shape(response, 400, "validation_error")
    assert_matches_schema(response)
    assert list(error["fields"]) == ["parent"]


def test_regions_pagination(api, lampung):
    for i in range(1, 6):
        make_region(f"18.71.0{i + 1}", f"Kecamatan {i}", Region.objects.get(code="18.71"))
    response = api.get("/api/v1/regions/", {"parent": "18.71", "page_size": 2, "page": 2})
    assert_matches_schema(response)
    body = response.json()
    assert body["count"] == 6
    assert len(body["results"]) == 2
    assert body["next"] and body["previous"]
    response = api.get("/api/v1/regions/", {"parent": "18.71", "page": 99})
    assert_error_shape(response, 404, "not_found")


def test_governments_and_agencies(api, government):
    response = api.get("/api/v1/governments/")
    assert response.status_code == 200
    assert_matches_schema(response)
    assert response.json()["results"] == [
        {
            "slug": "lampung",
            "name": "Pemerintah Provinsi Lampung",
            "region": "18",
            "region_name": "Lampung",
            "time_zone": "Asia/Jakarta",
        }
    ]
    response = api.get("/api/v1/governments/lampung/agencies/")
    assert_matches_schema(response)
    assert [a["slug"] for a in response.json()["results"]] == ["dinkes", "disdik"]


def test_inactive_or_unknown_government_is_404(api, government):
    Government.objects.filter(pk=government.pk).update(is_active=False)
    assert api.get("/api/v1/governments/").json()["count"] == 0
    for slug in ("lampung", "tidak-ada"):
        response = api.get(f"/api/v1/governments/{slug}/agencies/")
        assert_error_shape(response, 404, "not_found")
        assert_matches_schema(response)


def _queries(api, url, params=None) -> int:
    """Queries of one request with nothing cached (a government read by slug is cached)."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_counts_stay_flat(api, government, lampung):
    city = Region.objects.get(code="18.71")
    small = {
        "regions": _queries(api, "/api/v1/regions/", {"parent": "18.71"}),
        "governments": _queries(api, "/api/v1/governments/"),
        "agencies": _queries(api, "/api/v1/governments/lampung/agencies/"),
    }
    for i in range(20):
        make_region(f"18.71.{i + 10}", f"Kecamatan {i}", city)
        region = make_region(f"{40 + i}", f"Provinsi {i}")
        gov = Government.objects.create(
            region=region, name=f"Pemda {i}", slug=f"pemda-{i}", tracking_prefix=f"P{i:02d}"
        )
        Agency.objects.create(government=government, name=f"Dinas {i}", slug=f"dinas-{i}")
        Agency.objects.create(government=gov, name="Dinas", slug="dinas")
    large = {
        "regions": _queries(api, "/api/v1/regions/", {"parent": "18.71"}),
        "governments": _queries(api, "/api/v1/governments/"),
        "agencies": _queries(api, "/api/v1/governments/lampung/agencies/"),
    }
    assert large == small
    # Count + page, plus the parent/government lookup: nothing per row.
    assert small == {"regions": 3, "governments": 2, "agencies": 3}
