"""Validation of Open311 answers: JSON against the conformance schemas in
``<repo>/../shared/conformance/open311-georeport-v2/`` (with $refs between the files resolved),
XML against the same required fields and element names (GeoReport v2 structure)."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

CONFORMANCE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "open311-georeport-v2"
)

# The spec defines these answers in prose only; schemas written from it.
ERRORS_SCHEMA = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "additionalProperties": False,
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}
DISCOVERY_SCHEMA = {
    "type": "object",
    "required": ["changeset", "contact", "key_service", "endpoints"],
    "properties": {
        "changeset": {"type": "string", "format": "date-time"},
        "contact": {"type": "string"},
        "key_service": {"type": "string"},
        "endpoints": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["specification", "url", "changeset", "type", "formats"],
                "properties": {
                    "specification": {"type": "string", "format": "uri"},
                    "url": {"type": "string", "format": "uri"},
                    "changeset": {"type": "string", "format": "date-time"},
                    "type": {"enum": ["production", "test"]},
                    "formats": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


def require_conformance() -> None:
    if not CONFORMANCE.is_dir():
        pytest.skip(f"Open311 conformance schemas not found at {CONFORMANCE}")


@cache
def _load(name: str) -> dict[str, Any]:
    require_conformance()  # every check that needs the shared schemas skips without them
    return json.loads((CONFORMANCE / name).read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    resources = [
        (path.name, Resource.from_contents(_load(path.name), default_specification=DRAFT7))
        for path in CONFORMANCE.glob("*.json")
        if path.name != "swagger.json"
    ]
    return Registry().with_resources(resources)


def validate(instance: Any, schema: str | dict[str, Any]) -> None:
    """Validate against a conformance file (``"requests.json"``) or an inline schema."""
    require_conformance()
    root = _load(schema) if isinstance(schema, str) else schema
    validator = Draft7Validator(
        root, registry=_registry(), format_checker=Draft7Validator.FORMAT_CHECKER
    )
    validator.validate(instance)


def post_response_schema() -> dict[str, Any]:
    """``RequestResponse`` of the conformance swagger.json, as an array. ``account_id`` may be
    null, as in the spec's own example (``"account_id": null``)."""
    require_conformance()
    item = copy.deepcopy(_load("swagger.json")["definitions"]["RequestResponse"])
    item["properties"]["account_id"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    item["required"] = ["service_request_id"]
    return {"type": "array", "minItems": 1, "items": item}


# --- XML ----------------------------------------------------------------------------------------
def _check_object(element: ET.Element, schema: dict[str, Any], where: str) -> dict[str, Any]:
    children = {child.tag: child for child in element}
    assert len(children) == len(list(element)), f"{where}: repeated element"
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        assert name in children, f"{where}: missing <{name}>"
    for name in children:
        assert name in properties, f"{where}: unexpected <{name}>"
    return children


def check_xml(content: bytes, root: str, item: str | None, schema: str | dict[str, Any]) -> list:
    """Parse, check the root element, the list items' names and their required/allowed
    children per the JSON schema; return the parsed items (or [root] without ``item``)."""
    assert content.startswith(b"<?xml"), content[:60]
    document = ET.fromstring(content)  # noqa: S314 - our own answer, in a test
    assert document.tag == root, document.tag
    definition = _load(schema) if isinstance(schema, str) else schema
    if item is None:
        _check_object(document, definition, root)
        return [document]
    items = list(document)
    for index, element in enumerate(items):
        assert element.tag == item, f"<{root}> holds <{element.tag}>, expected <{item}>"
        _check_object(element, definition, f"{item}[{index}]")
    return items


def check_service_definition_xml(content: bytes) -> ET.Element:
    definition = _load("service-definition.json")
    document = ET.fromstring(content)  # noqa: S314 - our own answer, in a test
    assert document.tag == "service_definition"
    _check_object(document, definition, "service_definition")
    attribute_schema = definition["properties"]["attributes"]["items"]
    value_schema = attribute_schema["properties"]["values"]["items"]
    attributes = document.find("attributes")
    assert attributes is not None
    for attribute in attributes:
        assert attribute.tag == "attribute"
        fields = _check_object(attribute, attribute_schema, "attribute")
        assert fields["variable"].text in ("true", "false")
        assert fields["required"].text in ("true", "false")
        for value in fields.get("values", []):
            assert value.tag == "value"
            _check_object(value, value_schema, "value")
    return document


def check_errors_xml(content: bytes, status: int) -> list[str]:
    items = check_xml(content, "errors", "error", ERRORS_SCHEMA["items"])
    assert items
    for error in items:
        assert error.findtext("code") == str(status)
    return [error.findtext("description") or "" for error in items]
