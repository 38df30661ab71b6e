"""schemathesis against /api/schema/: bounded property-based calls of every operation, as an
anonymous client, a citizen and an officer (personal tokens), through the WSGI app in-process
(no network at all). No 5xx and every answer matches the schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from loket.api.services import apikey_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(db):
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    # As Django's test client does: the test's transaction must survive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


# What the suite promises: no server error, and answers (status, content type, body, headers)
# as the schema documents them. ("Positive data acceptance" is left out: the schema does not
# spell out every format, e.g. region codes; see the note in the report.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


def _token(world, role: str) -> dict[str, str]:
    if role == "anon":
        return {}
    user = {"citizen": world.citizen, "officer": world.officer}[role]
    _key, plain = apikey_create(name=f"fuzz-{role}", scopes=[], user=user)
    return {"Authorization": f"Bearer {plain}"}


def _operations(api_schema) -> list:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert operations, "the schema documents no operation"
    return operations


@pytest.mark.parametrize("role", ["anon", "citizen", "officer"])
def test_api_operations_never_fail_and_match_the_schema(api_schema, world, role):
    headers = _token(world, role)
    for operation in _operations(api_schema):

        @FUZZ
        @given(case=operation.as_strategy())
        def fuzz(case):
            cache.clear()  # rate limits must not turn the run into 429s
            case.call_and_validate(headers=headers, checks=CHECKS)

        fuzz()
