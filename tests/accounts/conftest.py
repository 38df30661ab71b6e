from __future__ import annotations

import pytest

from loket.accounts.models import User


@pytest.fixture
def regions(db):
    """Lampung (18) > Kota Bandar Lampung (18.71) > one kecamatan (18.71.01)."""
    from loket.organizations.models import Region

    province = Region.objects.create(code="18", name="Lampung", level=1, kind="provinsi")
    city = Region.objects.create(
        code="18.71", name="Kota Bandar Lampung", level=2, kind="kota", parent=province
    )
    district = Region.objects.create(
        code="18.71.01", name="Teluk Betung Barat", level=3, kind="kecamatan", parent=city
    )
    return district


@pytest.fixture
def agency(db):
    from loket.organizations.models import Agency, Government, Region

    region = Region.objects.create(code="18", name="Lampung", level=1, kind="provinsi")
    government = Government.objects.create(
        region=region, name="Pemerintah Provinsi Lampung", slug="lampung", tracking_prefix="LPG"
    )
    return Agency.objects.create(government=government, name="Dinas Kominfo", slug="kominfo")


@pytest.fixture
def citizen(db) -> User:
    return User.objects.create_user(
        "warga@example.com", "rahasia-warga-123", full_name="Siti Warga"
    )


OFFICER_PASSWORD = "Petugas#Kuat2025"
