"""Reads behind the API: keys by prefix, and the public lists of regions and governments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from loket.api.models import ApiKey
from loket.core.refcache import cached
from loket.organizations.models import Agency, Government, Region

if TYPE_CHECKING:
    from loket.accounts.models import User


def apikey_by_prefix(*, prefix: str) -> ApiKey | None:
    """The key with this prefix, revoked or not, with its user loaded in the same query."""
    try:  # the prefix is unique: no ordering needed, as first() would add
        return ApiKey.objects.select_related("user").get(prefix=prefix)
    except ApiKey.DoesNotExist:
        return None


def apikey_list(*, include_revoked: bool = True) -> QuerySet[ApiKey]:
    keys = ApiKey.objects.select_related("government", "user").order_by("created_at", "pk")
    return keys if include_revoked else keys.filter(revoked_at__isnull=True)


def personal_tokens_for(*, user: User) -> QuerySet[ApiKey]:
    """The user's own tokens that still work, newest first."""
    return ApiKey.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at", "-pk")


def personal_token_of(*, user: User, prefix: str) -> ApiKey | None:
    """One of the user's own active tokens; None for a token that is missing, revoked or
    someone else's, so callers answer all three alike."""
    return personal_tokens_for(user=user).filter(prefix=prefix).first()


def region_exists(*, code: str) -> bool:
    return Region.objects.filter(code=code).exists()


def region_children(*, parent_code: str | None) -> QuerySet[Region]:
    """Direct children of a region (provinces for ``None``), ordered by code."""
    regions = Region.objects.only("code", "name", "level", "kind", "parent_id")
    if parent_code is None:
        return regions.filter(parent__isnull=True).order_by("code")
    return regions.filter(parent_id=parent_code).order_by("code")


def governments_public() -> QuerySet[Government]:
    return Government.objects.filter(is_active=True).select_related("region").order_by("region_id")


def government_public(*, slug: str) -> Government | None:
    """The active government with this slug (cached for filings; see loket.core.refcache)."""
    return cached(Government, "slug", slug, lambda: governments_public().filter(slug=slug).first())


def agencies_public(*, government: Government) -> QuerySet[Agency]:
    return Agency.objects.filter(government=government, is_active=True).order_by("name", "pk")
