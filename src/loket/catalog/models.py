"""The service catalogue: themes, services, their immutable versions and agency pledges.

A :class:`Service` holds what lists and filters need (name, channel, fee, time limit, …) plus
a pointer to its current :class:`ServiceVersion`. Every edit writes a new version with the
whole standard (the 14 components of UU 25/2009 Pasal 21); versions are never changed, so
what was published on any day stays readable.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from loket.organizations.models import Agency, Government


class Theme(models.Model):
    """A group of services shown together (population documents, permits, health, …)."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("nama"), max_length=80)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        verbose_name = _("tema layanan")
        verbose_name_plural = _("tema layanan")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    ONLINE = "online", _("Daring")
    COUNTER = "counter", _("Di loket")
    BOTH = "both", _("Daring dan di loket")


# The 14 components of the service standard (UU 25/2009 Pasal 21), in the law's order, with the
# field of ServiceVersion that holds each. Some are shown together with a structured value of
# the service (time limit in days, fee, output).
STANDARD_COMPONENTS: tuple[tuple[str, Any], ...] = (
    ("legal_basis", _("Dasar hukum")),
    ("requirements", _("Persyaratan")),
    ("procedure", _("Sistem, mekanisme dan prosedur")),
    ("time_limit_note", _("Jangka waktu penyelesaian")),
    ("fee_note", _("Biaya/tarif")),
    ("output_note", _("Produk pelayanan")),
    ("facilities", _("Sarana, prasarana dan/atau fasilitas")),
    ("staff_competence", _("Kompetensi pelaksana")),
    ("internal_supervision", _("Pengawasan internal")),
    ("complaint_handling", _("Penanganan pengaduan, saran dan masukan")),
    ("staff_count", _("Jumlah pelaksana")),
    ("service_guarantee", _("Jaminan pelayanan")),
    ("safety_guarantee", _("Jaminan keamanan dan keselamatan pelayanan")),
    ("performance_evaluation", _("Evaluasi kinerja pelaksana")),
)
# Shown to the public first (PermenPANRB 15/2014).
PUBLIC_FIRST_COMPONENTS: tuple[str, ...] = (
    "requirements",
    "procedure",
    "time_limit_note",
    "fee_note",
    "output_note",
    "complaint_handling",
)

# Fields copied from a version onto its service so lists and filters need no join.
SERVICE_MIRRORED_FIELDS: tuple[str, ...] = (
    "name",
    "summary",
    "theme",
    "channel",
    "fee",
    "fee_legal_basis",
    "time_limit_days",
    "output",
    "external_url",
    "uses_queue",
    "keywords",
)
VERSIONED_FIELDS: tuple[str, ...] = SERVICE_MIRRORED_FIELDS + tuple(
    name for name, _label in STANDARD_COMPONENTS
)


class Service(models.Model):
    """One service of one agency, as listed in the catalogue."""

    government = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="services")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="services")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="services")
    slug = models.SlugField(_("slug"), max_length=120)
    name = models.CharField(_("nama layanan"), max_length=200)
    summary = models.TextField(_("ringkasan"), blank=True)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    fee = models.PositiveBigIntegerField(_("biaya (Rupiah)"), default=0)
    fee_legal_basis = models.TextField(_("dasar hukum biaya"), blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("jangka waktu (hari kerja)"))
    output = models.CharField(_("produk layanan"), max_length=200)
    external_url = models.URLField(_("tautan layanan eksternal"), blank=True)
    uses_queue = models.BooleanField(_("melalui antrean"), default=False)
    keywords = models.CharField(_("kata kunci"), max_length=300, blank=True)
    is_published = models.BooleanField(_("terbit"), default=False)
    # Not part of the published standard (so not versioned): the agency's complaint-handling
    # service, under which citizens rate how their closed complaints were handled (IKM).
    handles_complaints = models.BooleanField(
        _("layanan pengelolaan pengaduan"),
        default=False,
        help_text=_(
            "Penilaian warga atas penanganan pengaduan oleh perangkat daerah ini dihitung pada "
            "layanan ini. Paling banyak satu layanan per perangkat daerah."
        ),
    )
    current_version = models.ForeignKey(
        "ServiceVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Stems of name, summary, keywords, output, theme and agency (see catalog/search.py).
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["government", "slug"], name="service_slug_per_gov"),
            models.CheckConstraint(
                condition=Q(time_limit_days__gte=1), name="service_time_limit_positive"
            ),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(handles_complaints=True),
                name="service_one_complaint_service",
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "government", "agency"]),
            models.Index(fields=["is_published", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_free(self) -> bool:
        return self.fee == 0

    @property
    def is_online(self) -> bool:
        return self.channel in (Channel.ONLINE, Channel.BOTH)


class ServiceVersion(models.Model):
    """An immutable snapshot of everything an administrator can edit on a service."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versi"))
    # Mirrored onto Service.
    name = models.CharField(_("nama layanan"), max_length=200)
    summary = models.TextField(_("ringkasan"), blank=True)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    fee = models.PositiveBigIntegerField(_("biaya (Rupiah)"), default=0)
    fee_legal_basis = models.TextField(_("dasar hukum biaya"), blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("jangka waktu (hari kerja)"))
    output = models.CharField(_("produk layanan"), max_length=200)
    external_url = models.URLField(_("tautan layanan eksternal"), blank=True)
    uses_queue = models.BooleanField(_("melalui antrean"), default=False)
    keywords = models.CharField(_("kata kunci"), max_length=300, blank=True)
    # The 14 components of the service standard.
    legal_basis = models.TextField(_("dasar hukum"))
    requirements = models.TextField(_("persyaratan"), help_text=_("Satu persyaratan per baris."))
    procedure = models.TextField(
        _("sistem, mekanisme dan prosedur"), help_text=_("Satu langkah per baris.")
    )
    time_limit_note = models.TextField(_("keterangan jangka waktu"), blank=True)
    fee_note = models.TextField(_("keterangan biaya/tarif"), blank=True)
    output_note = models.TextField(_("keterangan produk pelayanan"), blank=True)
    facilities = models.TextField(_("sarana, prasarana dan/atau fasilitas"), blank=True)
    staff_competence = models.TextField(_("kompetensi pelaksana"), blank=True)
    internal_supervision = models.TextField(_("pengawasan internal"), blank=True)
    complaint_handling = models.TextField(_("penanganan pengaduan, saran dan masukan"), blank=True)
    staff_count = models.TextField(_("jumlah pelaksana"), blank=True)
    service_guarantee = models.TextField(_("jaminan pelayanan"), blank=True)
    safety_guarantee = models.TextField(_("jaminan keamanan dan keselamatan pelayanan"), blank=True)
    performance_evaluation = models.TextField(_("evaluasi kinerja pelaksana"), blank=True)
    change_note = models.CharField(_("catatan perubahan"), max_length=300, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("versi layanan")
        verbose_name_plural = _("versi layanan")
        ordering = ["service_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="service_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Published standards are a public record: a version is written once, never rewritten.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("ServiceVersion is immutable; create a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("ServiceVersion is immutable")

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip(" \t-•").strip() for line in text.splitlines() if line.strip(" -•")]

    @property
    def requirement_items(self) -> list[str]:
        return self._lines(self.requirements)

    @property
    def procedure_steps(self) -> list[str]:
        return self._lines(self.procedure)

    def component_rows(self) -> list[tuple[str, Any, str]]:
        """``(field, label, text)`` of the 14 components in the law's order."""
        return [(name, label, getattr(self, name)) for name, label in STANDARD_COMPONENTS]


class AgencyPledge(models.Model):
    """The agency's maklumat pelayanan: its public promise to deliver to the standard."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="pledge")
    text = models.TextField(_("maklumat pelayanan"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("maklumat pelayanan")
        verbose_name_plural = _("maklumat pelayanan")

    def __str__(self) -> str:
        return f"{self.agency}"
