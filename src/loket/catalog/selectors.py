"""Reads of the service catalogue: the public list and detail, and the officer's services."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from loket.catalog.models import AgencyPledge, Channel, Service, ServiceVersion, Theme
from loket.catalog.search import stems
from loket.core import permissions as perms
from loket.organizations.models import Agency, Government


@dataclass(frozen=True)
class CatalogFilters:
    """What a citizen may narrow the public list by; empty values mean "any"."""

    query: str = ""
    government_slug: str = ""
    agency_id: int | None = None
    channel: str = ""
    theme_slug: str = ""


def _search(qs: QuerySet[Service], query: str) -> QuerySet[Service]:
    # Each stem must start a word of the stored stems (AND); LIKE works alike on SQLite and
    # PostgreSQL because both sides are already lowercase ASCII. "%stem%" cannot use a b-tree,
    # so this scans the published rows of the narrowed government/agency: ~10-15 ms for count
    # plus first page over 5,000 services on either database. Far beyond that, a pg_trgm GIN
    # index on search_text serves the same LIKE unchanged.
    for query_stem in stems(query):
        qs = qs.filter(search_text__contains=f" {query_stem}")
    return qs


def published_services(*, filters: CatalogFilters) -> QuerySet[Service]:
    """Published services of active governments and agencies matching ``filters``."""
    qs = Service.objects.filter(
        is_published=True, government__is_active=True, agency__is_active=True
    )
    if filters.government_slug:
        qs = qs.filter(government__slug=filters.government_slug)
    if filters.agency_id is not None:
        qs = qs.filter(agency_id=filters.agency_id)
    if filters.channel == Channel.ONLINE:
        qs = qs.filter(channel__in=[Channel.ONLINE, Channel.BOTH])
    elif filters.channel == Channel.COUNTER:
        qs = qs.filter(channel__in=[Channel.COUNTER, Channel.BOTH])
    elif filters.channel == Channel.BOTH:
        qs = qs.filter(channel=Channel.BOTH)
    if filters.theme_slug:
        qs = qs.filter(theme__slug=filters.theme_slug)
    qs = _search(qs, filters.query)
    return qs.select_related("government", "agency", "theme").order_by("theme__order", "name", "pk")


def catalog_governments() -> QuerySet[Government]:
    """Governments offered in the public filter."""
    return Government.objects.filter(is_active=True).order_by("name")


def catalog_agencies() -> QuerySet[Agency]:
    """Agencies with at least one published service, for the public filter."""
    return (
        Agency.objects.filter(
            is_active=True, government__is_active=True, services__is_published=True
        )
        .distinct()
        .select_related("government")
        .order_by("government__name", "name")
    )


def catalog_themes() -> QuerySet[Theme]:
    """All themes in display order."""
    return Theme.objects.order_by("order", "name")


def published_service(*, government_slug: str, slug: str) -> Service | None:
    """One published service with its current version, or None."""
    return (
        Service.objects.filter(
            government__slug=government_slug,
            slug=slug,
            is_published=True,
            government__is_active=True,
            agency__is_active=True,
        )
        .select_related("government", "agency", "theme", "current_version")
        .first()
    )


def agency_pledge(*, agency_id: int) -> AgencyPledge | None:
    """The agency's maklumat pelayanan, if it has one."""
    return AgencyPledge.objects.filter(agency_id=agency_id).first()


def _editable_filter(scope: perms.OfficerScope) -> Q | None:
    """None when the officer may edit every service (platform administrators)."""
    if scope.is_superuser or scope.has_capability(perms.PLATFORM_ADMIN):
        return None
    return Q(agency_id__in=scope.agency_ids_for(perms.CATALOG_EDIT)) | Q(
        government_id__in=scope.government_ids_for(perms.CATALOG_EDIT)
    )


def editable_agencies(*, scope: perms.OfficerScope) -> QuerySet[Agency]:
    """Agencies whose services the officer may create and edit."""
    qs = Agency.objects.filter(is_active=True).select_related("government")
    if not scope.has_capability(perms.CATALOG_EDIT):
        return qs.none()
    condition = _editable_filter(scope)
    if condition is not None:
        qs = qs.filter(
            Q(pk__in=scope.agency_ids_for(perms.CATALOG_EDIT))
            | Q(government_id__in=scope.government_ids_for(perms.CATALOG_EDIT))
        )
    return qs.order_by("government__name", "name")


def services_for_officer(*, scope: perms.OfficerScope, query: str = "") -> QuerySet[Service]:
    """Services the officer may edit, published or not."""
    if not scope.has_capability(perms.CATALOG_EDIT):
        return Service.objects.none()
    qs = Service.objects.all()
    condition = _editable_filter(scope)
    if condition is not None:
        qs = qs.filter(condition)
    qs = _search(qs, query)
    return qs.select_related("government", "agency", "theme", "current_version").order_by(
        "government__name", "agency__name", "name", "pk"
    )


def service_for_officer(*, scope: perms.OfficerScope, pk: int) -> Service | None:
    """One service the officer may edit, or None (missing and forbidden look the same)."""
    return services_for_officer(scope=scope).filter(pk=pk).first()


def complaint_handling_service(*, agency_id: int) -> Service | None:
    """The agency's complaint-handling service (closed complaints are rated under it), if any."""
    return Service.objects.filter(agency_id=agency_id, handles_complaints=True).first()


def service_versions(*, service: Service) -> QuerySet[ServiceVersion]:
    """All versions of a service, newest first, with their editors."""
    return (
        ServiceVersion.objects.filter(service=service)
        .select_related("edited_by", "theme")
        .order_by("-number")
    )


def service_version(*, service: Service, number: int) -> ServiceVersion | None:
    """One version of a service, or None."""
    return service_versions(service=service).filter(number=number).first()
