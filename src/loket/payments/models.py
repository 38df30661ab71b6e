"""Bills (tagihan retribusi), their event log and the receipt counter."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from loket.payments.codes import display_code


class Bill(models.Model):
    """A fee to pay for one subject (an application, …), identified by its payment code."""

    class Status(models.TextChoices):
        UNPAID = "unpaid", _("Belum dibayar")
        PAID = "paid", _("Lunas")
        CANCELLED = "cancelled", _("Dibatalkan")
        EXPIRED = "expired", _("Kedaluwarsa")

    code = models.CharField(_("kode pembayaran"), max_length=16, unique=True)
    government = models.ForeignKey(
        "organizations.Government", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("organizations.Agency", on_delete=models.PROTECT, related_name="+")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64)
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    description = models.CharField(_("uraian"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UNPAID
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    due_at = models.DateTimeField(_("batas bayar"), null=True, blank=True)
    paid_at = models.DateTimeField(_("dibayar pada"), null=True, blank=True)
    provider = models.CharField(_("kanal pembayaran"), max_length=30, blank=True)
    provider_reference = models.CharField(_("referensi pembayaran"), max_length=100, blank=True)
    receipt_number = models.CharField(_("nomor kuitansi"), max_length=60, blank=True)
    cancelled_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("tagihan")
        verbose_name_plural = _("tagihan")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="bill_amount_positive"),
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="bill_provider_reference_once",
            ),
            models.UniqueConstraint(
                fields=["government", "receipt_number"],
                condition=~Q(receipt_number=""),
                name="bill_receipt_number_once",
            ),
        ]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="bill_subject"),
            models.Index(fields=["agency", "status"], name="bill_agency_status"),
        ]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return display_code(self.code)

    @property
    def subject_label(self) -> str:
        return f"{self.subject_type.app_label}.{self.subject_type.model}"

    @property
    def is_payable(self) -> bool:
        return self.status == self.Status.UNPAID


class PaymentEvent(models.Model):
    """One change in a bill's life: created, paid, cancelled, expired."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Tagihan dibuat")
        PAID = "paid", _("Dibayar")
        CANCELLED = "cancelled", _("Dibatalkan")
        EXPIRED = "expired", _("Kedaluwarsa")

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    provider = models.CharField(max_length=30, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    amount = models.PositiveBigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat pembayaran")
        verbose_name_plural = _("riwayat pembayaran")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.bill_id} {self.kind}"
