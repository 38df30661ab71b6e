"""Fixtures of the portal tests: a kota with kecamatan and kelurahan, categories, officers who
drive reports through the services, citizens, and small JPEGs (with or without GPS)."""

from __future__ import annotations

import io
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image

from loket.complaints.models import Category, Complaint
from loket.organizations.models import Role
from tests import factories

PIN = (-5.4292, 105.2610)  # Tugu Adipura, Bandar Lampung
NEAR = (-5.4296, 105.2612)  # ≈ 50 m away
FAR = (-5.4700, 105.3000)  # a few km away


def jpeg(lat: float | None = None, lng: float | None = None, name: str = "foto.jpg"):
    """A small JPEG; with ``lat``/``lng`` its EXIF carries that GPS position."""
    image = Image.new("RGB", (40, 30), (90, 120, 90))
    exif = Image.Exif()
    if lat is not None and lng is not None:

        def dms(value: float):
            value = abs(value)
            d = int(value)
            m = int((value - d) * 60)
            s = ((value - d) * 60 - m) * 60
            return (Fraction(d), Fraction(m), Fraction(s).limit_denominator(1000))

        exif[ExifTags.IFD.GPSInfo] = {
            1: "S" if lat < 0 else "N",
            2: dms(lat),
            3: "E" if lng > 0 else "W",
            4: dms(lng),
        }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def not_an_image(name: str = "foto.jpg"):
    return SimpleUploadedFile(name, b"this is not an image at all", content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org(db):
    gov = factories.government("18.71")
    factories.region("18.71.01", "Kecamatan Satu")
    village = factories.region("18.71.01.1001", "Kelurahan Satu")
    village2 = factories.region("18.71.01.1002", "Kelurahan Dua")
    pupr = factories.agency(gov, "pupr")
    kominfo = factories.agency(gov, "kominfo")
    infra = Category.objects.create(government=gov, name="Infrastruktur", service_code="P-INFRA")
    road = Category.objects.create(
        government=gov, parent=infra, name="Jalan rusak", service_code="P-JALAN"
    )
    trash = Category.objects.create(government=gov, name="Sampah", service_code="P-SAMPAH")
    return SimpleNamespace(
        gov=gov,
        village=village,
        village2=village2,
        pupr=pupr,
        kominfo=kominfo,
        infra=infra,
        road=road,
        trash=trash,
        coordinator=factories.officer(kominfo, Role.COORDINATOR),
        handler=factories.officer(pupr, Role.HANDLER),
        reporter=factories.citizen(),
        other=factories.citizen(),
    )


@pytest.fixture
def submit(org):
    return factories.complaint_submitter(org)


@pytest.fixture
def drive(org, submit):
    """A report brought to ``state`` (up to "resolved") by the services (the fixture's
    officers act)."""
    bring = factories.complaint_driver(org, submit)

    def make(state: str = "received", **kwargs) -> Complaint:
        assert state in ("received", "verification", "dispatched", "in_progress", "resolved")
        c = bring(state, **kwargs)
        if state == "resolved":
            c.refresh_from_db()
        return c

    return make


@pytest.fixture
def citizen_client(org) -> Client:
    client = Client()
    client.force_login(org.reporter)
    return client


@pytest.fixture
def other_client(org) -> Client:
    client = Client()
    client.force_login(org.other)
    return client
