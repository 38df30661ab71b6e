"""Writes of the applications module: definitions, drafts, submission, officer actions.

Every write: ``transaction.atomic`` → change → workflow transition (which writes the timeline
event, the clock effects and its audit entry) or ``log_action`` → notifications. Any bad input
raises before anything is kept: the transaction rolls back (uploaded bytes whose row rolled
back are removed by ``sweep_orphan_files``).

Personal data (NIK, phone, email typed into forms) never reaches the audit trail: entries
record codes, counts and ids only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.accounts import nik as nik_module
from loket.accounts.models import User
from loket.accounts.phone import normalize_phone
from loket.applications import definitions as defs
from loket.applications.models import (
    Application,
    ApplicationDocument,
    FormDefinition,
    WorkflowDefinition,
)
from loket.applications.states import APPLICATION
from loket.catalog.models import Service
from loket.core.audit import log_action
from loket.core.files import store_upload
from loket.core.idempotency import run_once, valid_key
from loket.core.permissions import (
    APPLICATION_COUNTER,
    APPLICATION_PROCESS,
    OfficerScope,
)
from loket.core.sequences import next_number
from loket.notifications.services import notify
from loket.organizations.models import Government, Membership, Role
from loket.workflow.errors import IllegalTransition, NotPermitted
from loket.workflow.models import WorkflowEvent
from loket.workflow.scopes import owner_scope
from loket.workflow.services import apply_transition

FILE_PURPOSE = "application"
TRACKING_FORMAT = "PMH-{prefix}-{year}-{seq:06d}"


class ApplicationUnavailable(Exception):
    """The service takes no online applications (not published, not online, no form or
    workflow yet). Views answer 404."""


# --- scopes -----------------------------------------------------------------------------------
def holds_role(scope: OfficerScope, *, role: str, agency_id: int) -> bool:
    """Whether the officer holds ``role`` in ``agency_id`` (superusers hold every role)."""
    return scope.is_superuser or any(
        g.role == role and g.agency_id == agency_id for g in scope.grants
    )


@dataclass(frozen=True)
class StepScope:
    """An officer acting at one workflow step: they need the transition's capability for the
    application's government and agency *and* the step's role in that agency. ``role`` names
    the actor on the timeline."""

    officer: OfficerScope
    role: str

    def can(self, capability: str, *, government_id: int, agency_id: int | None = None) -> bool:
        return (
            agency_id is not None
            and self.officer.can(capability, government_id=government_id, agency_id=agency_id)
            and holds_role(self.officer, role=self.role, agency_id=agency_id)
        )


def can_act(scope: OfficerScope, application: Application) -> bool:
    """Whether the officer may act on the application at its current step."""
    return application.state in ("processing", "approved") and StepScope(
        scope, application.current_role
    ).can(
        APPLICATION_PROCESS,
        government_id=application.government_id,
        agency_id=application.agency_id,
    )


def can_view_in_office(scope: OfficerScope, application: Application) -> bool:
    """Officers processing the agency's applications, and the counter officer who filed it."""
    if application.state == "draft" and application.filed_by_id is None:
        return False  # a citizen's draft is theirs alone
    if scope.can(
        APPLICATION_PROCESS,
        government_id=application.government_id,
        agency_id=application.agency_id,
    ):
        return True
    return application.filed_by_id is not None and application.filed_by_id == scope.user_id


# --- definitions ------------------------------------------------------------------------------
def form_definition_save(
    *,
    actor: User | None,
    service: Service,
    fields: Any,
    requirements: Any,
    change_note: str = "",
) -> FormDefinition:
    """Save a new version of the service's application form after checking it (every problem
    is reported at once in a ``DefinitionError``). Saving the current definition unchanged
    returns the current version."""
    defs.parse_form(fields, requirements)
    return _save_version(
        FormDefinition,
        actor=actor,
        service=service,
        content={"fields": fields, "requirements": requirements},
        change_note=change_note,
        action="application.form_saved",
        summary={"fields": len(fields), "requirements": len(requirements)},
    )


def workflow_definition_save(
    *,
    actor: User | None,
    service: Service,
    steps: Any,
    overall_days: Any,
    change_note: str = "",
) -> WorkflowDefinition:
    """Save a new version of the service's workflow after checking it (at least one step, known
    processing roles, limits in working days that fit the overall limit)."""
    parsed = defs.parse_workflow(steps, overall_days)
    clean_steps = [{"name": s.name, "role": s.role, "days": s.days} for s in parsed]
    return _save_version(
        WorkflowDefinition,
        actor=actor,
        service=service,
        content={"steps": clean_steps, "overall_days": overall_days},
        change_note=change_note,
        action="application.workflow_saved",
        summary={"steps": len(clean_steps), "overall_days": overall_days},
    )


def _save_version[V: (FormDefinition, WorkflowDefinition)](
    model: type[V],
    *,
    actor: User | None,
    service: Service,
    content: dict[str, Any],
    change_note: str,
    action: str,
    summary: dict[str, Any],
) -> V:
    """Append version n+1 of a service's definition (``content``: its field values), or return
    the latest when it already holds exactly ``content``. The service row is locked so two
    editors never take the same number; the new version is audited as ``action``."""
    with transaction.atomic():
        Service.objects.select_for_update().filter(pk=service.pk).first()
        latest = model.objects.filter(service=service).order_by("-number").first()
        if latest is not None and all(getattr(latest, k) == v for k, v in content.items()):
            return latest
        version = model(
            service=service,
            number=(latest.number + 1) if latest else 1,
            change_note=change_note.strip()[:300],
            created_by=actor,
            **content,
        )
        version.save(force_insert=True)
        log_action(
            action,
            actor=actor,
            obj=version,
            government_id=service.government_id,
            payload={"service_id": service.pk, "number": version.number, **summary},
        )
    return version


# --- drafts and values ------------------------------------------------------------------------
def _current_definitions(service: Service) -> tuple[FormDefinition, WorkflowDefinition]:
    form = FormDefinition.objects.filter(service=service).order_by("-number").first()
    workflow = WorkflowDefinition.objects.filter(service=service).order_by("-number").first()
    if form is None or workflow is None or not service.is_online:
        raise ApplicationUnavailable
    return form, workflow


def _new_application(
    service: Service, *, applicant: User | None, filed_by: User | None
) -> Application:
    if not service.is_published:
        raise ApplicationUnavailable
    form, workflow = _current_definitions(service)
    return Application.objects.create(
        government_id=service.government_id,
        agency_id=service.agency_id,
        service=service,
        form=form,
        workflow_definition=workflow,
        applicant=applicant,
        filed_by=filed_by,
        fee=service.fee,
        current_role=str(workflow.step(0)["role"]),
    )


def application_start(*, applicant: User, service: Service) -> Application:
    """The citizen's open draft for ``service``, or a new one against the service's current
    form and workflow versions. Raises ``ApplicationUnavailable`` when the service takes no
    online applications."""
    with transaction.atomic():
        draft = (
            Application.objects.filter(applicant=applicant, service=service, state="draft")
            .order_by("-created_at")
            .first()
        )
        if draft is not None:
            return draft
        application = _new_application(service, applicant=applicant, filed_by=None)
        log_action(
            "application.draft_created",
            actor=applicant,
            obj=application,
            government_id=application.government_id,
            payload={"service_id": service.pk, "form": application.form.number},
        )
    return application


def _invalid(errors: Mapping[str, Any]) -> ValidationError:
    return ValidationError({code: [str(msg)] for code, msg in errors.items()})


def _merge(
    application: Application,
    *,
    raw: defs.RawValues,
    uploads: Mapping[str, UploadedFile[bytes]],
    actor: User | None,
    editable: set[str] | None,
    complete: bool,
) -> set[str]:
    """Clean ``raw`` and ``uploads`` into the application (unsaved ``data``, stored documents).

    ``editable`` None: every field may change (drafts, counter filing). Otherwise only those
    codes; a posted value that differs from the stored one for any other field, or a file for
    any other document, is refused. ``complete`` also requires every visible required field and
    document. Returns the codes of documents uploaded now. Raises ``ValidationError`` with
    every problem (code → message); the caller's transaction then keeps nothing.
    """
    spec = defs.parse_form(application.form.fields, application.form.requirements)
    values: dict[str, Any] = dict(application.data)
    errors: dict[str, str] = {}
    not_returned = _("Bagian ini tidak diminta untuk diperbaiki dan tidak boleh diubah.")
    for field in spec.data_fields:
        locked = editable is not None and field.code not in editable
        if locked and not defs.is_posted_strict(field, raw):
            continue
        try:
            value = defs.clean_field(field, raw)
        except ValidationError as exc:
            errors[field.code] = not_returned if locked else " ".join(exc.messages)
            continue
        if locked:
            if not defs.same_value(field, values.get(field.code), value):
                errors[field.code] = not_returned
            continue
        if value is None:
            values.pop(field.code, None)
        else:
            values[field.code] = value
    uploaded: set[str] = set()
    for code, upload in uploads.items():
        item = spec.get(code)
        if item is None or not item.is_file:
            errors[code] = _("Berkas ini tidak dikenal dalam formulir.")
            continue
        if editable is not None and code not in editable:
            errors[code] = not_returned
            continue
        try:
            stored = store_upload(
                uploaded=upload,
                purpose=FILE_PURPOSE,
                owner=actor,
                allowed=item.allowed_kinds,
                max_bytes=item.max_bytes,
            )
        except ValidationError as exc:
            errors[code] = " ".join(exc.messages)
            continue
        ApplicationDocument.objects.filter(
            application=application, code=code, is_current=True
        ).update(is_current=False)
        ApplicationDocument.objects.create(
            application=application, code=code, file=stored.file, uploaded_by=actor
        )
        uploaded.add(code)
    documents = set(
        ApplicationDocument.objects.filter(application=application, is_current=True).values_list(
            "code", flat=True
        )
    )
    visible = spec.visible(values, documents)
    values = {
        code: value
        for code, value in values.items()
        if code in visible and spec.get(code) is not None
    }
    if complete:
        for code, message in defs.missing_required(spec, values, documents).items():
            errors.setdefault(code, message)
    if errors:
        raise _invalid(errors)
    application.data = values
    return uploaded


def _owned_draft(applicant: User, application: Application) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("form")
        .get(pk=application.pk)
    )
    if locked.applicant_id != applicant.pk:
        raise NotPermitted()
    if locked.state != "draft":
        raise IllegalTransition(_("Permohonan ini sudah diajukan dan tidak dapat diubah lagi."))
    return locked


def application_save_draft(
    *,
    applicant: User,
    application: Application,
    values: defs.RawValues,
    uploads: Mapping[str, UploadedFile[bytes]],
) -> Application:
    """Keep what the citizen typed and uploaded so far (types are checked, required fields
    are not yet)."""
    with transaction.atomic():
        locked = _owned_draft(applicant, application)
        uploaded = _merge(
            locked, raw=values, uploads=uploads, actor=applicant, editable=None, complete=False
        )
        locked.save(update_fields=["data", "updated_at"])
        log_action(
            "application.draft_saved",
            actor=applicant,
            obj=locked,
            government_id=locked.government_id,
            payload={"fields": len(locked.data), "documents": sorted(uploaded)},
        )
    return locked


def _next_tracking_number(government: Government, year: int) -> str:
    seq = next_number(f"application:{government.pk}:{year}")
    return TRACKING_FORMAT.format(prefix=government.tracking_prefix, year=year, seq=seq)


def _stamp_submission(application: Application, now: datetime | None = None) -> None:
    now = now or timezone.now()
    government = Government.objects.get(pk=application.government_id)
    year = timezone.localtime(now).year
    application.tracking_number = _next_tracking_number(government, year)
    application.submitted_at = now
    application.step_index = 0
    application.current_role = str(application.workflow_definition.step(0)["role"])
    application.save(
        update_fields=[
            "data",
            "tracking_number",
            "submitted_at",
            "step_index",
            "current_role",
            "updated_at",
        ]
    )


def _check_key(idempotency_key: str) -> None:
    if not valid_key(idempotency_key):
        raise ValidationError(
            {"idempotency_key": [_("Muat ulang halaman formulir lalu kirim lagi.")]}
        )


def application_submit(
    *,
    applicant: User,
    application: Application,
    values: defs.RawValues,
    uploads: Mapping[str, UploadedFile[bytes]],
    idempotency_key: str,
    now: datetime | None = None,
) -> Application:
    """Submit the citizen's draft: complete values and documents are required; it gets its
    tracking number and its clocks start. The same ``idempotency_key`` sent twice (double tap,
    retry) submits once and returns the same application."""
    _check_key(idempotency_key)

    def act() -> dict[str, Any]:
        locked = _owned_draft(applicant, application)
        _merge(locked, raw=values, uploads=uploads, actor=applicant, editable=None, complete=True)
        _stamp_submission(locked, now)
        apply_transition(
            workflow=APPLICATION,
            subject=locked,
            name="submit",
            actor=applicant,
            scope=owner_scope(),
            now=now,
        )
        _notify_applicant(locked, "application.submitted")
        return {"id": locked.pk, "tracking_number": locked.tracking_number}

    result, _created = run_once(
        scope=f"application.submit.{applicant.pk}",
        key=idempotency_key,
        request_data={"application": application.pk},
        action=act,
    )
    return Application.objects.get(pk=result["id"])


@dataclass(frozen=True)
class WalkIn:
    """A walk-in citizen without an account: a name and a phone number and/or NIK."""

    name: str
    phone: str = ""
    nik: str = ""


def _clean_walk_in(walk_in: WalkIn) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    name = walk_in.name.strip()
    if not name or len(name) > 150:
        errors["walk_in_name"] = _("Nama pemohon wajib diisi (maks. 150 karakter).")
    phone = ""
    if walk_in.phone.strip():
        phone = normalize_phone(walk_in.phone) or ""
        if not phone:
            errors["walk_in_phone"] = _("Masukkan nomor ponsel Indonesia, misalnya 0812 3456 7890.")
    nik = ""
    if walk_in.nik.strip():
        try:
            nik = nik_module.validate(walk_in.nik)
        except ValidationError as exc:
            errors["walk_in_nik"] = " ".join(exc.messages)
    if not walk_in.phone.strip() and not walk_in.nik.strip():
        errors["walk_in_phone"] = _("Isi nomor ponsel atau NIK pemohon.")
    if errors:
        raise _invalid(errors)
    return name, phone, nik


def application_file_at_counter(
    *,
    officer: User,
    scope: OfficerScope,
    service: Service,
    walk_in: WalkIn,
    values: defs.RawValues,
    uploads: Mapping[str, UploadedFile[bytes]],
    idempotency_key: str,
) -> Application:
    """Counter staff file a complete application for a walk-in citizen in one go; it is
    recorded as filed at the counter by ``officer`` for the named citizen."""
    if not scope.can(
        APPLICATION_COUNTER, government_id=service.government_id, agency_id=service.agency_id
    ):
        raise NotPermitted()
    _check_key(idempotency_key)
    name, phone, nik = _clean_walk_in(walk_in)

    def act() -> dict[str, Any]:
        application = _new_application(service, applicant=None, filed_by=officer)
        application.walk_in_name = name
        application.walk_in_phone = phone
        if nik:
            application.walk_in_nik_ciphertext = nik_module.encrypt(nik)
            application.walk_in_nik_index = nik_module.blind_index(nik)
            application.walk_in_nik_masked = nik_module.mask(nik)
        application.save()
        _merge(
            application, raw=values, uploads=uploads, actor=officer, editable=None, complete=True
        )
        _stamp_submission(application)
        apply_transition(
            workflow=APPLICATION,
            subject=application,
            name="submit_counter",
            actor=officer,
            scope=scope,
        )
        return {"id": application.pk, "tracking_number": application.tracking_number}

    result, _created = run_once(
        scope=f"application.counter.{officer.pk}",
        key=idempotency_key,
        request_data={"service": service.pk},
        action=act,
    )
    return Application.objects.get(pk=result["id"])


def application_resubmit(
    *,
    actor: User,
    application: Application,
    values: defs.RawValues,
    uploads: Mapping[str, UploadedFile[bytes]],
    scope: OfficerScope | None = None,
    now: datetime | None = None,
) -> Application:
    """Send the fixes the officer asked for; the paused clocks resume.

    Only the returned fields and documents may change (anything else differing → 400), each
    returned document must be uploaded again, and the whole form must be complete. The
    citizen acts for their own application; for a walk-in application the counter officer
    who filed it acts (with ``scope``)."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("form", "workflow_definition")
            .get(pk=application.pk)
        )
        if locked.applicant_id is not None:
            if locked.applicant_id != actor.pk:
                raise NotPermitted()
            name, acting_scope = "resubmit", owner_scope()
        else:
            if scope is None or locked.filed_by_id != actor.pk:
                raise NotPermitted()
            name, acting_scope = "resubmit_counter", scope  # type: ignore[assignment]
        if locked.state != "revision":
            raise IllegalTransition(_("Permohonan ini tidak sedang menunggu perbaikan."))
        editable = {*locked.revision_fields, *locked.revision_documents}
        uploaded = _merge(
            locked, raw=values, uploads=uploads, actor=actor, editable=editable, complete=True
        )
        missing = [code for code in locked.revision_documents if code not in uploaded]
        if missing:
            raise _invalid({code: _("Unggah ulang dokumen ini.") for code in missing})
        locked.revision_fields, locked.revision_documents = [], []
        locked.save(update_fields=["data", "revision_fields", "revision_documents", "updated_at"])
        apply_transition(
            workflow=APPLICATION,
            subject=locked,
            name=name,
            actor=actor,
            scope=acting_scope,
            now=now,
        )
        _notify_officers(locked, "application.resubmitted")
    return locked


# --- officer actions --------------------------------------------------------------------------
def _locked_for_officer(
    scope: OfficerScope, application: Application, expected_step: int | None
) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("workflow_definition", "form", "service", "applicant")
        .get(pk=application.pk)
    )
    if not can_view_in_office(scope, locked):
        raise NotPermitted()
    if not can_act(scope, locked):
        if locked.state in ("processing", "approved") and scope.can(
            APPLICATION_PROCESS, government_id=locked.government_id, agency_id=locked.agency_id
        ):
            raise IllegalTransition(
                _("Langkah ini ditangani peran lain. Anda tidak dapat bertindak di langkah ini.")
            )
        if locked.state not in ("processing", "approved"):
            raise IllegalTransition(_("Permohonan ini tidak sedang menunggu tindakan petugas."))
        raise NotPermitted()
    if expected_step is not None and locked.step_index != expected_step:
        raise IllegalTransition(
            _("Permohonan sudah berpindah langkah. Muat ulang halaman lalu coba lagi.")
        )
    return locked


def _move(
    *,
    officer: User,
    scope: OfficerScope,
    application: Application,
    name: str,
    note: str = "",
    public: bool = False,
    changes: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> WorkflowEvent:
    """Apply ``name`` at the current step. ``changes`` are set on the row in the same
    compare-and-set update and on the instance first, so clock budgets read the new step."""
    acting = StepScope(scope, application.current_role)
    changes = dict(changes or {})
    for key, value in changes.items():
        setattr(application, key, value)
    return apply_transition(
        workflow=APPLICATION,
        subject=application,
        name=name,
        actor=officer,
        scope=acting,
        note=note,
        public=public,
        extra=changes,
        now=now,
    )


def application_forward(
    *,
    officer: User,
    scope: OfficerScope,
    application: Application,
    expected_step: int,
    note: str = "",
    now: datetime | None = None,
) -> Application:
    """Approve the current step and hand the application to the next step's role; the step
    clock restarts with the next step's limit."""
    with transaction.atomic():
        locked = _locked_for_officer(scope, application, expected_step)
        if locked.state != "processing" or locked.step_index + 1 >= (
            locked.workflow_definition.step_count
        ):
            raise IllegalTransition(_("Ini langkah terakhir: setujui permohonan."))
        nxt = locked.step_index + 1
        _move(
            officer=officer,
            scope=scope,
            application=locked,
            name="forward",
            note=note,
            changes={
                "step_index": nxt,
                "current_role": str(locked.workflow_definition.step(nxt)["role"]),
                "assigned_to": None,
            },
            now=now,
        )
    return locked


def application_approve(
    *,
    officer: User,
    scope: OfficerScope,
    application: Application,
    expected_step: int,
    note: str = "",
    now: datetime | None = None,
) -> Application:
    """Approve at the last step. A service with a fee gets its bill now; the output can be
    issued once it is paid."""
    from loket.applications import integration

    with transaction.atomic():
        locked = _locked_for_officer(scope, application, expected_step)
        if locked.step_index + 1 < locked.workflow_definition.step_count:
            raise IllegalTransition(_("Masih ada langkah berikutnya: teruskan permohonan."))
        _move(officer=officer, scope=scope, application=locked, name="approve", note=note, now=now)
        if locked.fee > 0 and not locked.bill_reference:
            reference = integration.create_bill(locked, actor=officer)
            if reference:
                locked.bill_reference = reference
                locked.save(update_fields=["bill_reference", "updated_at"])
        _notify_applicant(locked, "application.approved")
    return locked


def application_return(
    *,
    officer: User,
    scope: OfficerScope,
    application: Application,
    expected_step: int,
    fields: Iterable[str],
    documents: Iterable[str],
    note: str,
    now: datetime | None = None,
) -> Application:
    """Return the application to the citizen naming exactly the fields and documents to fix
    (at least one) with a note; every clock pauses until they resubmit."""
    with transaction.atomic():
        locked = _locked_for_officer(scope, application, expected_step)
        spec = defs.parse_form(locked.form.fields, locked.form.requirements)
        field_codes = list(dict.fromkeys(fields))
        document_codes = list(dict.fromkeys(documents))
        errors: dict[str, str] = {}
        known_fields = {f.code for f in spec.fields}
        known_documents = {r.code for r in spec.requirements} | {
            f.code for f in spec.fields if f.is_file
        }
        if any(code not in known_fields for code in field_codes) or any(
            code not in known_documents for code in document_codes
        ):
            errors["fields"] = _("Pilih isian dan dokumen dari formulir permohonan ini.")
        elif not field_codes and not document_codes:
            errors["fields"] = _("Pilih sedikitnya satu isian atau dokumen yang perlu diperbaiki.")
        if not note.strip():
            errors["note"] = _("Jelaskan apa yang perlu diperbaiki.")
        if errors:
            raise _invalid(errors)
        # A file field is fixed by uploading: it travels as a document.
        file_fields = [c for c in field_codes if spec.get(c) and spec.get(c).is_file]  # type: ignore[union-attr]
        _move(
            officer=officer,
            scope=scope,
            application=locked,
            name="return",
            note=note,
            public=True,
            changes={
                "revision_fields": [c for c in field_codes if c not in file_fields],
                "revision_documents": [*file_fields, *document_codes],
                "revision_note": note.strip(),
            },
            now=now,
        )
        _notify_applicant(locked, "application.returned")
    return locked


def application_reject(
    *,
    officer: User,
    scope: OfficerScope,
    application: Application,
    expected_step: int,
    note: str,
    now: datetime | None = None,
) -> Application:
    """Reject with a reason the citizen sees; the application is closed."""
    with transaction.atomic():
        locked = _locked_for_officer(scope, application, expected_step)
        if not note.strip():
            raise _invalid({"note": _("Alasan penolakan wajib diisi.")})
        _move(
            officer=officer,
            scope=scope,
            application=locked,
            name="reject",
            note=note,
            public=True,
            changes={"decision_note": note.strip(), "completed_at": timezone.now()},
            now=now,
        )
        _notify_applicant(locked, "application.rejected")
    return locked


def application_issue(
    *,
    officer: User,
    scope: OfficerScope,
    application: Application,
    note: str = "",
) -> Application:
    """Issue the output document (a PDF with a QR code) of an approved, paid application;
    the application is complete and the citizen is invited to the satisfaction survey."""
    from loket.applications import integration

    with transaction.atomic():
        locked = _locked_for_officer(scope, application, None)
        if locked.state != "approved":
            raise IllegalTransition(_("Dokumen hanya dapat diterbitkan setelah disetujui."))
        if locked.needs_payment:
            raise IllegalTransition(_("Biaya layanan belum dibayar."))
        reference = integration.issue_output(locked, actor=officer)
        _move(
            officer=officer,
            scope=scope,
            application=locked,
            name="issue",
            note=note,
            changes={
                "output_reference": reference,
                "completed_at": timezone.now(),
                "decision_note": note.strip() or locked.decision_note,
            },
        )
        _notify_applicant(locked, "application.issued")
        _invite_to_survey(locked)
    return locked


def application_assign(
    *,
    officer: User,
    scope: OfficerScope,
    application: Application,
    assignee: User | None,
) -> Application:
    """Assign (or reassign, or with None release) the application at its current step to an
    officer holding the step's role in the agency. Officers acting at the step and the
    agency's supervisors may assign."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("service")
            .get(pk=application.pk)
        )
        if not can_view_in_office(scope, locked):
            raise NotPermitted()
        if not (
            can_act(scope, locked)
            or holds_role(scope, role=Role.SUPERVISOR, agency_id=locked.agency_id)
        ) or locked.state not in ("processing", "approved"):
            raise IllegalTransition(_("Anda tidak dapat menugaskan permohonan ini sekarang."))
        if (
            assignee is not None
            and not Membership.objects.filter(
                user=assignee,
                agency_id=locked.agency_id,
                role=locked.current_role,
                is_active=True,
                user__is_active=True,
            ).exists()
        ):
            raise _invalid(
                {"assignee": _("Petugas ini tidak memegang peran langkah ini di perangkat daerah.")}
            )
        previous = locked.assigned_to_id
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to", "updated_at"])
        log_action(
            "application.assigned",
            actor=officer,
            obj=locked,
            government_id=locked.government_id,
            payload={
                "assignee_id": assignee.pk if assignee else None,
                "previous_id": previous,
                "step": locked.step_index,
            },
        )
        if assignee is not None and assignee.pk != officer.pk:
            notify(
                recipient=assignee,
                kind="application.assigned",
                context={"reference": locked.tracking_number, "service": locked.service.name},
                url=_office_url(locked),
            )
    return locked


def application_mark_paid(*, application_id: int, reference: str, paid_at: Any = None) -> bool:
    """Record that the application's bill was paid (called by the payments listener).
    Returns False when nothing changed (unknown application, other bill, already paid)."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",)).filter(pk=application_id).first()
        )
        if locked is None or locked.paid_at is not None:
            return False
        if locked.bill_reference and reference and locked.bill_reference != reference:
            return False
        locked.paid_at = paid_at or timezone.now()
        locked.bill_reference = locked.bill_reference or reference
        locked.save(update_fields=["paid_at", "bill_reference", "updated_at"])
        log_action(
            "application.paid",
            actor_role="system",
            obj=locked,
            government_id=locked.government_id,
            payload={"bill": locked.bill_reference},
        )
        _notify_officers(locked, "application.paid")
    return True


# --- notifications ----------------------------------------------------------------------------
def _status_url(application: Application) -> str:
    return reverse("applications:detail", kwargs={"pk": application.pk})


def _office_url(application: Application) -> str:
    return reverse("applications_office:detail", kwargs={"pk": application.pk})


def _notify_applicant(application: Application, kind: str) -> None:
    if application.applicant is None:
        return
    notify(
        recipient=application.applicant,
        kind=kind,
        context={
            "reference": application.tracking_number,
            "service": application.service.name,
        },
        url=_status_url(application),
    )


def _notify_officers(application: Application, kind: str) -> None:
    recipients: list[User] = []
    if application.assigned_to_id is not None:
        assignee = User.objects.filter(pk=application.assigned_to_id, is_active=True).first()
        if assignee is not None:
            recipients.append(assignee)
    for user in recipients:
        notify(
            recipient=user,
            kind=kind,
            context={"reference": application.tracking_number, "service": application.service.name},
            url=_office_url(application),
        )


def _invite_to_survey(application: Application) -> None:
    if application.applicant is None:
        return
    from loket.applications import integration

    url = integration.survey_url(application)
    notify(
        recipient=application.applicant,
        kind="application.survey",
        context={
            "reference": application.tracking_number,
            "service": application.service.name,
            "url": url,
        },
        url=url or _status_url(application),
    )


def survey_link(token: str) -> str:
    """The survey page for ``token`` when the survey module serves one, else ""."""
    try:
        return reverse("surveys:respond", kwargs={"token": token})
    except NoReverseMatch:
        return ""
