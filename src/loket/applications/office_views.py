"""Back-office pages: the officer's queue, an application with its actions, filing at the
counter for walk-in citizens, and the form and workflow editors. Mounted at
``kantor/permohonan/``.

Officers see the applications of agencies where they hold APPLICATION_PROCESS and act only at
steps of their own role there; anything else is a 404 like a page that does not exist.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loket.accounts.models import User
from loket.applications import definitions as defs
from loket.applications import integration, selectors, services
from loket.applications.models import Application
from loket.applications.rendering import field_views
from loket.applications.states import APPLICATION
from loket.applications.views import _error_dict, error_page, uploaded_files
from loket.backoffice.access import officer_required
from loket.catalog.selectors import service_for_officer
from loket.core import permissions as perms
from loket.core.idempotency import IdempotencyConflict
from loket.organizations.models import Role
from loket.workflow.errors import WorkflowError

PAGE_SIZE = 30


def _scope(request: HttpRequest) -> perms.OfficerScope:
    return cast(perms.OfficerScope, request.officer_scope)  # type: ignore[attr-defined]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _application(request: HttpRequest, pk: int) -> Application:
    application = selectors.application_for_office(scope=_scope(request), pk=pk)
    if application is None:
        raise Http404
    return application


@officer_required
def queue(request: HttpRequest) -> HttpResponse:
    """Applications waiting for the officer, by tab, most urgent step deadline first."""
    scope = _scope(request)
    if not scope.has_capability(perms.APPLICATION_PROCESS):
        raise Http404
    tab = request.GET.get("tab", "act")
    if tab not in selectors.QUEUE_TABS:
        tab = "act"
    now = timezone.now()
    qs = selectors.office_queue(scope=scope, tab=tab, now=now, user_id=_user(request).pk)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("hal"))
    return render(
        request,
        "applications/office/queue.html",
        {
            "page": page,
            "tab": tab,
            "tabs": [
                ("act", _("Perlu tindakan")),
                ("mine", _("Ditugaskan kepada saya")),
                ("at_risk", _("Hampir jatuh tempo")),
                ("overdue", _("Lewat tenggat")),
                ("revision", _("Menunggu perbaikan")),
                ("all", _("Semua")),
            ],
            "labels": dict(APPLICATION.choices()),
            "now": now,
        },
    )


def _detail_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    scope = _scope(request)
    documents = selectors.current_documents(application=application)
    spec = defs.parse_form(application.form.fields, application.form.requirements)
    workflow = application.workflow_definition
    acting = services.can_act(scope, application)
    return {
        "application": application,
        "service": application.service,
        "state_label": dict(APPLICATION.choices()).get(application.state, application.state),
        "step": selectors.step_label(application),
        "steps": workflow.steps,
        "is_last_step": application.step_index + 1 >= workflow.step_count,
        "clocks": selectors.deadlines(application=application),
        "events": selectors.events(application=application, public_only=False),
        "fields": field_views(application, documents=documents),
        "returnable_fields": [(f.code, f.text()) for f in spec.fields],
        "returnable_documents": [(r.code, r.text()) for r in spec.requirements],
        "can_act": acting,
        "can_assign": acting
        or (
            application.state in selectors.OPEN_STATES
            and services.holds_role(scope, role=Role.SUPERVISOR, agency_id=application.agency_id)
        ),
        "officers": list(selectors.assignable_officers(application=application)),
        "output": integration.output_document(application),
        "bill": integration.bill_for(application),
        "now": timezone.now(),
    }


@officer_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    return render(request, "applications/office/detail.html", _detail_context(request, application))


def _step(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("step", ""))
    except ValueError:
        return -1


@require_POST
@officer_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action on the application: forward, approve, return, reject, issue, assign."""
    application = _application(request, pk)
    scope, officer = _scope(request), _user(request)
    note = request.POST.get("note", "")[:4000]
    common: dict[str, Any] = {"officer": officer, "scope": scope, "application": application}
    try:
        if action == "forward":
            services.application_forward(**common, expected_step=_step(request), note=note)
            done = _("Diteruskan ke langkah berikutnya.")
        elif action == "approve":
            services.application_approve(**common, expected_step=_step(request), note=note)
            done = _("Permohonan disetujui.")
        elif action == "return":
            services.application_return(
                **common,
                expected_step=_step(request),
                fields=request.POST.getlist("fields"),
                documents=request.POST.getlist("documents"),
                note=note,
            )
            done = _("Permohonan dikembalikan kepada pemohon untuk diperbaiki.")
        elif action == "reject":
            services.application_reject(**common, expected_step=_step(request), note=note)
            done = _("Permohonan ditolak.")
        elif action == "issue":
            services.application_issue(**common, note=note)
            done = _("Dokumen diterbitkan.")
        elif action == "assign":
            assignee = None
            raw = request.POST.get("assignee", "")
            if raw:
                assignee = User.objects.filter(pk=int(raw) if raw.isdigit() else 0).first()
                if assignee is None:
                    raise ValidationError({"assignee": [_("Pilih petugas dari daftar.")]})
            services.application_assign(**common, assignee=assignee)
            done = _("Penugasan tersimpan.")
        else:
            return error_page(request, _("Tindakan tidak dikenal."), 400)
    except ValidationError as exc:
        context = _detail_context(request, application)
        context["action_errors"] = [m for msgs in _error_dict(exc).values() for m in msgs]
        return render(request, "applications/office/detail.html", context, status=400)
    except WorkflowError as exc:
        if exc.status == 404:
            raise Http404 from None
        return error_page(request, exc.message, exc.status)
    messages.success(request, done)
    return redirect("applications_office:detail", pk=application.pk)


# --- counter ----------------------------------------------------------------------------------
def _counter_only(request: HttpRequest) -> perms.OfficerScope:
    scope = _scope(request)
    if not scope.has_capability(perms.APPLICATION_COUNTER):
        raise Http404
    return scope


@officer_required
def counter(request: HttpRequest) -> HttpResponse:
    """Services the counter officer may file applications for."""
    scope = _counter_only(request)
    return render(
        request,
        "applications/office/counter.html",
        {"services": list(selectors.counter_services(scope=scope))},
    )


@officer_required
def counter_file(request: HttpRequest, service_id: int) -> HttpResponse:
    """File a complete application for a walk-in citizen identified by name and phone/NIK."""
    scope = _counter_only(request)
    service = selectors.counter_services(scope=scope).filter(pk=service_id).first()
    form = selectors.current_form(service=service) if service else None
    workflow = selectors.current_workflow(service=service) if service else None
    if service is None or form is None or workflow is None:
        raise Http404
    preview = Application(
        service=service, form=form, workflow_definition=workflow, state="draft", data={}
    )
    status, errors = 200, {}
    posted: Any = None
    if request.method == "POST":
        uploads = uploaded_files(request)
        try:
            application = services.application_file_at_counter(
                officer=_user(request),
                scope=scope,
                service=service,
                walk_in=services.WalkIn(
                    name=request.POST.get("walk_in_name", ""),
                    phone=request.POST.get("walk_in_phone", ""),
                    nik=request.POST.get("walk_in_nik", ""),
                ),
                values=request.POST,
                uploads=uploads,
                idempotency_key=request.POST.get("idempotency_key", ""),
            )
        except ValidationError as exc:
            status, errors, posted = 400, _error_dict(exc), request.POST
        except IdempotencyConflict as exc:
            return error_page(request, str(exc.message), 409)
        except services.ApplicationUnavailable:
            raise Http404 from None
        except WorkflowError as exc:
            if exc.status == 404:
                raise Http404 from None
            return error_page(request, exc.message, exc.status)
        else:
            messages.success(
                request,
                _("Permohonan tercatat dengan nomor %(number)s.")
                % {"number": application.tracking_number},
            )
            return redirect("applications_office:detail", pk=application.pk)
    return render(
        request,
        "applications/office/counter_form.html",
        {
            "service": service,
            "fields": field_views(preview, posted=posted, errors=errors),
            "errors": errors,
            "walk_in": {
                "name": (posted or {}).get("walk_in_name", ""),
                "phone": (posted or {}).get("walk_in_phone", ""),
            },
            "idempotency_key": uuid.uuid4().hex,
        },
        status=status,
    )


@officer_required
def counter_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """The counter officer sends the fixes of a walk-in application that was returned."""
    application = _application(request, pk)
    if application.filed_by_id != _user(request).pk or application.state != "revision":
        raise Http404
    editable = {*application.revision_fields, *application.revision_documents}
    status, errors, posted = 200, {}, None
    if request.method == "POST":
        uploads = uploaded_files(request)
        try:
            services.application_resubmit(
                actor=_user(request),
                application=application,
                values=request.POST,
                uploads=uploads,
                scope=_scope(request),
            )
        except ValidationError as exc:
            status, errors, posted = 400, _error_dict(exc), request.POST
            application.refresh_from_db()
        except WorkflowError as exc:
            if exc.status == 404:
                raise Http404 from None
            return error_page(request, exc.message, exc.status)
        else:
            messages.success(request, _("Perbaikan terkirim."))
            return redirect("applications_office:detail", pk=application.pk)
    documents = selectors.current_documents(application=application)
    return render(
        request,
        "applications/office/counter_revise.html",
        {
            "application": application,
            "fields": field_views(
                application, posted=posted, errors=errors, editable=editable, documents=documents
            ),
            "errors": errors,
        },
        status=status,
    )


# --- definition editors -----------------------------------------------------------------------
def _editor_service(request: HttpRequest, service_id: int) -> Any:
    scope = _scope(request)
    if not scope.has_capability(perms.CATALOG_EDIT):
        raise Http404
    service = service_for_officer(scope=scope, pk=service_id)
    if service is None:
        raise Http404
    return service


@officer_required
def definition_services(request: HttpRequest) -> HttpResponse:
    """Online services whose form and workflow the officer may edit."""
    scope = _scope(request)
    if not scope.has_capability(perms.CATALOG_EDIT):
        raise Http404
    page = Paginator(selectors.definition_services(scope=scope), PAGE_SIZE).get_page(
        request.GET.get("hal")
    )
    return render(request, "applications/office/services.html", {"page": page})


def _load_json(text: str, what: str) -> Any:
    try:
        return json.loads(text or "[]")
    except json.JSONDecodeError as exc:
        raise defs.DefinitionError(
            [
                _("%(what)s bukan JSON yang sah (baris %(line)s, kolom %(col)s): %(msg)s")
                % {"what": what, "line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ]
        ) from None


@officer_required
def form_editor(request: HttpRequest, service_id: int) -> HttpResponse:
    """The form definition as JSON, checked on save; every save is a new version."""
    service = _editor_service(request, service_id)
    current = selectors.current_form(service=service)
    status, problems = 200, []
    fields_text = json.dumps(current.fields if current else [], ensure_ascii=False, indent=2)
    requirements_text = json.dumps(
        current.requirements if current else [], ensure_ascii=False, indent=2
    )
    if request.method == "POST":
        fields_text = request.POST.get("fields", "")
        requirements_text = request.POST.get("requirements", "")
        try:
            form = services.form_definition_save(
                actor=_user(request),
                service=service,
                fields=_load_json(fields_text, _("Isian")),
                requirements=_load_json(requirements_text, _("Dokumen persyaratan")),
                change_note=request.POST.get("change_note", ""),
            )
        except ValidationError as exc:
            status, problems = 400, [str(m) for m in exc.messages]
        else:
            messages.success(
                request, _("Formulir tersimpan sebagai versi %(n)s.") % {"n": form.number}
            )
            return redirect("applications_office:form_editor", service_id=service.pk)
    return render(
        request,
        "applications/office/form_editor.html",
        {
            "service": service,
            "current": current,
            "fields_text": fields_text,
            "requirements_text": requirements_text,
            "problems": problems,
            "types": defs.FIELD_TYPES,
        },
        status=status,
    )


@officer_required
def workflow_editor(request: HttpRequest, service_id: int) -> HttpResponse:
    """Workflow steps as rows (name, acting role, working days) plus the overall limit."""
    service = _editor_service(request, service_id)
    current = selectors.current_workflow(service=service)
    status, problems = 200, []
    rows: list[dict[str, Any]] = list(current.steps) if current else []
    overall: Any = current.overall_days if current else service.time_limit_days
    if request.method == "POST":
        names = request.POST.getlist("step_name")
        roles = request.POST.getlist("step_role")
        days = request.POST.getlist("step_days")
        rows = []
        for name, role, day in zip(names, roles, days, strict=False):
            if not name.strip() and not day.strip():
                continue  # an empty row left blank
            rows.append(
                {"name": name, "role": role, "days": int(day) if day.strip().isdigit() else day}
            )
        raw_overall = request.POST.get("overall_days", "")
        overall = int(raw_overall) if raw_overall.strip().isdigit() else raw_overall
        try:
            workflow = services.workflow_definition_save(
                actor=_user(request),
                service=service,
                steps=rows,
                overall_days=overall,
                change_note=request.POST.get("change_note", ""),
            )
        except ValidationError as exc:
            status, problems = 400, [str(m) for m in exc.messages]
        else:
            messages.success(
                request, _("Alur kerja tersimpan sebagai versi %(n)s.") % {"n": workflow.number}
            )
            return redirect("applications_office:workflow_editor", service_id=service.pk)
    role_choices = [(r, str(Role(r).label)) for r in defs.processing_roles()]
    blank_rows = max(1, 3 - len(rows)) if status == 200 else 1
    return render(
        request,
        "applications/office/workflow_editor.html",
        {
            "service": service,
            "current": current,
            "rows": rows,
            "blank_rows": range(blank_rows),
            "overall": overall,
            "roles": role_choices,
            "problems": problems,
        },
        status=status,
    )


app_name = "applications_office"
urlpatterns = [
    path("", queue, name="queue"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/tindakan/<slug:action>/", act, name="act"),
    path("<int:pk>/perbaiki/", counter_revise, name="counter_revise"),
    path("loket/", counter, name="counter"),
    path("loket/<int:service_id>/", counter_file, name="counter_file"),
    path("layanan/", definition_services, name="services"),
    path("layanan/<int:service_id>/formulir/", form_editor, name="form_editor"),
    path("layanan/<int:service_id>/alur/", workflow_editor, name="workflow_editor"),
]
