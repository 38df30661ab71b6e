"""Online service applications: per-service form and workflow definitions (immutable versions),
the applications filed against them, their documents and the tracking-number counter.

Definitions are data, not code: a :class:`FormDefinition` lists the form's fields and the
requirement documents; a :class:`WorkflowDefinition` lists the ordered steps (acting role and
working-day limit each) and the overall limit. Saving either writes a new version; an
application keeps the versions it was started with, so later edits never change it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class _Immutable(models.Model):
    """A definition version is written once and never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError(f"{type(self).__name__} is immutable; save a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError(f"{type(self).__name__} is immutable")


class FormDefinition(_Immutable):
    """One version of a service's application form: fields and requirement documents.

    ``fields`` and ``requirements`` are lists of dicts in the shape described in the app's
    README; they are validated by :mod:`loket.applications.definitions` before saving.
    """

    service = models.ForeignKey(
        "catalog.Service", on_delete=models.PROTECT, related_name="form_definitions"
    )
    number = models.PositiveIntegerField(_("versi"))
    fields = models.JSONField(_("isian"), default=list)
    requirements = models.JSONField(_("dokumen persyaratan"), default=list)
    change_note = models.CharField(_("catatan perubahan"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("formulir permohonan")
        verbose_name_plural = _("formulir permohonan")
        ordering = ["service_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="app_form_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} form v{self.number}"


class WorkflowDefinition(_Immutable):
    """One version of a service's workflow: ordered steps and the overall limit.

    ``steps``: ``[{"name": str, "role": Role value, "days": int}, …]`` (at least one).
    """

    service = models.ForeignKey(
        "catalog.Service", on_delete=models.PROTECT, related_name="workflow_definitions"
    )
    number = models.PositiveIntegerField(_("versi"))
    steps = models.JSONField(_("langkah"), default=list)
    overall_days = models.PositiveSmallIntegerField(_("batas keseluruhan (hari kerja)"))
    change_note = models.CharField(_("catatan perubahan"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alur permohonan")
        verbose_name_plural = _("alur permohonan")
        ordering = ["service_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="app_workflow_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} workflow v{self.number}"

    def step(self, index: int) -> dict[str, Any]:
        steps: list[dict[str, Any]] = self.steps
        return steps[index]

    @property
    def step_count(self) -> int:
        return len(self.steps)


class Application(models.Model):
    """One citizen's application for one service.

    ``state`` follows :data:`loket.applications.states.APPLICATION`; ``step_index`` is the
    current step of the workflow version and ``current_role`` that step's acting role
    (denormalised so officer queues filter in the database). ``data`` holds the cleaned form
    values; NIK values are stored encrypted (see definitions.py).
    """

    government = models.ForeignKey(
        "organizations.Government", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.PROTECT, related_name="applications"
    )
    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="+")
    workflow_definition = models.ForeignKey(
        WorkflowDefinition, on_delete=models.PROTECT, related_name="+"
    )
    tracking_number = models.CharField(
        _("nomor lacak"), max_length=40, unique=True, null=True, blank=True
    )
    state = models.CharField(_("status"), max_length=40, default="draft")
    step_index = models.PositiveSmallIntegerField(_("langkah"), default=0)
    current_role = models.CharField(_("peran langkah"), max_length=20, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # Filed at a counter for a walk-in citizen without an account.
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    walk_in_name = models.CharField(_("nama pemohon"), max_length=150, blank=True)
    walk_in_phone = models.CharField(_("nomor ponsel pemohon"), max_length=20, blank=True)
    walk_in_nik_ciphertext = models.TextField(blank=True)
    walk_in_nik_index = models.CharField(max_length=64, blank=True, db_index=True)
    walk_in_nik_masked = models.CharField(_("NIK pemohon"), max_length=16, blank=True)
    data = models.JSONField(_("isian"), default=dict, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision_fields = models.JSONField(default=list, blank=True)
    revision_documents = models.JSONField(default=list, blank=True)
    revision_note = models.TextField(_("catatan perbaikan"), blank=True)
    decision_note = models.TextField(_("catatan keputusan"), blank=True)
    fee = models.PositiveBigIntegerField(_("biaya (Rupiah)"), default=0)
    bill_reference = models.CharField(max_length=64, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    output_reference = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "state", "current_role"], name="app_queue"),
            models.Index(fields=["applicant", "-created_at"], name="app_by_applicant"),
        ]

    def __str__(self) -> str:
        return self.tracking_number or f"draf #{self.pk}"

    @property
    def is_walk_in(self) -> bool:
        return self.applicant_id is None

    @property
    def applicant_name(self) -> str:
        if self.applicant is not None:
            return self.applicant.full_name or str(self.applicant)
        return self.walk_in_name

    @property
    def needs_payment(self) -> bool:
        return self.fee > 0 and self.paid_at is None


class ApplicationDocument(models.Model):
    """A file of an application: a requirement document or a file field of the form, keyed by
    its code. A replaced file stays as history (``is_current`` False)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    code = models.CharField(max_length=60)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dokumen permohonan")
        verbose_name_plural = _("dokumen permohonan")
        ordering = ["application_id", "code", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "code"],
                condition=Q(is_current=True),
                name="app_document_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.code}"
