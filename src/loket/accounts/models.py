"""Users: citizens and officers share one model; officers additionally hold memberships."""

from __future__ import annotations

from typing import Any

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

    kind = models.CharField(_("jenis akun"), max_length=10, choices=Kind.choices,
                            default=Kind.CITIZEN)
    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    phone = models.CharField(_("nomor ponsel"), max_length=20, unique=True, null=True,
                             blank=True)
    phone_verified = models.BooleanField(_("ponsel terverifikasi"), default=False)
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    language = models.CharField(_("bahasa"), max_length=5, default="id",
                                choices=[("id", "Bahasa Indonesia"), ("en", "English")])
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
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or f"#{self.pk}"

    @property
    def is_officer(self) -> bool:
        return self.kind == self.Kind.OFFICER

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else ""
