"""Citizen-facing pages. Views parse and authorise; services do the work."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PortalModule:
    """One card on the home page. ``url_name`` is the module's citizen entry page; while that
    URL does not exist yet the card says "Segera hadir" and links nowhere."""

    slug: str
    title: Promise
    description: Promise
    url_name: str


# When a module ships its portal pages, name its entry URL here (namespace:name).
MODULES: tuple[PortalModule, ...] = (
    PortalModule(
        "pengaduan",
        _("Pengaduan"),
        _("Laporkan masalah di sekitar Anda dan pantau tindak lanjutnya."),
        "complaints:home",
    ),
    PortalModule(
        "layanan",
        _("Layanan & permohonan"),
        _("Lihat standar layanan dan ajukan permohonan secara daring."),
        "catalog:home",
    ),
    PortalModule(
        "ppid",
        _("Informasi publik (PPID)"),
        _("Cari informasi publik atau ajukan permohonan informasi."),
        "information:home",
    ),
    PortalModule(
        "survei",
        _("Survei kepuasan"),
        _("Nilai layanan yang Anda terima agar kami terus membaik."),
        "surveys:home",
    ),
    PortalModule(
        "antrean",
        _("Antrean"),
        _("Ambil nomor antrean rumah sakit, puskesmas atau mal pelayanan."),
        "queues:home",
    ),
    PortalModule(
        "harga-pasar",
        _("Harga pasar"),
        _("Pantau harga bahan pokok harian di pasar-pasar daerah."),
        "prices:home",
    ),
    PortalModule(
        "pajak-kendaraan",
        _("Cek pajak kendaraan"),
        _("Periksa pajak kendaraan bermotor dengan nomor polisi."),
        "vehicle_tax:home",
    ),
    PortalModule(
        "data",
        _("Data & kinerja"),
        _("Lihat kinerja layanan pemerintah daerah dan data terbuka."),
        "insight:home",
    ),
)


def _module_cards() -> list[dict[str, object]]:
    cards: list[dict[str, object]] = []
    for module in MODULES:
        try:
            url: str | None = reverse(module.url_name)
        except NoReverseMatch:
            url = None
        cards.append({"module": module, "url": url})
    return cards


def home(request: HttpRequest) -> HttpResponse:
    """The portal's front door: a short welcome and one card per module."""
    return render(request, "portal/home.html", {"cards": _module_cards()})
