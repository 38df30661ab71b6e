"""Region look-ups for forms: cascading ``<select>`` options fetched with htmx."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from loket.organizations import selectors
from loket.organizations.models import Region
from loket.organizations.regions import is_valid_code


def _placeholder(child_level: int) -> str:
    placeholders: dict[int, str] = {
        Region.Level.PROVINCE: _("— Pilih provinsi —"),
        Region.Level.REGENCY: _("— Pilih kabupaten/kota —"),
        Region.Level.DISTRICT: _("— Pilih kecamatan —"),
        Region.Level.VILLAGE: _("— Pilih desa/kelurahan —"),
    }
    return placeholders[child_level]


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _options(request: HttpRequest, child_level: int, regions: QuerySet[Region]) -> HttpResponse:
    return render(
        request,
        "organizations/region_options.html",
        {
            "placeholder": _placeholder(child_level),
            "regions": regions,
            "selected": request.GET.get("selected", ""),
        },
    )


@require_GET
def province_options(request: HttpRequest) -> HttpResponse:
    """``<option>``s for every province."""
    return _options(request, Region.Level.PROVINCE, selectors.region_children(None))


@require_GET
def child_options(request: HttpRequest, code: str) -> HttpResponse:
    """``<option>``s for the regions directly under ``code`` (for the next ``<select>``)."""
    if not is_valid_code(code):
        return _plain(_("Kode wilayah tidak sah."), 400)
    region = selectors.region_by_code(code)
    if region is None:
        return _plain(_("Wilayah tidak ditemukan."), 404)
    if region.level == Region.Level.VILLAGE:
        return _plain(_("Desa/kelurahan tidak memiliki wilayah di bawahnya."), 400)
    return _options(request, region.level + 1, selectors.region_children(code))
