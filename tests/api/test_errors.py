"""One error shape for 404/405/429/500 and addresses that match nothing."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.api.schema_check import assert_error_shape, assert_matches_schema

pytestmark = pytest.mark.django_db


def test_unknown_api_address_is_404_json(api):
    for url in ("/api/v2/regions/", "/api/v1/nothing/", "/api/v1/regions"):
        response = api.get(url)
        assert response["Content-Type"] == "application/json"
        assert_error_shape(response, 404, "not_found")
    response = api.post("/api/v1/nothing/", {"a": 1})
    assert_error_shape(response, 404, "not_found")


def test_method_not_allowed(api, lampung):
    response = api.post("/api/v1/regions/", {"code": "19"})
    error = assert_error_shape(response, 405, "method_not_allowed")
    assert "POST" in error["message"]
    assert "fields" not in error


@pytest.mark.urls("tests.api.urls_testonly")
def test_unhandled_exception_is_500_with_request_id(api, caplog):
    response = api.get("/test/boom/", HTTP_X_REQUEST_ID="support-case-12345")
    error = assert_error_shape(response, 500, "server_error")
    assert response["X-Request-ID"] == "support-case-12345"
    assert "support-case-12345" in error["message"]
    assert "RuntimeError" not in response.content.decode()
    assert "secret" not in response.content.decode()
    assert any(record.exc_info for record in caplog.records if record.name == "loket.api")


def test_throttled_is_429_with_retry_after(api, lampung, throttle_clock):
    rates = {"anon": "2/min", "user": "600/min", "integrator": "1200/min", "write": "30/min"}
    from django.conf import settings

    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        assert api.get("/api/v1/regions/").status_code == 200
        assert api.get("/api/v1/regions/").status_code == 200
        response = api.get("/api/v1/regions/")
    error = assert_error_shape(response, 429, "throttled")
    assert_matches_schema(response)
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 60
    assert str(retry_after) in error["message"]


def test_integrators_are_limited_per_key_not_per_address(
    api, lampung, integrator_key, throttle_clock
):
    rates = {"anon": "1/min", "user": "600/min", "integrator": "3/min", "write": "30/min"}
    from django.conf import settings

    _, plaintext = integrator_key
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        statuses = [
            api.get("/api/v1/regions/", HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code
            for _ in range(4)
        ]
        anonymous = api.get("/api/v1/regions/").status_code
    assert statuses == [200, 200, 200, 429]
    assert anonymous == 200  # the key's requests did not use up the address's allowance
