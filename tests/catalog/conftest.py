"""Builders shared by the catalogue tests."""

from __future__ import annotations

from typing import Any

import pytest

from loket.catalog import services
from loket.catalog.models import Channel, Service, Theme
from loket.organizations.models import Agency
from tests import factories as f


def service_input(**overrides: Any) -> services.ServiceInput:
    values: dict[str, Any] = {
        "name": "Surat keterangan domisili",
        "theme": Theme.objects.get(slug="surat-keterangan"),
        "channel": Channel.BOTH,
        "time_limit_days": 2,
        "output": "Surat keterangan domisili",
        "legal_basis": "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        "requirements": "KTP-el\nKartu Keluarga",
        "procedure": "Ajukan berkas\nPetugas memeriksa\nSurat diterbitkan",
        "summary": "Keterangan tempat tinggal penduduk.",
        "complaint_handling": "Melalui menu Pengaduan di Loket.",
    }
    values.update(overrides)
    return services.ServiceInput(**values)


def make_service(agency: Agency, *, published: bool = True, **overrides: Any) -> Service:
    service = services.service_create(actor=None, agency=agency, data=service_input(**overrides))
    if published:
        services.service_set_published(actor=None, service=service, published=True)
    return service


@pytest.fixture
def gov():
    return f.government()


@pytest.fixture
def agency(gov):
    return f.agency(gov)


def login_officer(client, user) -> None:
    """Sign in as allauth would after a password and a TOTP code."""
    f.with_totp(user)
    client.force_login(user)
