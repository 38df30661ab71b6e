"""Issued documents and the per-government, per-year counter that numbers them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

PUBLIC_ID_BYTES = 18  # 24 url-safe characters: printed in the QR code, never guessable


def new_public_id() -> str:
    return secrets.token_urlsafe(PUBLIC_ID_BYTES)


class IssuedDocument(models.Model):
    """One output document as issued: its PDF (kept byte for byte), the facts shown on the
    public verification page, and whether it is still valid.

    ``fields`` holds what the public page shows, already masked (no NIK, phone or email in
    clear); the complete values exist only inside the PDF, served through the access policy.
    """

    class Status(models.TextChoices):
        VALID = "valid", _("Berlaku")
        REVOKED = "revoked", _("Dicabut")

    public_id = models.CharField(
        _("kode verifikasi"), max_length=40, unique=True, default=new_public_id, editable=False
    )
    number = models.CharField(_("nomor"), max_length=100)
    year = models.PositiveSmallIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("urutan"))
    title = models.CharField(_("judul"), max_length=200)
    template = models.CharField(_("templat"), max_length=60, default="default")
    government = models.ForeignKey(
        "organizations.Government", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64)
    applicant_name = models.CharField(_("nama pemohon"), max_length=200)
    decision = models.TextField(_("keputusan"))
    fields = models.JSONField(_("data utama"), default=list, blank=True)
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=200)
    signatory_position = models.CharField(_("jabatan penanda tangan"), max_length=200)
    issued_at = models.DateTimeField(_("diterbitkan pada"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.OneToOneField(
        "core.StoredFile", on_delete=models.PROTECT, related_name="issued_document"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dokumen terbitan")
        verbose_name_plural = _("dokumen terbitan")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["government", "number"], name="document_number_once"),
            models.UniqueConstraint(
                fields=["government", "year", "sequence"], name="document_sequence_once"
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="document_subject")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID

    @property
    def subject_label(self) -> str:
        """``app_label.model_name`` of the subject, the key of the access registry."""
        return f"{self.subject_type.app_label}.{self.subject_type.model}"
