"""Citizen pages: start an application from the catalogue, fill and submit it, follow its
status, fix what was returned, download the output. Mounted at ``permohonan/``.

Views parse and authorise; services decide. Someone else's application is a 404.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.accounts.models import User
from loket.applications import definitions as defs
from loket.applications import integration, selectors, services
from loket.applications.models import Application
from loket.applications.rendering import field_views
from loket.applications.states import APPLICATION
from loket.core.idempotency import IdempotencyConflict
from loket.workflow.errors import WorkflowError


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def error_page(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "applications/error.html", {"message": message}, status=status)


def uploaded_files(request: HttpRequest) -> dict[str, UploadedFile[bytes]]:
    """One uploaded file per input name (the last one when a name repeats)."""
    return {key: cast("UploadedFile[bytes]", request.FILES[key]) for key in request.FILES}


def _own(request: HttpRequest, pk: int) -> Application:
    application = selectors.application_for_citizen(user=_user(request), pk=pk)
    if application is None:
        raise Http404
    return application


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    """The citizen's applications, 20 a page."""
    paginator = Paginator(selectors.applications_for_citizen(user=_user(request)), 20)
    page = paginator.get_page(request.GET.get("hal"))
    return render(
        request, "applications/list.html", {"page": page, "labels": APPLICATION.public_labels()}
    )


@login_required
def start(request: HttpRequest, service_id: int) -> HttpResponse:
    """The service's requirements and a button that opens (or reopens) the draft."""
    service = selectors.online_service(service_id=service_id)
    form = selectors.current_form(service=service) if service else None
    if service is None or form is None or selectors.current_workflow(service=service) is None:
        raise Http404
    if request.method == "POST":
        try:
            application = services.application_start(applicant=_user(request), service=service)
        except services.ApplicationUnavailable:
            raise Http404 from None
        return redirect("applications:edit", pk=application.pk)
    spec = defs.parse_form(form.fields, form.requirements)
    return render(
        request,
        "applications/start.html",
        {"service": service, "requirements": spec.requirements, "form_version": form},
    )


def _edit_context(
    application: Application,
    *,
    posted: Any = None,
    errors: dict[str, list[str]] | None = None,
    editable: set[str] | None = None,
) -> dict[str, Any]:
    documents = selectors.current_documents(application=application)
    return {
        "application": application,
        "service": application.service,
        "fields": field_views(
            application, posted=posted, errors=errors, editable=editable, documents=documents
        ),
        "errors": errors or {},
        "idempotency_key": uuid.uuid4().hex,
    }


def _error_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {key: [str(m) for m in value] for key, value in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft form: ``save`` keeps it, ``submit`` sends it (once per idempotency key)."""
    application = _own(request, pk)
    if application.state != "draft":
        return redirect("applications:detail", pk=application.pk)
    if request.method == "POST":
        uploads = uploaded_files(request)
        try:
            if request.POST.get("action") == "submit":
                application = services.application_submit(
                    applicant=_user(request),
                    application=application,
                    values=request.POST,
                    uploads=uploads,
                    idempotency_key=request.POST.get("idempotency_key", ""),
                )
                messages.success(
                    request,
                    _("Permohonan terkirim dengan nomor %(number)s.")
                    % {"number": application.tracking_number},
                )
                return redirect("applications:detail", pk=application.pk)
            services.application_save_draft(
                applicant=_user(request),
                application=application,
                values=request.POST,
                uploads=uploads,
            )
            messages.success(request, _("Draf tersimpan."))
            return redirect("applications:edit", pk=application.pk)
        except ValidationError as exc:
            application.refresh_from_db()
            context = _edit_context(application, posted=request.POST, errors=_error_dict(exc))
            return render(request, "applications/edit.html", context, status=400)
        except IdempotencyConflict as exc:
            return error_page(request, str(exc.message), 409)
        except WorkflowError as exc:
            if exc.status == 404:
                raise Http404 from None
            return error_page(request, exc.message, exc.status)
    return render(request, "applications/edit.html", _edit_context(application))


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The status page: state, current step and its deadline, timeline, what to fix, output."""
    application = _own(request, pk)
    if application.state == "draft":
        return redirect("applications:edit", pk=application.pk)
    documents = selectors.current_documents(application=application)
    clocks = selectors.deadlines(application=application)
    document = integration.output_document(application)
    context = {
        "application": application,
        "service": application.service,
        "state_label": APPLICATION.public_label(application.state),
        "step": selectors.step_label(application),
        "clocks": clocks,
        "events": selectors.events(application=application, public_only=True),
        "labels": APPLICATION.public_labels(),
        "fields": field_views(application, documents=documents),
        "returned": [
            view
            for view in field_views(application, documents=documents)
            if view.code in {*application.revision_fields, *application.revision_documents}
        ],
        "output": document,
        "bill": integration.bill_for(application),
        "now": timezone.now(),
    }
    return render(request, "applications/detail.html", context)


@login_required
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Fix exactly what the officer returned; everything else is shown read-only."""
    application = _own(request, pk)
    if application.state != "revision":
        return redirect("applications:detail", pk=application.pk)
    editable = {*application.revision_fields, *application.revision_documents}
    if request.method == "POST":
        uploads = uploaded_files(request)
        try:
            services.application_resubmit(
                actor=_user(request),
                application=application,
                values=request.POST,
                uploads=uploads,
            )
        except ValidationError as exc:
            application.refresh_from_db()
            context = _edit_context(
                application, posted=request.POST, errors=_error_dict(exc), editable=editable
            )
            return render(request, "applications/revise.html", context, status=400)
        except WorkflowError as exc:
            if exc.status == 404:
                raise Http404 from None
            return error_page(request, exc.message, exc.status)
        messages.success(request, _("Perbaikan terkirim. Petugas akan memeriksanya kembali."))
        return redirect("applications:detail", pk=application.pk)
    return render(
        request, "applications/revise.html", _edit_context(application, editable=editable)
    )


app_name = "applications"
urlpatterns = [
    path("", my_applications, name="mine"),
    path("mulai/<int:service_id>/", start, name="start"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/isi/", edit, name="edit"),
    path("<int:pk>/perbaiki/", revise, name="revise"),
]
