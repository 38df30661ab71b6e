"""Back-office survey pages, mounted at ``kantor/survei/``: the IKM report with its CSV, XLSX
and PDF exports, the paper-survey import, the weight convention and the kiosk devices.

Access is described in :mod:`loket.surveys.access`; anything out of reach is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loket.backoffice.access import officer_required
from loket.catalog.models import Service
from loket.core import permissions as perms
from loket.organizations.models import Government
from loket.surveys import access, exports, ikm
from loket.surveys.forms import ImportForm, KioskDeviceForm, ReportFilterForm, WeightForm
from loket.surveys.importers import SurveyFileError
from loket.surveys.models import KioskDevice
from loket.surveys.reports import SUGGESTIONS_IN_EXPORT, IkmReport, build_report, report_suggestions
from loket.surveys.selectors import ikm_weight_for
from loket.surveys.services import (
    SurveyError,
    kiosk_device_create,
    kiosk_device_deactivate,
    paper_survey_import,
    survey_weight_set,
)

app_name = "surveys_office"
SUGGESTIONS_PAGE = 20


def _scope(request: HttpRequest) -> perms.OfficerScope:
    return cast(perms.OfficerScope, request.officer_scope)  # type: ignore[attr-defined]


@dataclass
class _Selection:
    form: ReportFilterForm
    report: IkmReport | None
    governments: list[Government]
    services: list[tuple[int, str]]


def _select(request: HttpRequest) -> _Selection:
    """Parse the filter and build the report within the officer's reach (404 outside it).

    No agency chosen: the government's total for officers who read it government-wide, else
    the officer's first agency."""
    reach = access.report_reach(_scope(request))
    if reach.empty:
        raise Http404
    agencies = list(reach.agencies())
    wide = list(
        Government.objects.order_by("name")
        if reach.everything
        else Government.objects.filter(pk__in=reach.government_ids).order_by("name")
    )
    if not agencies and not wide:
        raise Http404
    several = len({a.government_id for a in agencies} | {g.pk for g in wide}) > 1
    choices: list[tuple[int | str, str]] = [("", _("Semua perangkat daerah"))] if wide else []
    choices += [(a.pk, f"{a.government.name} — {a.name}" if several else a.name) for a in agencies]
    form = ReportFilterForm(request.GET or QueryDict(""), agencies=choices)
    if not form.is_valid():
        if "agency" in form.errors:  # an agency out of reach looks like one that does not exist
            raise Http404
        return _Selection(form, None, wide, [])
    data = form.cleaned_data
    agency = next((a for a in agencies if a.pk == data.get("agency")), None)
    if agency is not None:
        government = agency.government
    elif wide:
        government = next((g for g in wide if g.pk == data.get("government")), wide[0])
    else:
        agency = agencies[0]
        government = agency.government
    service: Service | None = None
    services: list[tuple[int, str]] = []
    if agency is not None:
        services = list(
            Service.objects.filter(agency=agency).order_by("name").values_list("id", "name")
        )
        if data.get("service"):
            service = Service.objects.filter(pk=data["service"], agency=agency).first()
            if service is None:
                raise Http404
    report = build_report(
        government=government,
        agency=agency,
        service=service,
        date_from=data["start"],
        date_to=data["end"],
        population=data.get("population"),
    )
    return _Selection(form, report, wide, services)


@officer_required
def report(request: HttpRequest) -> HttpResponse:
    """The IKM report: per element, the index and grade, the breakdown, sample progress and
    the suggestions (paginated, newest first)."""
    selection = _select(request)
    page = None
    if selection.report is not None:
        page = Paginator(report_suggestions(selection.report), SUGGESTIONS_PAGE).get_page(
            request.GET.get("hal")
        )
    query = request.GET.copy()
    query.pop("hal", None)
    scope = _scope(request)
    return render(
        request,
        "surveys/office/report.html",
        {
            "form": selection.form,
            "report": selection.report,
            "services": selection.services,
            "page": page,
            "query": query.urlencode(),
            "can_manage": not access.manage_reach(scope).empty,
            "can_weigh": not access.weight_reach(scope).empty,
        },
        status=200 if selection.report is not None else 400,
    )


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", exports.report_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.report_xlsx,
    ),
    "pdf": ("application/pdf", exports.report_pdf),
}


@officer_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The same report as CSV, XLSX or PDF."""
    if fmt not in EXPORTS:
        raise Http404
    selection = _select(request)
    if selection.report is None:
        return render(request, "surveys/office/report.html", {"form": selection.form}, status=400)
    rep = selection.report
    content_type, writer = EXPORTS[fmt]
    suggestions = list(report_suggestions(rep)[:SUGGESTIONS_IN_EXPORT])
    body = writer(rep, suggestions)
    name = f"ikm-{rep.date_from.isoformat()}-{rep.date_to.isoformat()}.{fmt}"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@officer_required
def import_surveys(request: HttpRequest) -> HttpResponse:
    """Upload paper surveys: every bad row listed by line and nothing imported, or counts."""
    scope = _scope(request)
    reach = access.manage_reach(scope)
    if reach.empty:
        raise Http404
    governments = [(g.pk, g.name) for g in reach.governments()]
    form = ImportForm(request.POST or None, request.FILES or None, governments=governments)
    context: dict[str, Any] = {"form": form, "columns": _import_columns()}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            government = Government.objects.get(pk=form.cleaned_data["government"])
            agency_ids = None
            if not reach.covers_government(government.pk):
                agency_ids = reach.agency_ids
            upload = form.cleaned_data["file"]
            try:
                result = paper_survey_import(
                    government=government,
                    data=upload.read(),
                    filename=upload.name,
                    actor=request.user,
                    agency_ids=agency_ids,
                )
            except SurveyFileError as exc:
                context["errors"] = exc.errors
            else:
                status = 200
                names = dict(
                    Service.objects.filter(
                        government=government, slug__in=list(result.by_service)
                    ).values_list("slug", "name")
                )
                context["result"] = result
                context["per_service"] = [
                    (names.get(slug, slug), count)
                    for slug, count in sorted(result.by_service.items())
                ]
                context["form"] = ImportForm(governments=governments)
    return render(request, "surveys/office/import.html", context, status=status)


def _import_columns() -> list[str]:
    return ["service", "date", *ikm.ELEMENTS, "age", "sex", "education", "occupation", "suggestion"]


@officer_required
def weight(request: HttpRequest) -> HttpResponse:
    """The weight convention per government: exact 1/9 (default) or 0.111."""
    reach = access.weight_reach(_scope(request))
    if reach.empty:
        raise Http404
    governments = list(reach.governments())
    choices = [(g.pk, g.name) for g in governments]
    current = [(g, ikm_weight_for(g)) for g in governments]
    form = WeightForm(request.POST or None, governments=choices)
    if request.method == "POST":
        if form.is_valid():
            government = next(g for g in governments if g.pk == form.cleaned_data["government"])
            survey_weight_set(
                government=government,
                weight=ikm.Weight(form.cleaned_data["weight"]),
                actor=request.user,
            )
            messages.success(request, _("Bobot unsur disimpan."))
            return redirect("surveys_office:weight")
        return render(
            request, "surveys/office/weight.html", {"form": form, "current": current}, status=400
        )
    return render(request, "surveys/office/weight.html", {"form": form, "current": current})


@officer_required
def kiosks(request: HttpRequest) -> HttpResponse:
    """Counter tablets of the officer's agencies; a new one shows its key once."""
    reach = access.manage_reach(_scope(request))
    if reach.empty:
        raise Http404
    agencies = list(reach.agencies())
    by_id = {a.pk: a for a in agencies}
    form = KioskDeviceForm(request.POST or None, agencies=[(a.pk, a.name) for a in agencies])
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            agency = by_id[form.cleaned_data["agency"]]
            try:
                device, key = kiosk_device_create(
                    agency=agency, name=form.cleaned_data["name"], actor=request.user
                )
            except SurveyError as exc:
                form.add_error("name", exc.message)
            else:
                status = 201
                kiosk_path = reverse(
                    "surveys:kiosk",
                    kwargs={"government_slug": agency.government.slug, "agency_slug": agency.slug},
                )
                context["new_device"] = device
                context["new_url"] = request.build_absolute_uri(f"{kiosk_path}?kunci={key}")
                context["form"] = KioskDeviceForm(agencies=[(a.pk, a.name) for a in agencies])
    context["devices"] = KioskDevice.objects.filter(agency_id__in=list(by_id)).select_related(
        "agency__government"
    )
    response = render(request, "surveys/office/kiosks.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@officer_required
@require_POST
def kiosk_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    reach = access.manage_reach(_scope(request))
    device = KioskDevice.objects.select_related("agency").filter(pk=pk).first()
    if device is None or not reach.covers(
        government_id=device.agency.government_id, agency_id=device.agency_id
    ):
        raise Http404
    kiosk_device_deactivate(device=device, actor=request.user)
    messages.success(request, _("Perangkat kios dinonaktifkan."))
    return redirect("surveys_office:kiosks")


urlpatterns = [
    path("", report, name="report"),
    path("ekspor/<str:fmt>/", export, name="export"),
    path("impor/", import_surveys, name="import"),
    path("bobot/", weight, name="weight"),
    path("kios/", kiosks, name="kiosks"),
    path("kios/<int:pk>/nonaktif/", kiosk_deactivate, name="kiosk_deactivate"),
]
