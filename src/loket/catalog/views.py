"""Citizen pages of the catalogue: the searchable list and a service's published standard."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from loket.catalog import selectors
from loket.catalog.forms import CatalogFilterForm
from loket.catalog.models import PUBLIC_FIRST_COMPONENTS, Service, ServiceVersion
from loket.catalog.selectors import CatalogFilters

PAGE_SIZE = 20


def _reverse_or_none(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def application_url(service: Service) -> str | None:
    """Where a citizen starts an online application, once the applications module exists."""
    if not service.is_online:
        return None
    return _reverse_or_none("applications:start", service_id=service.pk)


def split_components(
    version: ServiceVersion,
) -> tuple[list[tuple[str, Any, str]], list[tuple[str, Any, str]]]:
    """The 14 components as (publicly shown first group, the rest)."""
    rows = version.component_rows()
    by_name = {row[0]: row for row in rows}
    first = [by_name[name] for name in PUBLIC_FIRST_COMPONENTS]
    rest = [row for row in rows if row[0] not in PUBLIC_FIRST_COMPONENTS]
    return first, rest


def catalog_home(request: HttpRequest) -> HttpResponse:
    """The public list: free-text search in Indonesian plus filters, 20 services a page."""
    form = CatalogFilterForm(
        request.GET or None,
        governments=list(selectors.catalog_governments()),
        agencies=list(selectors.catalog_agencies()),
        themes=list(selectors.catalog_themes()),
    )
    status = 200
    filters = CatalogFilters()
    if form.is_bound:
        if not form.is_valid():
            status = 400
        filters = form.filters()
    paginator = Paginator(selectors.published_services(filters=filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("hal"))
    context = {"form": form, "page": page, "filters": filters}
    template = "catalog/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "hasil":
        template = "catalog/_results.html"
    return render(request, template, context, status=status)


def service_detail(request: HttpRequest, government_slug: str, slug: str) -> HttpResponse:
    """A service's published standard, the public group of components first."""
    service = selectors.published_service(government_slug=government_slug, slug=slug)
    if service is None or service.current_version is None:
        raise Http404
    first, rest = split_components(service.current_version)
    context = {
        "service": service,
        "version": service.current_version,
        "first_components": first,
        "other_components": rest,
        "pledge": selectors.agency_pledge(agency_id=service.agency_id),
        "apply_url": application_url(service),
        "queue_url": _reverse_or_none("queues:home") if service.uses_queue else None,
    }
    return render(request, "catalog/detail.html", context)
