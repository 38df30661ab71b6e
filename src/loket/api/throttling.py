"""Rate limits: anonymous callers by address, users by account, integrators by key.

Rates are read from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` for every request (DRF's own
classes keep the dict they saw at import), so a test's settings override takes effect. A scope
without a rate is not limited.

Each caller has one counter in the cache per window of the rate's period (windows are aligned
on the clock: a minute's window runs from :00 to :59): a request is let through while the
counter, after adding it, is within the rate. On Redis adding is an atomic ``incr`` (one round
trip), so requests on many servers at once are all counted; a caller may get up to twice the
rate across the edge of two windows, which a limit against abuse can allow. DRF's own throttle
instead keeps a list of every request's time in the window, read and written back whole by each
request: as many entries as the rate allows, and a request on another server in between is
lost. On the embedded database cache ``incr`` is a read and a write (not atomic, as the list
was), so a caller already over the limit is refused after the read alone: a flood of refused
requests does not write. When the cache cannot be reached the request is let through: a rate
limit must not take the API down with it.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from loket.api.models import ApiKey
from loket.core.refcache import fast_cache


def _integrator_key(request: Request) -> ApiKey | None:
    key = request.auth
    if isinstance(key, ApiKey) and key.user_id is None:
        return key
    return None


def _now() -> float:
    return time.time()


def count_request(key: str, period: int, now: float, limit: int) -> int | None:
    """Add one request to the caller's counter for the window holding ``now``; the count with
    this request, or None when the cache is unavailable."""
    window_key = f"{key}:{int(now // period)}"
    if not fast_cache():
        return _count_in_database_cache(window_key, period, limit)
    try:
        count: int | None = cache.incr(window_key)
        return count
    except ValueError:  # the window's first request
        pass
    if cache.add(window_key, 1, period + 1):
        return 1
    try:  # another server counted the first one in between
        count = cache.incr(window_key)
        return count
    except ValueError:
        return None


def _count_in_database_cache(window_key: str, period: int, limit: int) -> int:
    """The database cache's ``incr`` is a read and a write anyway: read once, and write only a
    request that is let through, so a flood of refused requests writes nothing."""
    current = cache.get(window_key)
    if current is None and cache.add(window_key, 1, period + 1):
        return 1
    count = int(current or 0) + 1
    if count <= limit:
        cache.set(window_key, count, period + 1)
    return count


class _Throttle(SimpleRateThrottle):
    # DRF makes a throttle instance per request, so this runs per request too.
    num_requests: int
    duration: int
    now: float

    def get_rate(self) -> str | None:
        rates: dict[str, Any] = api_settings.DEFAULT_THROTTLE_RATES
        rate = rates.get(self.scope or "")
        return str(rate) if rate else None

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = _now()
        count = count_request(key, self.duration, self.now, self.num_requests)
        return count is None or count <= self.num_requests

    def wait(self) -> float:
        """Seconds until the window closes."""
        return max(1.0, float(self.duration - self.now % self.duration))


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
