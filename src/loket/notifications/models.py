"""The in-app inbox, messages to people without an account, and the record of every delivery
attempt on every channel."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("jenis"), max_length=60)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class ContactNotification(models.Model):
    """A notification for someone without an account (a guest reporter): no inbox, only
    deliveries to an email address and/or a phone number.

    The address and the link (which may carry the guest's secret) are kept in ``sealed``,
    encrypted with a key derived from ``DATA_KEY`` (:mod:`loket.notifications.sealing`), and
    only until every delivery has ended; then ``sealed`` is emptied. Nothing else on this row
    or its deliveries says who it was for.
    """

    kind = models.CharField(_("jenis"), max_length=60)
    language = models.CharField(_("bahasa"), max_length=8)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    sealed = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("notifikasi tanpa akun")
        verbose_name_plural = _("notifikasi tanpa akun")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One channel of one notification: of an inbox :class:`Notification` or of a
    :class:`ContactNotification` (exactly one of the two)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENT = "sent", _("Terkirim")
        RETRYING = "retrying", _("Dicoba lagi")
        GAVE_UP = "gave_up", _("Gagal (menyerah)")
        SKIPPED = "skipped", _("Dilewati")

    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    contact = models.ForeignKey(
        ContactNotification,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_message_id = models.CharField(max_length=100, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the latest attempt started: a claimed delivery that stays pending long after this
    # belonged to a run that died, and is claimed again.
    tried_at = models.DateTimeField(_("dicoba pada"), null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pengiriman")
        verbose_name_plural = _("pengiriman")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once"),
            models.UniqueConstraint(fields=["contact", "channel"], name="contact_delivery_once"),
            models.CheckConstraint(
                condition=Q(notification__isnull=False, contact__isnull=True)
                | Q(notification__isnull=True, contact__isnull=False),
                name="delivery_one_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(auto_now_add=True)
    ok = models.BooleanField()
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {'ok' if self.ok else 'failed'} {self.at:%Y-%m-%d %H:%M}"
