"""Complaints (pengaduan), aspirations (aspirasi) and information requests from citizens.

Who reported a complaint is deliberately *not* a column of :class:`Complaint`: it lives in
:class:`ComplaintReporter`, which only the services of this module read (the reporter's own
checks and the audited reveal). A careless ``Complaint.objects.values()`` in a page, an export
or a serializer therefore cannot leak a reporter.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loket.complaints.states import COMPLAINT
from loket.core.refcache import forget


class ReportClass(models.TextChoices):
    COMPLAINT = "pengaduan", _("Pengaduan")
    ASPIRATION = "aspirasi", _("Aspirasi")
    INFORMATION = "informasi", _("Permintaan informasi")


class Visibility(models.TextChoices):
    CONFIDENTIAL = "confidential", _("Rahasia (tidak tampil untuk publik)")
    PUBLIC = "public", _("Publik")


class Identity(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonim (identitas tidak ditampilkan ke petugas)")
    SHOWN = "shown", _("Identitas dapat dilihat petugas yang menangani")


class Source(models.TextChoices):
    WEB = "web", _("Portal")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    COUNTER = "counter", _("Loket")


class Category(models.Model):
    """One node of a government's category tree; reports are filed under any active node.

    ``path`` holds the ids from the root down to this node (``"3/8/15"``) so that routing can
    match rules on ancestors without walking the tree. ``sla_overrides`` maps stage codes of
    the complaint workflow to a budget (working days; ``settle`` in calendar days).
    ``attributes`` are the Open311 extra attributes (see :mod:`loket.complaints.attributes`).
    """

    government = models.ForeignKey(
        "organizations.Government", on_delete=models.PROTECT, related_name="complaint_categories"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=200, blank=True, editable=False)
    name = models.CharField(_("nama"), max_length=120)
    service_code = models.CharField(
        _("kode layanan Open311"),
        max_length=40,
        unique=True,
        help_text=_("Unik di seluruh instalasi, misalnya BDL-JALAN."),
    )
    description = models.TextField(_("keterangan"), blank=True)
    keywords = models.CharField(_("kata kunci"), max_length=300, blank=True)
    requires_after_photo = models.BooleanField(_("wajib foto sesudah"), default=False)
    sla_overrides = models.JSONField(_("tenggat khusus"), default=dict, blank=True)
    attributes = models.JSONField(_("atribut tambahan Open311"), default=list, blank=True)
    report_classes = models.JSONField(
        _("jenis laporan yang diterima"),
        default=list,
        blank=True,
        help_text=_("Kosong berarti semua jenis laporan."),
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("kategori pengaduan")
        verbose_name_plural = _("kategori pengaduan")
        ordering = ["government_id", "order", "name"]
        indexes = [models.Index(fields=["government", "is_active"], name="cmp_cat_gov")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # ``path`` is derived from the tree; keep it (and the subtree's) right on every save.
        super().save(*args, **kwargs)
        self._refresh_path()

    def _refresh_path(self) -> None:
        parent_path = (
            Category.objects.filter(pk=self.parent_id).values_list("path", flat=True).first()
            if self.parent_id
            else None
        )
        path = f"{parent_path}/{self.pk}" if parent_path else str(self.pk)
        if path != self.path:
            self.path = path
            Category.objects.filter(pk=self.pk).update(path=path)
            forget(self)  # cached for filings (core.refcache); the update sends no signal
            for child in Category.objects.filter(parent_id=self.pk):
                child._refresh_path()

    def clean(self) -> None:
        from loket.complaints.attributes import validate_definitions

        self.attributes = validate_definitions(self.attributes or [])
        if self.parent is not None and self.parent.government_id != self.government_id:
            raise ValidationError({"parent": _("Induk harus dari pemerintah daerah yang sama.")})
        unknown = set(self.report_classes or []) - set(ReportClass.values)
        if unknown:
            raise ValidationError({"report_classes": _("Jenis laporan tidak dikenal.")})

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this node (inclusive), without a query."""
        return [int(part) for part in self.path.split("/") if part]

    def accepts(self, report_class: str) -> bool:
        return not self.report_classes or report_class in self.report_classes


class RoutingRule(models.Model):
    """(category, region prefix) → agency, per government. The most specific rule wins: a rule
    on the category itself beats one on an ancestor, which beats one for any category; then
    the longest region prefix wins (see :func:`loket.complaints.selectors.route_for`)."""

    government = models.ForeignKey(
        "organizations.Government", on_delete=models.CASCADE, related_name="complaint_routes"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="routes"
    )
    region_prefix = models.CharField(
        _("awalan kode wilayah"), max_length=13, blank=True, help_text=_("Kosong: semua wilayah.")
    )
    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.CASCADE, related_name="complaint_routes"
    )

    class Meta:
        verbose_name = _("aturan disposisi")
        verbose_name_plural = _("aturan disposisi")
        constraints = [
            models.UniqueConstraint(
                fields=["government", "category", "region_prefix"], name="cmp_route_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id or '*'} {self.region_prefix or '*'} → {self.agency_id}"


class Complaint(models.Model):
    """A report. ``state`` belongs to the workflow in :mod:`loket.complaints.states`; it is
    changed only by the engine. ``government`` is the government handling it now (it changes
    when a report is forwarded to another government; the tracking number stays)."""

    government = models.ForeignKey(
        "organizations.Government", on_delete=models.PROTECT, related_name="complaints"
    )
    tracking_number = models.CharField(_("nomor lacak"), max_length=24, unique=True)
    report_class = models.CharField(
        _("jenis laporan"),
        max_length=10,
        choices=ReportClass.choices,
        default=ReportClass.COMPLAINT,
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="complaints")
    title = models.CharField(_("judul"), max_length=150)
    description = models.TextField(_("uraian"), max_length=4000)
    region = models.ForeignKey(
        "organizations.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("desa/kelurahan"),
    )
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    landmark = models.CharField(_("patokan"), max_length=200, blank=True)
    attributes = models.JSONField(_("atribut tambahan"), default=dict, blank=True)
    visibility = models.CharField(
        _("keterlihatan"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.CONFIDENTIAL,
    )
    identity = models.CharField(
        _("identitas pelapor"), max_length=10, choices=Identity.choices, default=Identity.ANONYMOUS
    )
    source = models.CharField(_("kanal"), max_length=10, choices=Source.choices, default=Source.WEB)
    state = models.CharField(
        _("status"), max_length=20, choices=COMPLAINT.choices(), default=COMPLAINT.initial
    )
    agency = models.ForeignKey(
        "organizations.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("perangkat daerah"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("petugas"),
    )
    estimate_date = models.DateField(_("perkiraan selesai"), null=True, blank=True)
    public_answer = models.TextField(_("jawaban publik"), blank=True)
    rating = models.PositiveSmallIntegerField(_("penilaian"), null=True, blank=True)
    rating_comment = models.TextField(_("komentar penilaian"), blank=True, max_length=1000)
    support_count = models.PositiveIntegerField(_("dukungan"), default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_reports"
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("diperbarui"), default=timezone.now)
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    # Kept equal to the running clocks by the workflow engine (see loket.workflow.models):
    # the earliest running deadline and "at risk" moment (null when no clock runs or all are
    # paused) and the highest escalation level, so queues filter and sort by urgency on an
    # index of this table.
    sla_deadline = models.DateTimeField(_("tenggat berjalan"), null=True, blank=True)
    sla_at_risk_at = models.DateTimeField(_("mulai rawan"), null=True, blank=True)
    sla_escalation_level = models.PositiveSmallIntegerField(_("tingkat eskalasi"), default=0)

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="cmp_rating_1_5",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="cmp_pin_complete",
            ),
        ]
        indexes = [
            # Map viewports: a range on latitude, then longitude, over public reports only.
            # On PostgreSQL the columns a pin needs ride along (INCLUDE), so a viewport is an
            # index-only scan whatever the table's size.
            models.Index(
                fields=["latitude", "longitude"],
                include=["created_at", "state", "category", "tracking_number"],
                condition=Q(visibility="public", latitude__isnull=False),
                name="cmp_public_map",
            ),
            models.Index(fields=["category", "latitude", "longitude"], name="cmp_cat_pin"),
            # Public list newest first, filtered by visibility and state.
            models.Index(fields=["visibility", "state", "-created_at"], name="cmp_public_list"),
            # Officer queues: government / agency / handler with state.
            models.Index(fields=["government", "state", "-created_at"], name="cmp_gov_state"),
            # Queues most urgent first (earliest running deadline, newest) per government and
            # per agency; the state filters of each queue walk these in order.
            models.Index(
                fields=["government", "sla_deadline", "-created_at", "-id"], name="cmp_gov_queue"
            ),
            models.Index(
                fields=["agency", "sla_deadline", "-created_at", "-id"], name="cmp_agency_queue"
            ),
            models.Index(fields=["agency", "state"], name="cmp_agency_state"),
            models.Index(fields=["handler", "state"], name="cmp_handler_state"),
            models.Index(fields=["region"], name="cmp_region"),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def is_anonymous(self) -> bool:
        return self.identity == Identity.ANONYMOUS

    @property
    def is_open(self) -> bool:
        return COMPLAINT.is_open(self.state)

    @property
    def public_status(self) -> str:
        return COMPLAINT.public_label(self.state)


class ComplaintReporter(models.Model):
    """Who filed the report: an account, or a guest's contact. Read only by this module's
    services (ownership checks, notifications, the audited reveal).

    A guest proves ownership with a secret token derived from ``token_salt`` (never stored in
    clear; see :func:`loket.complaints.services.guest_token_for`).
    """

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="reporter")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    guest_name = models.CharField(max_length=150, blank=True)
    guest_email = models.EmailField(blank=True)
    guest_phone = models.CharField(max_length=20, blank=True)
    # The language a guest filed in: their messages are written in it (accounts have their own).
    guest_language = models.CharField(max_length=8, default="id")
    token_salt = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("pelapor")
        verbose_name_plural = _("pelapor")
        indexes = [models.Index(fields=["user"], name="cmp_reporter_user")]

    def __str__(self) -> str:
        return f"reporter of {self.complaint_id}"


class ComplaintPhoto(models.Model):
    class Kind(models.TextChoices):
        BEFORE = "before", _("Sebelum")
        AFTER = "after", _("Sesudah")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    file = models.OneToOneField(
        "core.StoredFile", on_delete=models.PROTECT, related_name="complaint_photo"
    )
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.BEFORE)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("foto laporan")
        verbose_name_plural = _("foto laporan")
        ordering = ["kind", "position", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.position}"


class ComplaintFollower(models.Model):
    """A user who gets the public notifications of a report (supporters, merged reporters).
    No selector lists followers: their number is all anyone sees."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "user"], name="cmp_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.complaint_id}"


class ComplaintSupport(models.Model):
    """One "dukung" by one user; ``Complaint.support_count`` is its denormalised count."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "user"], name="cmp_support_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} supports {self.complaint_id}"


class ComplaintMessage(models.Model):
    """A private message between the handling officers and the reporter (never public).

    ``author`` is the officer for officer messages and always empty for the reporter's own,
    so that the conversation never names the reporter of an anonymous report.
    """

    class Direction(models.TextChoices):
        TO_REPORTER = "to_reporter", _("Petugas ke pelapor")
        FROM_REPORTER = "from_reporter", _("Pelapor ke petugas")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=14, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pesan laporan")
        verbose_name_plural = _("pesan laporan")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.direction}"
