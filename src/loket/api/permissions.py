"""Permission classes for integrator scopes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from loket.api.models import ApiKey


def HasScope(scope: str) -> type[BasePermission]:
    """A permission that passes only for a request authenticated by a key carrying ``scope``.

    Use as ``permission_classes = [HasScope("open311")]``.
    """

    class _HasScope(BasePermission):
        @property
        def message(self) -> str:  # read after a refusal, in the request's language
            return _("Kunci API ini tidak memiliki cakupan %(scope)s.") % {"scope": scope}

        def has_permission(self, request: Request, view: Any) -> bool:
            key = request.auth
            return isinstance(key, ApiKey) and scope in (key.scopes or [])

    _HasScope.__name__ = f"HasScope_{scope}"
    _HasScope.required_scope = scope  # type: ignore[attr-defined]
    return _HasScope
