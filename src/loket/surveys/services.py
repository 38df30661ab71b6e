"""Writes for the satisfaction survey: single responses (kiosk, invitation), paper imports and
the per-government weight setting."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.catalog.models import Service
from loket.core.audit import log_action
from loket.organizations.models import Agency, Government
from loket.surveys import ikm
from loket.surveys.importers import parse_survey_file
from loket.surveys.models import (
    Channel,
    Education,
    KioskDevice,
    Occupation,
    Sex,
    SurveyResponse,
)
from loket.surveys.selectors import WEIGHT_SETTING, kiosk_key_hash

IMPORT_BATCH = 1000


class SurveyError(Exception):
    """A response that cannot be accepted, with a message for the respondent."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def survey_weight_set(*, government: Government, weight: ikm.Weight, actor: Any) -> Government:
    """Choose the government's IKM weight convention (exact 1/9 or 0.111); audited."""
    with transaction.atomic():
        locked = Government.objects.select_for_update().get(pk=government.pk)
        before = (locked.settings or {}).get(WEIGHT_SETTING, ikm.Weight.EXACT.value)
        locked.settings = {**(locked.settings or {}), WEIGHT_SETTING: weight.value}
        locked.save(update_fields=["settings"])
        log_action(
            "survey.weight_set",
            actor=actor,
            obj=locked,
            government_id=locked.pk,
            payload={"before": before, "after": weight.value},
        )
    government.settings = locked.settings
    return locked


def _check_scores(scores: Mapping[str, int | None]) -> dict[str, int | None]:
    unknown = set(scores) - set(ikm.ELEMENTS)
    if unknown:
        raise SurveyError(
            _("Unsur tidak dikenal: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        )
    clean: dict[str, int | None] = {}
    for code in ikm.ELEMENTS:
        value = scores.get(code)
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not ikm.MIN_SCORE <= value <= ikm.MAX_SCORE
        ):
            raise SurveyError(_("Nilai %(code)s harus 1 sampai 4.") % {"code": code})
        clean[code] = value
    if all(v is None for v in clean.values()):
        raise SurveyError(_("Jawab paling sedikit satu pertanyaan."))
    return clean


def _check_choice(value: str, allowed: type[Any], label: str) -> str:
    if value and value not in allowed.values:
        raise SurveyError(_("Pilihan %(field)s tidak dikenal.") % {"field": label})
    return value


def kiosk_ticket_key(*, service: Service, day: dt.date, number: str) -> str:
    """The key under which a counter ticket is redeemed: ticket numbers restart every day."""
    clean = "".join(ch for ch in number.strip().upper() if ch.isalnum() or ch == "-")[:30]
    if not clean:
        raise SurveyError(_("Nomor tiket wajib diisi."))
    return f"kiosk:{service.pk}:{day.isoformat()}:{clean}"


def survey_response_submit(
    *,
    government: Government,
    service: Service,
    channel: Channel,
    scores: Mapping[str, int | None],
    answered_on: dt.date | None = None,
    age: int | None = None,
    sex: str = "",
    education: str = "",
    occupation: str = "",
    suggestion: str = "",
    ticket: str | None = None,
    actor: Any = None,
) -> SurveyResponse:
    """Record one respondent's answers about one service.

    ``ticket`` (a kiosk ticket key or an invitation token) can be redeemed once: a second
    submission, even a double tap racing the first, is refused with a 409.
    """
    if service.government_id != government.pk:
        raise SurveyError(_("Layanan tidak ditemukan."), status=404)
    clean = _check_scores(scores)
    if age is not None and not 10 <= age <= 120:
        raise SurveyError(_("Umur harus 10 sampai 120 tahun."))
    _check_choice(sex, Sex, _("jenis kelamin"))
    _check_choice(education, Education, _("pendidikan"))
    _check_choice(occupation, Occupation, _("pekerjaan"))
    if len(suggestion) > 2000:
        raise SurveyError(_("Saran terlalu panjang; paling banyak 2000 karakter."))
    used = _("Tiket ini sudah dipakai untuk mengisi survei.")
    if ticket and SurveyResponse.objects.filter(ticket=ticket).exists():
        raise SurveyError(used, status=409)
    response = SurveyResponse(
        government=government,
        agency_id=service.agency_id,
        service=service,
        channel=channel,
        answered_on=answered_on or timezone.localdate(),
        age=age,
        sex=sex,
        education=education,
        occupation=occupation,
        suggestion=suggestion.strip(),
        ticket=ticket or None,
        **{code.lower(): value for code, value in clean.items()},
    )
    try:
        with transaction.atomic():
            response.save(force_insert=True)
            log_action(
                "survey.response_submitted",
                actor=actor,
                obj=response,
                government_id=government.pk,
                payload={"channel": str(channel), "service_id": service.pk},
            )
    except IntegrityError as exc:
        if ticket and SurveyResponse.objects.filter(ticket=ticket).exists():
            raise SurveyError(used, status=409) from exc
        raise
    return response


@dataclass(frozen=True)
class ImportResult:
    imported: int
    by_service: dict[str, int] = field(default_factory=dict)


def paper_survey_import(
    *,
    government: Government,
    data: bytes,
    filename: str,
    actor: Any,
    agency_ids: Collection[int] | None = None,
) -> ImportResult:
    """Import a paper-survey file (CSV or XLSX) for ``government``.

    Every row is checked first (scores, dates, profile, and that the service exists in this
    government); any bad row raises :class:`SurveyFileError` naming every bad line, and nothing
    is written. A good file is written in one transaction with one audit entry and its counts.
    With ``agency_ids`` only services of those agencies are known (an agency officer's import).
    """
    services: dict[str, Service] = {}

    def known(slugs: set[str]) -> set[str]:
        found = Service.objects.filter(government=government, slug__in=slugs)
        if agency_ids is not None:
            found = found.filter(agency_id__in=list(agency_ids))
        found = found.only("id", "slug", "agency_id", "government_id")
        services.update((s.slug, s) for s in found)
        return set(services)

    rows = parse_survey_file(data, filename=filename, known_services=known)
    objects = [
        SurveyResponse(
            government=government,
            agency_id=services[row.service].agency_id,
            service=services[row.service],
            channel=Channel.PAPER,
            answered_on=row.answered_on,
            age=row.age,
            sex=row.sex,
            education=row.education,
            occupation=row.occupation,
            suggestion=row.suggestion,
            **{code.lower(): value for code, value in row.scores.items()},
        )
        for row in rows
    ]
    per_service = Counter(row.service for row in rows)
    with transaction.atomic():
        SurveyResponse.objects.bulk_create(objects, batch_size=IMPORT_BATCH)
        log_action(
            "survey.paper_imported",
            actor=actor,
            object_type="surveys.surveyresponse",
            government_id=government.pk,
            payload={
                "rows": len(objects),
                "services": dict(sorted(per_service.items())),
                "date_from": min(r.answered_on for r in rows).isoformat(),
                "date_to": max(r.answered_on for r in rows).isoformat(),
                "file_sha256": hashlib.sha256(data).hexdigest(),
            },
        )
    return ImportResult(imported=len(objects), by_service=dict(per_service))


def kiosk_device_create(*, agency: Agency, name: str, actor: Any) -> tuple[KioskDevice, str]:
    """Register a counter tablet for ``agency``; returns the device and its key, which is shown
    once and stored only as a hash."""
    clean = " ".join(name.split())[:80]
    if not clean:
        raise SurveyError(_("Nama perangkat wajib diisi."))
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        device = KioskDevice.objects.create(
            agency=agency, name=clean, key_hash=kiosk_key_hash(key), created_by=actor
        )
        log_action(
            "survey.kiosk_device_created",
            actor=actor,
            obj=device,
            government_id=agency.government_id,
            payload={"agency_id": agency.pk, "name": clean},
        )
    return device, key


def kiosk_device_deactivate(*, device: KioskDevice, actor: Any) -> KioskDevice:
    """Switch a counter tablet off: its key stops working at once."""
    with transaction.atomic():
        locked = KioskDevice.objects.select_for_update().get(pk=device.pk)
        if locked.is_active:
            locked.is_active = False
            locked.save(update_fields=["is_active"])
            log_action(
                "survey.kiosk_device_deactivated",
                actor=actor,
                obj=locked,
                government_id=locked.agency.government_id,
                payload={"agency_id": locked.agency_id},
            )
    return locked


def kiosk_device_touch(*, device: KioskDevice) -> None:
    """Remember when the tablet last sent an answer (shown to officers; not audited)."""
    KioskDevice.objects.filter(pk=device.pk).update(last_used_at=timezone.now())
