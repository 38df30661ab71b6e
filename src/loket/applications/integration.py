"""Where applications meet the other modules: escalation, file and document access, the
back-office menu, bills (payments) and output documents (documents), the survey link.

``connect()`` runs from ``AppConfig.ready``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loket.applications.models import Application, ApplicationDocument

MODEL_LABEL = "applications.application"


def _office_url(application: Any) -> str:
    return reverse("applications_office:detail", kwargs={"pk": application.pk})


def can_see_application(user: Any, application: Application) -> bool:
    """The applicant, the counter officer who filed it and officers processing the agency's
    applications."""
    from loket.applications.services import can_view_in_office
    from loket.core.permissions import officer_scope

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if application.applicant_id is not None and application.applicant_id == user.pk:
        return True
    return can_view_in_office(officer_scope(user), application)


def _file_policy(user: Any, stored_file: Any) -> bool:
    document = (
        ApplicationDocument.objects.select_related("application")
        .filter(file_id=stored_file.pk)
        .first()
    )
    return document is not None and can_see_application(user, document.application)


def _document_access(user: Any, document: Any) -> bool:
    application = Application.objects.filter(pk=document.subject_id).first()
    return application is not None and can_see_application(user, application)


def _on_paid(bill: Any) -> None:
    from loket.applications.services import application_mark_paid

    try:
        application_id = int(bill.subject_id)
    except (TypeError, ValueError):
        return
    application_mark_paid(
        application_id=application_id, reference=str(bill.code), paid_at=bill.paid_at
    )


def connect() -> None:
    from loket.backoffice.nav import NavEntry, register_nav
    from loket.core import permissions as perms
    from loket.core.files import register_file_policy
    from loket.organizations.models import Role
    from loket.workflow.escalation import agency_chain, register_escalation

    register_escalation(
        Application,
        agency_chain(
            levels=(Role.SUPERVISOR, Role.COORDINATOR),
            reference=lambda application: str(application.tracking_number or ""),
            url=_office_url,
        ),
    )
    register_file_policy("application", _file_policy)
    register_nav(
        NavEntry(_("Permohonan"), "applications_office:queue", perms.APPLICATION_PROCESS, 15)
    )
    register_nav(
        NavEntry(
            _("Permohonan di loket"), "applications_office:counter", perms.APPLICATION_COUNTER, 16
        )
    )
    register_nav(
        NavEntry(
            _("Formulir & alur layanan"), "applications_office:services", perms.CATALOG_EDIT, 21
        )
    )
    try:
        from loket.documents.access import register_document_access
    except ImportError:  # the documents module is optional
        pass
    else:
        register_document_access(MODEL_LABEL, _document_access)
    try:
        from loket.payments.registry import register_bill_access, register_payment_listener
    except ImportError:  # the payments module is optional
        pass
    else:
        register_payment_listener(MODEL_LABEL, _on_paid)
        register_bill_access(MODEL_LABEL, lambda user, bill: _document_access(user, bill))


# --- bills --------------------------------------------------------------------------------------
def create_bill(application: Application, *, actor: Any) -> str:
    """Create the bill of a fee-paying application; returns its reference ("" when the
    payments module is not installed)."""
    try:
        from loket.payments.errors import PaymentError
        from loket.payments.services import bill_create
    except ImportError:
        return ""
    try:
        bill = bill_create(
            subject=application,
            government=application.government,
            agency=application.agency,
            amount=application.fee,
            description=str(
                _("Biaya layanan %(service)s (%(reference)s)")
                % {"service": application.service.name, "reference": application.tracking_number}
            )[:200],
            actor=actor,
        )
    except PaymentError as exc:
        raise ValidationError({"fee": [str(exc.message)]}) from None
    return str(bill.code)


def bill_for(application: Application) -> Any:
    """The application's bill, or None."""
    if not application.bill_reference:
        return None
    try:
        from loket.payments.models import Bill
    except ImportError:
        return None
    return Bill.objects.filter(code=application.bill_reference).first()


# --- output documents ---------------------------------------------------------------------------
def issue_output(application: Application, *, actor: Any) -> str:
    """Issue the PDF with a QR code; returns the document's public id ("" without the
    documents module)."""
    try:
        from loket.documents.services import issue_document
    except ImportError:
        return ""
    service = application.service
    signatory = getattr(actor, "full_name", "") or str(actor)
    document = issue_document(
        subject=application,
        government=application.government,
        agency=application.agency,
        title=service.output or service.name,
        applicant_name=application.applicant_name or "-",
        decision=str(_("Permohonan %(service)s disetujui.") % {"service": service.name}),
        fields=[
            (str(_("Nomor permohonan")), str(application.tracking_number)),
            (str(_("Layanan")), service.name),
        ],
        signatory_name=signatory,
        signatory_position=str(
            _("Pejabat berwenang, %(agency)s") % {"agency": application.agency.name}
        ),
        actor=actor,
    )
    return str(document.public_id)


def output_document(application: Application) -> Any:
    """The issued document of the application, or None."""
    if not application.output_reference:
        return None
    try:
        from loket.documents.models import IssuedDocument
    except ImportError:
        return None
    return IssuedDocument.objects.filter(public_id=application.output_reference).first()


# --- survey -------------------------------------------------------------------------------------
def survey_token(application: Application) -> str:
    """A signed, expiring survey invitation for the completed application (format and expiry
    in loket.surveys.tokens)."""
    from loket.surveys.tokens import invitation_token

    done = application.completed_at
    return invitation_token(
        subject_type="application",
        subject_id=application.pk,
        issued_on=timezone.localdate(done) if done else None,
    )


def survey_url(application: Application) -> str:
    from loket.applications.services import survey_link

    return survey_link(survey_token(application))
