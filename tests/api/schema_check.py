"""Check API answers against the OpenAPI document with jsonschema."""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

import jsonschema
from drf_spectacular.generators import SchemaGenerator


@cache
def openapi() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 → JSON Schema: ``nullable`` becomes a null type, and objects with listed
    properties refuse undocumented ones (so an extra field, say an email, fails the check)."""
    if isinstance(node, list):
        return [_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _to_json_schema(value) for key, value in node.items()}
    if out.pop("nullable", False):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        elif "$ref" in out or "allOf" in out or "oneOf" in out:
            out = {"anyOf": [out, {"type": "null"}]}
    if out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)
    return out


def _operation(method: str, path: str) -> tuple[str, dict[str, Any]]:
    paths = openapi()["paths"]
    # Literal paths first: /complaints/map/ must not be taken for /complaints/{number}/.
    for template, item in sorted(paths.items(), key=lambda kv: kv[0].count("{")):
        pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return template, item[method.lower()]
    raise AssertionError(f"{method} {path} is not in the OpenAPI schema")


def assert_matches_schema(response: Any) -> None:
    """The response's JSON validates against its operation's documented response."""
    request = response.wsgi_request
    template, operation = _operation(request.method, request.path)
    code = str(response.status_code)
    assert code in operation["responses"], f"{code} not documented for {request.method} {template}"
    documented = operation["responses"][code]
    if "content" not in documented:
        assert not response.content, f"{code} of {template} should have no body"
        return
    schema = copy.deepcopy(documented["content"]["application/json"]["schema"])
    root = _to_json_schema({**schema, "components": openapi()["components"]})
    jsonschema.validate(response.json(), root, cls=jsonschema.Draft7Validator)


def assert_error_shape(response: Any, status: int, code: str) -> dict[str, Any]:
    """An error answer in the one shape, with the request id of the response header."""
    assert response.status_code == status, response.content
    body = response.json()
    error_schema = {"$ref": "#/components/schemas/Error", "components": openapi()["components"]}
    jsonschema.validate(body, _to_json_schema(error_schema), cls=jsonschema.Draft7Validator)
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert body["error"]["request_id"] == response["X-Request-ID"]
    return body["error"]
