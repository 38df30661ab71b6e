"""Users: citizens and officers share one model; officers additionally hold memberships."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        email = self.normalize_email(email) if email else None
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("kind", User.Kind.OFFICER)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Warga")
        OFFICER = "officer", _("Petugas")

    kind = models.CharField(
        _("jenis akun"), max_length=10, choices=Kind.choices, default=Kind.CITIZEN
    )
    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    phone = models.CharField(_("nomor ponsel"), max_length=20, unique=True, null=True, blank=True)
    phone_verified = models.BooleanField(_("ponsel terverifikasi"), default=False)
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    language = models.CharField(
        _("bahasa"),
        max_length=5,
        default="id",
        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
    )
    notify_email = models.BooleanField(_("kabari lewat email"), default=True)
    notify_sms = models.BooleanField(_("kabari lewat SMS"), default=False)
    notify_whatsapp = models.BooleanField(_("kabari lewat WhatsApp"), default=False)
    # NIK: encrypted at rest (Fernet), found through a keyed blind index, never shown whole.
    nik_ciphertext = models.TextField(blank=True)
    nik_index = models.CharField(max_length=64, blank=True, db_index=True)
    nik_masked = models.CharField(_("NIK"), max_length=16, blank=True)
    is_staff = models.BooleanField(_("akses admin Django"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    date_joined = models.DateTimeField(_("terdaftar"), default=timezone.now)
    anonymized_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            # One account per NIK; accounts without a NIK keep an empty index.
            models.UniqueConstraint(
                fields=["nik_index"],
                condition=~models.Q(nik_index=""),
                name="user_nik_once",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or f"#{self.pk}"

    @property
    def is_officer(self) -> bool:
        return self.kind == self.Kind.OFFICER

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else ""


class SignupRequest(models.Model):
    """A sign-up waiting for its one-time code. The account is created only when the code is
    confirmed, so an address typed by mistake (or by someone else) never blocks its owner.

    The code is stored as a keyed hash; the id is kept in the signer's session, never in URLs.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    destination = models.CharField(max_length=254)
    # Keyed hash of the destination: finds an open request for the same address.
    destination_ref = models.CharField(max_length=64, db_index=True)
    full_name = models.CharField(max_length=150)
    password_hash = models.CharField(max_length=256)
    language = models.CharField(max_length=5, default="id")
    code_hash = models.CharField(max_length=64)
    code_expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    send_count = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("pendaftaran tertunda")
        verbose_name_plural = _("pendaftaran tertunda")

    def __str__(self) -> str:
        return f"{self.channel} {self.created_at:%Y-%m-%d %H:%M}"
