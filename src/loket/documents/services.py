"""Writes of the documents module: issue a document, revoke it.

Every write: ``transaction.atomic`` → change → ``log_action``. Personal data stays out of the
audit trail: it records the number, the template, the subject reference and the PDF's hash.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.audit import log_action
from loket.core.files import store_generated
from loket.core.sequences import next_number
from loket.documents.access import DOCUMENT_PURPOSE
from loket.documents.errors import AlreadyRevoked, DocumentError
from loket.documents.masking import mask_personal
from loket.documents.models import IssuedDocument, new_public_id
from loket.documents.rendering import (
    DocumentContent,
    format_date_id,
    render_document_pdf,
    template_exists,
)
from loket.organizations.models import Agency, Government

logger = logging.getLogger("loket.documents")

DEFAULT_NUMBER_FORMAT = "DOC-{prefix}-{year}-{seq:06d}"
NUMBER_FORMAT_SETTING = "document_number_format"
_NUMBER_FIELDS = frozenset({"prefix", "agency", "year", "seq"})


@dataclass(frozen=True)
class DocumentField:
    """One row of the document's table. ``public``: shown (masked) on the verification page;
    otherwise it is printed in the PDF only."""

    label: str
    value: str
    public: bool = True


def verification_path(public_id: str) -> str:
    return reverse("documents:verify", args=[public_id])


def verification_url(public_id: str) -> str:
    """The absolute URL printed in the QR code: ``settings.SITE_URL`` + the page's path."""
    return f"{settings.SITE_URL}{verification_path(public_id)}"


def _valid_number_format(pattern: str) -> bool:
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name}
        pattern.format(prefix="X", agency="X", year=2026, seq=1)
    except (ValueError, KeyError, IndexError, TypeError):
        return False
    return "seq" in names and names <= _NUMBER_FIELDS and len(pattern) <= 80


def format_number(
    *, pattern: str | None, government: Government, agency: Agency, year: int, seq: int
) -> str:
    """The document number from ``pattern`` (``{prefix}``, ``{agency}``, ``{year}``, ``{seq}``,
    e.g. ``"503/{seq:04d}/{agency}/{year}"``); an invalid pattern falls back to the default."""
    chosen = pattern or str(government.settings.get(NUMBER_FORMAT_SETTING) or "")
    if not chosen or not _valid_number_format(chosen):
        if chosen:
            logger.warning("invalid document number format for government %s", government.pk)
        chosen = DEFAULT_NUMBER_FORMAT
    agency_code = (agency.short_name or agency.slug).upper()
    return chosen.format(prefix=government.tracking_prefix, agency=agency_code, year=year, seq=seq)


def _next_sequence(government: Government, year: int) -> int:
    return next_number(f"document:{government.pk}:{year}")


def _normalise_fields(
    fields: Sequence[DocumentField | tuple[str, str]],
) -> list[DocumentField]:
    out: list[DocumentField] = []
    for item in fields:
        field = item if isinstance(item, DocumentField) else DocumentField(item[0], item[1])
        out.append(DocumentField(field.label.strip(), str(field.value).strip(), field.public))
    return out


def issue_document(
    *,
    subject: models.Model,
    government: Government,
    agency: Agency,
    title: str,
    applicant_name: str,
    decision: str,
    fields: Sequence[DocumentField | tuple[str, str]],
    signatory_name: str,
    signatory_position: str,
    template: str = "default",
    number_format: str | None = None,
    actor: Any = None,
) -> IssuedDocument:
    """Number, render, store and record one output document for ``subject``.

    The PDF is rendered with ``template`` (see ``register_document_template``), stored through
    ``loket.core.files.store_generated`` and identified by its SHA-256. The number follows
    ``number_format``, else the government's ``document_number_format`` setting, else
    ``DOC-{prefix}-{year}-{seq:06d}``, with one sequence per government and calendar year
    (in the government's time zone). Raises ``DocumentError`` for missing text, an unknown
    template or an agency of another government; nothing is saved then.
    """
    title, applicant_name = title.strip(), applicant_name.strip()
    decision = decision.strip()
    signatory_name, signatory_position = signatory_name.strip(), signatory_position.strip()
    if not all((title, applicant_name, decision, signatory_name, signatory_position)):
        raise DocumentError(
            _("Judul, nama pemohon, keputusan dan penanda tangan dokumen wajib diisi.")
        )
    if not template_exists(template):
        raise DocumentError(_("Templat dokumen tidak dikenal."))
    if agency.government_id != government.pk:
        raise DocumentError(_("Perangkat daerah bukan bagian dari pemerintah daerah ini."))
    rows = _normalise_fields(fields)
    if any(not row.label for row in rows):
        raise DocumentError(_("Setiap data dokumen wajib memiliki label."))

    subject_type = ContentType.objects.get_for_model(type(subject))
    with transaction.atomic():
        issued_at = timezone.now()
        local_day = issued_at.astimezone(ZoneInfo(government.time_zone)).date()
        seq = _next_sequence(government, local_day.year)
        number = format_number(
            pattern=number_format,
            government=government,
            agency=agency,
            year=local_day.year,
            seq=seq,
        )
        public_id = new_public_id()
        pdf = render_document_pdf(
            DocumentContent(
                government_name=government.name,
                agency_name=agency.name,
                title=title,
                number=number,
                date_text=format_date_id(local_day),
                applicant_name=applicant_name,
                decision=decision,
                fields=[(row.label, row.value) for row in rows],
                signatory_name=signatory_name,
                signatory_position=signatory_position,
                verification_url=verification_url(public_id),
            ),
            template=template,
        )
        stored = store_generated(
            content=pdf,
            content_type="application/pdf",
            purpose=DOCUMENT_PURPOSE,
            name=number,
            actor=actor,
        )
        document = IssuedDocument.objects.create(
            public_id=public_id,
            number=number,
            year=local_day.year,
            sequence=seq,
            title=title,
            template=template,
            government=government,
            agency=agency,
            subject_type=subject_type,
            subject_id=str(subject.pk),
            applicant_name=applicant_name,
            decision=decision,
            fields=[
                {"label": row.label, "value": mask_personal(row.value)}
                for row in rows
                if row.public
            ],
            signatory_name=signatory_name,
            signatory_position=signatory_position,
            issued_at=issued_at,
            issued_by=actor if getattr(actor, "pk", None) else None,
            sha256=stored.sha256,
            file=stored,
        )
        log_action(
            "document.issued",
            actor=actor,
            obj=document,
            government_id=government.pk,
            payload={
                "number": number,
                "template": template,
                "subject": f"{subject_type.app_label}.{subject_type.model}:{subject.pk}",
                "sha256": stored.sha256,
            },
        )
    return document


def revoke_document(*, document: IssuedDocument, reason: str, actor: Any) -> IssuedDocument:
    """Revoke ``document`` with a reason shown on the public verification page.

    Raises ``DocumentError`` when the reason is empty and ``AlreadyRevoked`` (409) when it
    was revoked before; nothing changes then.
    """
    reason = reason.strip()
    if not reason:
        raise DocumentError(_("Alasan pencabutan wajib diisi."))
    if len(reason) > 1000:
        raise DocumentError(_("Alasan pencabutan terlalu panjang (maks. 1000 karakter)."))
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status == IssuedDocument.Status.REVOKED:
            raise AlreadyRevoked(_("Dokumen ini sudah dicabut."))
        locked.status = IssuedDocument.Status.REVOKED
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason
        locked.revoked_by = actor if getattr(actor, "pk", None) else None
        locked.save(update_fields=["status", "revoked_at", "revoked_reason", "revoked_by"])
        log_action(
            "document.revoked",
            actor=actor,
            obj=locked,
            government_id=locked.government_id,
            payload={"number": locked.number, "reason_length": len(reason)},
        )
    document.status = locked.status
    document.revoked_at = locked.revoked_at
    document.revoked_reason = locked.revoked_reason
    document.revoked_by = locked.revoked_by
    return document
