"""Rate limits: anonymous callers by address, users by account, integrators by key.

Rates are read from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` for every request (DRF's own
classes keep the dict they saw at import), so a test's settings override takes effect. A scope
without a rate is not limited.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from loket.api.models import ApiKey


def _integrator_key(request: Request) -> ApiKey | None:
    key = request.auth
    if isinstance(key, ApiKey) and key.user_id is None:
        return key
    return None


class _Throttle(SimpleRateThrottle):
    # DRF makes a throttle instance per request, so this runs per request too.
    def get_rate(self) -> str | None:
        rates: dict[str, Any] = api_settings.DEFAULT_THROTTLE_RATES
        rate = rates.get(self.scope or "")
        return str(rate) if rate else None


class AnonThrottle(_Throttle):
    """Callers with neither a user nor a key, by client address."""

    scope = "anon"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if (request.user and request.user.is_authenticated) or _integrator_key(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(_Throttle):
    """Signed-in users and personal tokens, by account."""

    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class IntegratorThrottle(_Throttle):
    """Integrator keys, by key."""

    scope = "integrator"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        key = _integrator_key(request)
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.prefix}


class WriteThrottle(_Throttle):
    """A stricter limit for unsafe methods; views that write add it to their throttles."""

    scope = "write"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        key = _integrator_key(request)
        if key is not None:
            ident: Any = f"key:{key.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


DEFAULT_THROTTLES = [AnonThrottle, UserThrottle, IntegratorThrottle]
