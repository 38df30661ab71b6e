"""The OpenAPI document and the documentation page."""

from __future__ import annotations

import json
import re

import pytest
from drf_spectacular.validation import validate_schema

from tests.api.schema_check import openapi

pytestmark = pytest.mark.django_db

EXPECTED = {
    "/api/v1/me/": {"get"},
    "/api/v1/regions/": {"get"},
    "/api/v1/governments/": {"get"},
    "/api/v1/governments/{slug}/agencies/": {"get"},
    "/api/v1/tokens/": {"get", "post"},
    "/api/v1/tokens/{prefix}/": {"delete"},
}


def test_schema_endpoint_serves_valid_openapi_3(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # drf-spectacular's own OpenAPI 3 validator
    for path, methods in EXPECTED.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), path
    # Probes, docs page and the schema itself are not API operations.
    assert not {"/healthz", "/readyz", "/api/docs/", "/api/schema/"} & set(schema["paths"])


def test_schema_is_yaml_by_default(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi: 3.")


def test_every_operation_documents_the_error_shape():
    schema = openapi()
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    detail = schema["components"]["schemas"]["ErrorDetail"]
    assert set(detail["properties"]) == {"code", "message", "fields", "request_id"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for code in ("400", "401", "403", "404", "429", "500"):
                ref = operation["responses"][code]["content"]["application/json"]["schema"]
                assert ref == {"$ref": "#/components/schemas/Error"}, (path, method, code)
            if method == "post":
                assert {"409", "415"} <= set(operation["responses"])


def test_security_schemes_describe_bearer_keys():
    schemes = openapi()["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "lk_<prefix>_<secret>",
        "description": "A personal token or an integrator key.",
    }
    token_post = openapi()["paths"]["/api/v1/tokens/"]["post"]
    assert token_post["security"] == [{"cookieAuth": []}]


def test_docs_page_lists_operations_without_external_or_inline_code(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    for path in EXPECTED:
        assert f"<code>{path}</code>" in html
    assert "Content-Security-Policy" in response.headers
    # Everything comes from this site: no CDN, no inline style, scripts only with the nonce.
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert " style=" not in html
    assert "<style" not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "nonce=" in tag
