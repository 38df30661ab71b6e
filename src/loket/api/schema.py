"""OpenAPI generation: the shared error answers on every operation, and our auth schemes."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from loket.api.serializers import ErrorSerializer

_COMMON_ERRORS = {
    "400": "Invalid input or unreadable body (validation_error, parse_error).",
    "401": "Missing, malformed, unknown or revoked token or key.",
    "403": "Authenticated but not allowed (including a key without the needed scope).",
    "404": "Not found, or not visible to you: both get the same answer.",
    "429": "Rate limit reached; the Retry-After header says how many seconds to wait.",
    "500": "Unexpected server error; quote error.request_id (= X-Request-ID) to support.",
}
_WRITE_ERRORS = {
    "409": "Conflicts with the current state (e.g. a limit reached).",
    "415": "Unsupported Content-Type; send application/json.",
}


class AutoSchema(SpectacularAutoSchema):
    """Adds the one error shape (component ``Error``) to every operation's responses."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        errors = dict(_COMMON_ERRORS)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.update(_WRITE_ERRORS)
        for code, description in errors.items():
            if code not in responses:
                response = self._get_response_for_code(  # type: ignore[no-untyped-call]
                    ErrorSerializer, code, direction=direction
                )
                response["description"] = description
                responses[code] = response
        return dict(sorted(responses.items()))


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "loket.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "lk_<prefix>_<secret>",
            "description": "A personal token or an integrator key.",
        }


class ApiKeyParamScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "loket.api.authentication.ApiKeyAuthentication"
    name = "apiKeyParam"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "query",
            "name": "api_key",
            "description": "Integrator key as a parameter; only where an operation lists it.",
        }
