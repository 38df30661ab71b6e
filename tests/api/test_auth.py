"""Keys and tokens: stored as hashes, checked in every way a caller can get them wrong."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from loket.api import keys
from loket.api.models import ApiKey
from loket.api.services import MAX_PERSONAL_TOKENS, apikey_create, apikey_revoke
from loket.core.audit import verify_chain
from loket.core.models import AuditEvent
from tests.api.schema_check import assert_error_shape, assert_matches_schema

pytestmark = pytest.mark.django_db


def _bearer(plaintext: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def test_create_returns_plaintext_once_and_stores_only_a_hash(government):
    key, plaintext = apikey_create(name=" Mitra ", scopes=["open311"], government=government)
    prefix, secret = plaintext.split("_", 2)[1:]
    assert plaintext.startswith("lk_") and prefix == key.prefix and len(secret) >= 32
    stored = ApiKey.objects.get(pk=key.pk)
    assert stored.name == "Mitra" and stored.scopes == ["open311"]
    assert stored.key_hash == keys.hash_secret(prefix, secret)
    assert secret not in str(stored.__dict__)
    event = AuditEvent.objects.get(action="api.key_created")
    assert event.payload == {
        "prefix": prefix,
        "name": "Mitra",
        "scopes": ["open311"],
        "personal": False,
    }
    assert event.government_id == government.pk
    assert secret not in str(event.payload)
    assert verify_chain().ok


def test_create_rejects_unknown_scope_and_blank_name():
    with pytest.raises(ValidationError) as exc:
        apikey_create(name="x", scopes=["admin"])
    assert "scopes" in exc.value.message_dict
    with pytest.raises(ValidationError):
        apikey_create(name="  ", scopes=[])
    assert ApiKey.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_integrator_key_acts_as_no_user(api, integrator_key):
    key, plaintext = integrator_key
    response = api.get("/api/v1/governments/", **_bearer(plaintext))
    assert response.status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(api, integrator_key):
    key, plaintext = integrator_key
    api.get("/api/v1/governments/", **_bearer(plaintext))
    with CaptureQueriesContext(connection) as ctx:
        api.get("/api/v1/governments/", **_bearer(plaintext))
    assert not [q for q in ctx.captured_queries if q["sql"].upper().startswith("UPDATE")]

    two_minutes_ago = timezone.now() - timedelta(minutes=2)
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=two_minutes_ago)
    api.get("/api/v1/governments/", **_bearer(plaintext))
    key.refresh_from_db()
    assert key.last_used_at > two_minutes_ago


@pytest.mark.parametrize(
    "header",
    [
        "Bearer lk_zzzzzzzz_" + "a" * 43,  # unknown prefix
        "Bearer not-a-key",
        "Bearer",
        "Bearer two parts",
    ],
)
def test_bad_bearer_values_are_401(api, integrator_key, header):
    response = api.get("/api/v1/governments/", HTTP_AUTHORIZATION=header)
    assert_error_shape(response, 401, "authentication_failed")
    assert_matches_schema(response)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_wrong_secret_is_401(api, integrator_key):
    _, plaintext = integrator_key
    tampered = plaintext[:-4] + ("aaaa" if not plaintext.endswith("aaaa") else "bbbb")
    response = api.get("/api/v1/governments/", **_bearer(tampered))
    assert_error_shape(response, 401, "authentication_failed")


def test_revoked_key_is_401(api, integrator_key):
    key, plaintext = integrator_key
    apikey_revoke(key=key, actor=None)
    response = api.get("/api/v1/governments/", **_bearer(plaintext))
    error = assert_error_shape(response, 401, "authentication_failed")
    assert "dicabut" in error["message"]
    assert AuditEvent.objects.filter(action="api.key_revoked", object_id=str(key.pk)).count() == 1
    # Revoking again changes nothing.
    apikey_revoke(key=key, actor=None)
    assert AuditEvent.objects.filter(action="api.key_revoked").count() == 1


def test_token_of_deactivated_user_is_401(api, citizen, citizen_token):
    citizen.is_active = False
    citizen.save()
    response = api.get("/api/v1/me/", **_bearer(citizen_token[1]))
    assert_error_shape(response, 401, "authentication_failed")


@pytest.mark.urls("tests.api.urls_testonly")
def test_scope_required(api):
    _, without = apikey_create(name="Baca saja", scopes=["read"])
    response = api.get("/test/open311/", **_bearer(without))
    error = assert_error_shape(response, 403, "permission_denied")
    assert "open311" in error["message"]

    key, with_scope = apikey_create(name="Open311", scopes=["open311"])
    response = api.get("/test/open311/", **_bearer(with_scope))
    assert response.status_code == 200
    assert response.json() == {"key": key.prefix, "user": False}

    response = api.get("/test/open311/")
    assert_error_shape(response, 401, "not_authenticated")


@pytest.mark.urls("tests.api.urls_testonly")
def test_api_key_parameter_only_where_opted_in(api, integrator_key, citizen_token):
    key, plaintext = integrator_key
    response = api.get("/test/open311/", {"api_key": plaintext})
    assert response.status_code == 200 and response.json()["key"] == key.prefix
    response = api.post("/test/open311/", {"api_key": plaintext}, format="multipart")
    assert response.status_code == 201
    # Personal tokens never travel as parameters.
    response = api.get("/test/open311/", {"api_key": citizen_token[1]})
    assert_error_shape(response, 401, "authentication_failed")
    # Views that did not opt in ignore the parameter.
    response = api.get("/api/v1/me/", {"api_key": citizen_token[1]})
    assert_error_shape(response, 401, "not_authenticated")


# --- Personal tokens through the API ---------------------------------------------------------


def test_citizen_creates_uses_lists_and_revokes_a_token(api, citizen):
    api.force_login(citizen)
    response = api.post("/api/v1/tokens/", {"name": "Ponsel saya"})
    assert response.status_code == 201
    assert_matches_schema(response)
    body = response.json()
    token, prefix = body["token"], body["prefix"]
    assert token.startswith(f"lk_{prefix}_")

    listing = api.get("/api/v1/tokens/")
    assert_matches_schema(listing)
    assert [t["prefix"] for t in listing.json()] == [prefix]
    assert token not in listing.content.decode()

    fresh = APIClient()
    assert fresh.get("/api/v1/me/", **_bearer(token)).json()["id"] == citizen.pk
    # A token cannot manage tokens.
    response = fresh.post("/api/v1/tokens/", {"name": "lagi"}, **_bearer(token))
    assert_error_shape(response, 403, "permission_denied")

    response = api.delete(f"/api/v1/tokens/{prefix}/")
    assert response.status_code == 204
    assert_matches_schema(response)
    response = fresh.get("/api/v1/me/", **_bearer(token))
    assert_error_shape(response, 401, "authentication_failed")
    assert api.get("/api/v1/tokens/").json() == []


def test_someone_elses_token_is_404(api, citizen, other_citizen, citizen_token):
    key, _ = citizen_token
    api.force_login(other_citizen)
    response = api.delete(f"/api/v1/tokens/{key.prefix}/")
    assert_error_shape(response, 404, "not_found")
    assert_matches_schema(response)
    key.refresh_from_db()
    assert key.revoked_at is None


def test_token_limit_is_409(api, citizen):
    for i in range(MAX_PERSONAL_TOKENS):
        apikey_create(name=f"t{i}", scopes=[], user=citizen)
    api.force_login(citizen)
    response = api.post("/api/v1/tokens/", {"name": "satu lagi"})
    assert_error_shape(response, 409, "conflict")
    assert_matches_schema(response)
    assert ApiKey.objects.filter(user=citizen).count() == MAX_PERSONAL_TOKENS


def test_token_create_validation_and_media_type(api, citizen):
    api.force_login(citizen)
    response = api.post("/api/v1/tokens/", {})
    error = assert_error_shape(response, 400, "validation_error")
    assert_matches_schema(response)
    assert list(error["fields"]) == ["name"]

    response = api.post("/api/v1/tokens/", "name=x", content_type="text/plain")
    assert_error_shape(response, 415, "unsupported_media_type")
    assert_matches_schema(response)

    response = api.post("/api/v1/tokens/", "{not json", content_type="application/json")
    assert_error_shape(response, 400, "parse_error")
    assert ApiKey.objects.count() == 0


def test_session_writes_need_csrf(citizen):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(citizen)
    response = browser.post("/api/v1/tokens/", {"name": "x"})
    error = assert_error_shape(response, 403, "permission_denied")
    assert "CSRF" in error["message"]
    assert ApiKey.objects.count() == 0


def test_officer_without_second_factor_cannot_make_a_token(api):
    from loket.accounts.models import User

    officer = User.objects.create_user(
        email="petugas@example.test", password="Kata-Sandi-Petugas-99!", kind="officer"
    )
    api.force_login(officer)
    response = api.post("/api/v1/tokens/", {"name": "skrip"})
    error = assert_error_shape(response, 403, "permission_denied")
    assert "dua langkah" in error["message"]
    assert ApiKey.objects.count() == 0
