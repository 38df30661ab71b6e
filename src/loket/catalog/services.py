"""Writes to the service catalogue. Every change is one transaction with one audit event."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from loket.accounts.models import User
from loket.catalog.models import (
    SERVICE_MIRRORED_FIELDS,
    AgencyPledge,
    Channel,
    Service,
    ServiceVersion,
    Theme,
)
from loket.catalog.search import build_search_text
from loket.core.audit import log_action
from loket.organizations.models import Agency

MAX_FEE = 1_000_000_000_000  # one trillion Rupiah: anything above is a typing error
MAX_TIME_LIMIT_DAYS = 365


@dataclass(frozen=True)
class ServiceInput:
    """Everything an administrator edits on a service; one value per versioned field."""

    name: str
    theme: Theme
    channel: str
    time_limit_days: int
    output: str
    legal_basis: str
    requirements: str
    procedure: str
    summary: str = ""
    fee: int = 0
    fee_legal_basis: str = ""
    external_url: str = ""
    uses_queue: bool = False
    keywords: str = ""
    time_limit_note: str = ""
    fee_note: str = ""
    output_note: str = ""
    facilities: str = ""
    staff_competence: str = ""
    internal_supervision: str = ""
    complaint_handling: str = ""
    staff_count: str = ""
    service_guarantee: str = ""
    safety_guarantee: str = ""
    performance_evaluation: str = ""

    def values(self) -> dict[str, Any]:
        """Field → value, with text trimmed."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = value.strip() if isinstance(value, str) else value
        return out


def _validate(data: ServiceInput) -> None:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("Nama layanan wajib diisi.")
    if data.channel not in Channel.values:
        errors["channel"] = _("Pilih kanal layanan yang tersedia.")
    if data.fee < 0 or data.fee > MAX_FEE:
        errors["fee"] = _("Biaya tidak boleh negatif atau melebihi batas.")
    elif data.fee > 0 and not data.fee_legal_basis.strip():
        errors["fee_legal_basis"] = _("Layanan berbayar wajib mencantumkan dasar hukum biayanya.")
    if not 1 <= data.time_limit_days <= MAX_TIME_LIMIT_DAYS:
        errors["time_limit_days"] = _("Jangka waktu harus antara 1 dan 365 hari kerja.")
    for name, message in (
        ("output", _("Produk layanan wajib diisi.")),
        ("legal_basis", _("Dasar hukum wajib diisi.")),
        ("requirements", _("Persyaratan wajib diisi.")),
        ("procedure", _("Prosedur wajib diisi.")),
    ):
        if not str(getattr(data, name)).strip():
            errors[name] = message
    if errors:
        raise ValidationError(errors)


def _search_text(service: Service) -> str:
    agency = service.agency
    return build_search_text(
        [
            service.name,
            service.summary,
            service.keywords,
            service.output,
            service.theme.name,
            agency.name,
            agency.short_name,
        ]
    )


def _unique_slug(*, government_id: int, name: str) -> str:
    base = slugify(name)[:100] or "layanan"
    slug = base
    n = 2
    while Service.objects.filter(government_id=government_id, slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _write_version(
    *, service: Service, values: dict[str, Any], actor: User | None, number: int, note: str
) -> ServiceVersion:
    version = ServiceVersion(
        service=service, number=number, edited_by=actor, change_note=note[:300], **values
    )
    version.save(force_insert=True)
    for name in SERVICE_MIRRORED_FIELDS:
        setattr(service, name, values[name])
    service.current_version = version
    service.search_text = _search_text(service)
    service.save()
    return version


def service_create(
    *, actor: User | None, agency: Agency, data: ServiceInput, change_note: str = ""
) -> Service:
    """Create a service (unpublished) with its first version."""
    _validate(data)
    values = data.values()
    with transaction.atomic():
        service = Service(
            government_id=agency.government_id,
            agency=agency,
            slug=_unique_slug(government_id=agency.government_id, name=values["name"]),
            **{name: values[name] for name in SERVICE_MIRRORED_FIELDS},
        )
        service.save()
        version = _write_version(
            service=service,
            values=values,
            actor=actor,
            number=1,
            note=change_note.strip() or _("Versi awal"),
        )
        log_action(
            "catalog.service.created",
            actor=actor,
            obj=service,
            government_id=service.government_id,
            payload={"agency_id": agency.pk, "version": version.number, "name": service.name},
        )
    return service


def _version_values(version: ServiceVersion) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(ServiceInput):
        out[f.name] = getattr(version, f.name)
    return out


def service_update(
    *, actor: User | None, service: Service, data: ServiceInput, change_note: str = ""
) -> ServiceVersion | None:
    """Write a new version of the service. Returns None (and writes nothing) when no field
    changed; earlier versions stay as they were."""
    _validate(data)
    values = data.values()
    with transaction.atomic():
        locked = (
            Service.objects.select_for_update().select_related("agency", "theme").get(pk=service.pk)
        )
        current = (
            ServiceVersion.objects.get(pk=locked.current_version_id)
            if locked.current_version_id
            else None
        )
        previous = _version_values(current) if current else {}
        changed = sorted(name for name, value in values.items() if previous.get(name) != value)
        if not changed:
            return None
        number = (current.number if current else 0) + 1
        version = _write_version(
            service=locked,
            values=values,
            actor=actor,
            number=number,
            note=change_note.strip() or _("Perubahan standar layanan"),
        )
        log_action(
            "catalog.service.updated",
            actor=actor,
            obj=locked,
            government_id=locked.government_id,
            payload={"version": number, "changed": changed},
        )
    service.refresh_from_db()
    return version


def service_set_published(*, actor: User | None, service: Service, published: bool) -> bool:
    """Publish or withdraw a service from the portal. Returns False when nothing changed."""
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        if locked.is_published == published:
            return False
        locked.is_published = published
        locked.save(update_fields=["is_published", "updated_at"])
        log_action(
            "catalog.service.published" if published else "catalog.service.unpublished",
            actor=actor,
            obj=locked,
            government_id=locked.government_id,
            payload={"version": locked.current_version.number if locked.current_version else 0},
        )
    service.is_published = published
    return True


def service_set_handles_complaints(
    *, actor: User | None, service: Service, handles: bool = True
) -> bool:
    """Make ``service`` its agency's complaint-handling service (closed complaints of the
    agency are rated under it in the satisfaction survey), or stop it being one. An agency
    has at most one: choosing another moves the mark. Returns False when nothing changed."""
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        if locked.handles_complaints == handles:
            return False
        previous: list[int] = []
        if handles:
            others = Service.objects.select_for_update().filter(
                agency_id=locked.agency_id, handles_complaints=True
            )
            previous = list(others.values_list("pk", flat=True))
            others.update(handles_complaints=False)
        locked.handles_complaints = handles
        locked.save(update_fields=["handles_complaints", "updated_at"])
        log_action(
            "catalog.service.complaint_handling_set",
            actor=actor,
            obj=locked,
            government_id=locked.government_id,
            payload={"handles": handles, "agency_id": locked.agency_id, "replaced": previous},
        )
    service.handles_complaints = handles
    return True


def agency_pledge_set(*, actor: User | None, agency: Agency, text: str) -> AgencyPledge:
    """Set the agency's maklumat pelayanan, shown on each of its services."""
    cleaned = text.strip()
    if not cleaned:
        raise ValidationError({"text": _("Maklumat pelayanan wajib diisi.")})
    with transaction.atomic():
        pledge, created = AgencyPledge.objects.select_for_update().get_or_create(
            agency=agency, defaults={"text": cleaned, "updated_by": actor}
        )
        if not created:
            if pledge.text == cleaned:
                return pledge
            pledge.text = cleaned
            pledge.updated_by = actor
            pledge.save()
        log_action(
            "catalog.pledge.updated",
            actor=actor,
            obj=pledge,
            government_id=agency.government_id,
            payload={"agency_id": agency.pk, "created": created},
        )
    return pledge


def service_input_from_version(version: ServiceVersion) -> ServiceInput:
    """The input that would recreate ``version`` (used to prefill the edit form)."""
    return ServiceInput(**_version_values(version))
