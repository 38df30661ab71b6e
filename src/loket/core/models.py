"""Shared building blocks: the audit chain, scheduler slots, task give-ups and idempotency."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One append-only, hash-chained record of a state change.

    Rows are written only by :func:`loket.core.audit.log_action`; the database refuses UPDATE
    and DELETE (see migration 0002), and ``loket audit verify`` recomputes the chain.
    """

    sequence = models.PositiveBigIntegerField(_("urutan"), unique=True)
    occurred_at = models.DateTimeField(_("waktu"), db_index=True)
    # Plain ids, not foreign keys: the audit trail must outlive (and never block) deletions.
    actor_id = models.BigIntegerField(_("pelaku"), null=True, blank=True, db_index=True)
    actor_role = models.CharField(_("peran"), max_length=40, blank=True)
    action = models.CharField(_("tindakan"), max_length=80, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=80, blank=True)
    object_id = models.CharField(_("id objek"), max_length=64, blank=True)
    government_id = models.BigIntegerField(_("pemerintah"), null=True, blank=True)
    request_id = models.CharField(_("id permintaan"), max_length=64, blank=True)
    ip = models.CharField(_("alamat IP"), max_length=64, blank=True)
    payload = models.JSONField(_("isi"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"


class ScheduleSlot(models.Model):
    """Claims one period of one periodic job; the unique key makes it run once per period."""

    name = models.CharField(max_length=100)
    period_start = models.DateTimeField()
    claimed_at = models.DateTimeField(auto_now_add=True)
    worker = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "period_start"], name="schedule_slot_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.period_start:%Y-%m-%d %H:%M}"


class TaskGiveUp(models.Model):
    """A background task that failed on every attempt; shown to platform administrators."""

    task_path = models.CharField(max_length=200)
    arguments = models.JSONField(default=dict)
    attempts = models.PositiveIntegerField()
    last_error = models.TextField(blank=True)
    gave_up_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tugas yang gagal")
        verbose_name_plural = _("tugas yang gagal")
        ordering = ["-gave_up_at"]

    def __str__(self) -> str:
        return f"{self.task_path} ({self.attempts})"


class NumberSequence(models.Model):
    """The last number handed out for one named series (e.g. tracking numbers of one
    government in one year). Taken under a row lock, so numbers are never duplicated."""

    name = models.CharField(max_length=100, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.last}"


class IdempotencyKey(models.Model):
    """Remembers the result of a write so that a retried or doubled request returns it again."""

    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class StoredFile(models.Model):
    """A validated upload. The bytes live in storage under a random key and are served only
    through a view that asks the owning module whether the viewer may see them."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Gambar")
        PDF = "pdf", _("PDF")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    purpose = models.CharField(max_length=60, db_index=True)
    storage_key = models.CharField(max_length=200, unique=True)
    thumbnail_key = models.CharField(max_length=200, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_public = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("berkas")
        verbose_name_plural = _("berkas")

    def __str__(self) -> str:
        return self.original_name or str(self.id)
