"""Regions (Kemendagri codes), governments as tenants, agencies (OPD), units and officer roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """One entry of the Kemendagri region list, keyed by its dotted code (``18.71.01.1001``)."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Provinsi")
        REGENCY = 2, _("Kabupaten/Kota")
        DISTRICT = 3, _("Kecamatan")
        VILLAGE = 4, _("Desa/Kelurahan")

    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices, db_index=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def digits(self) -> str:
        return self.code.replace(".", "")


class Government(models.Model):
    """A regional government (pemda): a province or a kabupaten/kota. Every record of every
    module belongs to exactly one government; it is the tenant boundary."""

    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="government")
    name = models.CharField(_("nama"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    tracking_prefix = models.CharField(
        _("awalan nomor lacak"),
        max_length=6,
        unique=True,
        help_text=_("Huruf kapital untuk nomor lacak, misalnya LPG."),
    )
    time_zone = models.CharField(_("zona waktu"), max_length=40, default="Asia/Jakarta")
    settings = models.JSONField(_("pengaturan"), default=dict, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")
        ordering = ["region_id"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An organisation under a government (OPD): a dinas, badan, kecamatan, RSUD …"""

    government = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(_("nama"), max_length=160)
    short_name = models.CharField(_("singkatan"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"))
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")
        ordering = ["government_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["government", "slug"], name="agency_slug_per_gov")
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Unit(models.Model):
    """A unit inside an agency (bidang, seksi, UPT, puskesmas)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("nama"), max_length=160)

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["agency_id", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Verifikator/koordinator")
    LIAISON = "liaison", _("Admin penghubung OPD")
    HANDLER = "handler", _("Petugas tindak lanjut")
    SUPERVISOR = "supervisor", _("Atasan/kepala OPD")
    PPID_OFFICER = "ppid_officer", _("Petugas PPID")
    PPID_SUPERIOR = "ppid_superior", _("Atasan PPID")
    COUNTER_STAFF = "counter_staff", _("Petugas loket")
    LEADER = "leader", _("Pimpinan (hanya baca)")
    PLATFORM_ADMIN = "platform_admin", _("Administrator platform")


class Membership(models.Model):
    """An officer's role in one agency. An officer may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} @ {self.agency_id}"


class RegionalHoliday(models.Model):
    """A holiday declared by one government, on top of national holidays and cuti bersama."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("tanggal"))
    name = models.CharField(_("nama"), max_length=120)

    class Meta:
        verbose_name = _("libur daerah")
        verbose_name_plural = _("libur daerah")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["government", "date"], name="regional_holiday_once")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
