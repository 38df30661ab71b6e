"""Scopes an integrator key can carry. A module that needs a new scope adds it here."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SCOPES: dict[str, str | Promise] = {
    "read": _("Membaca data publik sebagai integrator terdaftar (batas laju per kunci)."),
    "open311": _("Open311 GeoReport v2: mengirim dan membaca laporan."),
}


def unknown_scopes(scopes: list[str]) -> list[str]:
    return [scope for scope in scopes if scope not in SCOPES]
