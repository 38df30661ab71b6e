"""Fixtures for the API tests: a small region tree, governments, users and keys."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from loket.accounts.models import User
from loket.api.services import apikey_create
from loket.organizations.models import Agency, Government, Region


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def make_region(code: str, name: str, parent: Region | None = None) -> Region:
    level = code.count(".") + 1
    kind = {1: "provinsi", 2: "kota", 3: "kecamatan", 4: "kelurahan"}[level]
    return Region.objects.create(code=code, name=name, level=level, kind=kind, parent=parent)


@pytest.fixture
def lampung(db):
    province = make_region("18", "Lampung")
    city = make_region("18.71", "Kota Bandar Lampung", province)
    make_region("18.03", "Kabupaten Lampung Utara", province)
    make_region("18.71.01", "Teluk Betung Barat", city)
    return province


@pytest.fixture
def government(lampung):
    gov = Government.objects.create(
        region=lampung, name="Pemerintah Provinsi Lampung", slug="lampung", tracking_prefix="LPG"
    )
    Agency.objects.create(
        government=gov, name="Dinas Kesehatan", short_name="Dinkes", slug="dinkes"
    )
    Agency.objects.create(government=gov, name="Dinas Pendidikan", slug="disdik")
    Agency.objects.create(government=gov, name="Dinas Lama", slug="lama", is_active=False)
    return gov


@pytest.fixture
def citizen(db):
    return User.objects.create_user(
        email="warga@example.test",
        password="kata-sandi-panjang-1",
        full_name="Siti Warga",
        phone="081234567890",
    )


@pytest.fixture
def other_citizen(db):
    return User.objects.create_user(email="lain@example.test", password="kata-sandi-panjang-2")


@pytest.fixture
def integrator_key(db):
    """(key, plaintext) of an integrator key with the open311 scope."""
    return apikey_create(name="Aplikasi mitra", scopes=["open311", "read"])


@pytest.fixture
def citizen_token(citizen):
    return apikey_create(name="Ponsel", scopes=[], user=citizen)
