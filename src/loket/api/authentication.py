"""Bearer authentication for personal tokens and integrator keys.

Both are :class:`~loket.api.models.ApiKey` rows and are sent the same way::

    Authorization: Bearer lk_<prefix>_<secret>

A personal token (a key with a user) authenticates as its user. An integrator key (no user)
leaves ``request.user`` anonymous and puts the key in ``request.auth``; what it may do is
decided by its scopes (:class:`loket.api.permissions.HasScope`).

Some clients cannot set headers (Open311 GeoReport v2 sends ``api_key`` as a parameter).
Views that must accept that opt in by listing :class:`ApiKeyAuthentication`; it is not a
default because keys in URLs end up in proxy logs and browser history.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from loket.api import keys, selectors, services
from loket.api.models import ApiKey


def _invalid() -> exceptions.AuthenticationFailed:
    return exceptions.AuthenticationFailed(_("Token atau kunci API tidak valid."))


def authenticate_key(raw: str) -> tuple[Any, ApiKey]:
    """Check a presented key and return ``(user, key)``; raise AuthenticationFailed otherwise.

    Unknown prefix, wrong secret and malformed keys get the same answer, so a caller learns
    nothing about which keys exist.
    """
    parsed = keys.parse_key(raw)
    if parsed is None:
        raise _invalid()
    key = selectors.apikey_by_prefix(prefix=parsed.prefix)
    if key is None:
        # Still spend the hashing time, so a missing prefix is not faster to rule out.
        keys.secret_matches(parsed.prefix, parsed.secret, "0" * 64)
        raise _invalid()
    if not keys.secret_matches(parsed.prefix, parsed.secret, key.key_hash):
        raise _invalid()
    if key.revoked_at is not None:
        raise exceptions.AuthenticationFailed(_("Token atau kunci API ini sudah dicabut."))
    user: Any
    if key.user_id is not None:
        user = key.user
        if not user.is_active or user.anonymized_at is not None:
            raise _invalid()
    else:
        user = AnonymousUser()
    services.apikey_mark_used(key=key)
    return user, key


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <key>`` for personal tokens and integrator keys alike."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Header Authorization harus berbentuk: Bearer <token>.")
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise _invalid() from None
        return authenticate_key(raw)

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class ApiKeyAuthentication(BaseAuthentication):
    """Opt-in: an integrator key in the ``api_key`` query or form parameter (Open311 style).

    Personal tokens are refused here: they would act as a citizen and must not travel in URLs.
    """

    param = "api_key"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        raw = request.query_params.get(self.param)
        if raw is None and request.content_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            data: Any = request.data
            raw = data.get(self.param)
        if raw is None:
            return None
        user, key = authenticate_key(str(raw))
        if key.user_id is not None:
            raise exceptions.AuthenticationFailed(
                _("Token pribadi hanya boleh dikirim di header Authorization.")
            )
        return user, key

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
