"""Back-office pages of the catalogue: an officer's services, the editor, history, pledge.

Only officers holding CATALOG_EDIT reach these pages, and only for services of agencies in
their scope; anything else is a 404, like a page that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loket.accounts.models import User
from loket.backoffice.access import officer_required
from loket.catalog import selectors, services
from loket.catalog.forms import PledgeForm, ServiceForm
from loket.catalog.models import Service
from loket.catalog.views import split_components
from loket.core import permissions as perms

PAGE_SIZE = 30


def _scope(request: HttpRequest) -> perms.OfficerScope:
    return cast(perms.OfficerScope, request.officer_scope)  # type: ignore[attr-defined]


def catalog_editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An officer who may edit the catalogue somewhere; others get 404."""

    @officer_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _scope(request).has_capability(perms.CATALOG_EDIT):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _service_or_404(request: HttpRequest, pk: int) -> Service:
    service = selectors.service_for_officer(scope=_scope(request), pk=pk)
    if service is None:
        raise Http404
    return service


def _apply_errors(form: ServiceForm | PledgeForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@catalog_editor_required
def service_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    query = request.GET.get("q", "")[:200]
    paginator = Paginator(selectors.services_for_officer(scope=scope, query=query), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("hal"))
    agencies = list(selectors.editable_agencies(scope=scope))
    return render(
        request, "catalog/office/list.html", {"page": page, "query": query, "agencies": agencies}
    )


@catalog_editor_required
def service_create(request: HttpRequest) -> HttpResponse:
    agencies = selectors.editable_agencies(scope=_scope(request))
    status = 200
    if request.method == "POST":
        form = ServiceForm(request.POST, agencies=agencies)
        if form.is_valid():
            try:
                service = services.service_create(
                    actor=cast(User, request.user),
                    agency=form.cleaned_data["agency"],
                    data=form.to_input(),
                    change_note=form.cleaned_data.get("change_note", ""),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Layanan dibuat sebagai draf. Terbitkan bila siap."))
                return redirect("catalog_office:edit", pk=service.pk)
        status = 400
    else:
        form = ServiceForm(agencies=agencies, initial={"fee": 0})
    return render(
        request, "catalog/office/form.html", {"form": form, "service": None}, status=status
    )


@catalog_editor_required
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service_or_404(request, pk)
    status = 200
    if request.method == "POST":
        form = ServiceForm(request.POST)
        if form.is_valid():
            try:
                version = services.service_update(
                    actor=cast(User, request.user),
                    service=service,
                    data=form.to_input(),
                    change_note=form.cleaned_data.get("change_note", ""),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                if version is None:
                    messages.info(request, _("Tidak ada perubahan yang disimpan."))
                else:
                    messages.success(
                        request,
                        _("Tersimpan sebagai versi %(number)s.") % {"number": version.number},
                    )
                return redirect("catalog_office:edit", pk=service.pk)
        status = 400
    else:
        initial: dict[str, Any] = {}
        if service.current_version is not None:
            initial = services.service_input_from_version(service.current_version).values()
        form = ServiceForm(initial=initial)
    complaint_service = None
    if not service.handles_complaints:
        complaint_service = selectors.complaint_handling_service(agency_id=service.agency_id)
    return render(
        request,
        "catalog/office/form.html",
        {"form": form, "service": service, "complaint_service": complaint_service},
        status=status,
    )


def _unknown_action(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/office/bad_request.html",
        {"message": _("Tindakan tidak dikenal.")},
        status=400,
    )


@require_POST
@catalog_editor_required
def service_publish(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service_or_404(request, pk)
    action = request.POST.get("action")
    if action not in ("publish", "unpublish"):
        return _unknown_action(request)
    published = action == "publish"
    services.service_set_published(
        actor=cast(User, request.user), service=service, published=published
    )
    messages.success(
        request, _("Layanan diterbitkan.") if published else _("Layanan ditarik dari portal.")
    )
    return redirect("catalog_office:edit", pk=service.pk)


@require_POST
@catalog_editor_required
def service_complaint_handling(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the service its agency's complaint-handling service (moving the mark from another
    service of the agency), or remove the mark."""
    service = _service_or_404(request, pk)
    action = request.POST.get("action")
    if action not in ("set", "unset"):
        return _unknown_action(request)
    handles = action == "set"
    previous = None
    if handles:
        previous = selectors.complaint_handling_service(agency_id=service.agency_id)
    changed = services.service_set_handles_complaints(
        actor=cast(User, request.user), service=service, handles=handles
    )
    names = {"service": service.name, "agency": service.agency.name}
    if not changed:
        messages.info(request, _("Tidak ada perubahan yang disimpan."))
    elif not handles:
        messages.success(
            request,
            _(
                "“%(service)s” bukan lagi layanan pengelolaan pengaduan %(agency)s. Selama "
                "%(agency)s tidak punya layanan ini, pelapor pengaduan yang selesai tidak "
                "diundang mengisi survei kepuasan."
            )
            % names,
        )
    elif previous is not None and previous.pk != service.pk:
        messages.success(
            request,
            _(
                "“%(service)s” kini layanan pengelolaan pengaduan %(agency)s, menggantikan "
                "“%(previous)s”."
            )
            % {**names, "previous": previous.name},
        )
    else:
        messages.success(
            request, _("“%(service)s” kini layanan pengelolaan pengaduan %(agency)s.") % names
        )
    return redirect("catalog_office:edit", pk=service.pk)


@catalog_editor_required
def service_history(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service_or_404(request, pk)
    versions = list(selectors.service_versions(service=service))
    return render(
        request, "catalog/office/history.html", {"service": service, "versions": versions}
    )


@catalog_editor_required
def service_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    service = _service_or_404(request, pk)
    version = selectors.service_version(service=service, number=number)
    if version is None:
        raise Http404
    first, rest = split_components(version)
    return render(
        request,
        "catalog/office/version.html",
        {
            "service": service,
            "version": version,
            "first_components": first,
            "other_components": rest,
        },
    )


@catalog_editor_required
def agency_pledge(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.editable_agencies(scope=_scope(request)).filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    current = selectors.agency_pledge(agency_id=agency.pk)
    status = 200
    if request.method == "POST":
        form = PledgeForm(request.POST)
        if form.is_valid():
            try:
                services.agency_pledge_set(
                    actor=cast(User, request.user), agency=agency, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Maklumat pelayanan tersimpan."))
                return redirect("catalog_office:list")
        status = 400
    else:
        form = PledgeForm(initial={"text": current.text if current else ""})
    return render(
        request, "catalog/office/pledge.html", {"form": form, "agency": agency}, status=status
    )
