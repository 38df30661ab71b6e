"""Fixtures of the portal tests: a kota with kecamatan and kelurahan, categories, officers who
drive reports through the services, citizens, and small JPEGs (with or without GPS)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image

from loket.complaints import services
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
    def make(**kwargs) -> Complaint:
        data = {
            "government": org.gov,
            "category": org.road,
            "title": "Jalan berlubang",
            "description": "Lubang besar di depan sekolah, membahayakan pengendara motor.",
            "region": org.village,
            "latitude": PIN[0],
            "longitude": PIN[1],
            "reporter": org.reporter,
        }
        data.update(kwargs)
        return services.complaint_submit(**data).complaint

    return make


@pytest.fixture
def drive(org, submit):
    """A report brought to ``state`` by the services (the fixture's officers act)."""

    def make(state: str = "received", **kwargs) -> Complaint:
        c = submit(**kwargs)
        if state == "received":
            return c
        services.complaint_verify(complaint=c, actor=org.coordinator)
        if state == "verification":
            return c
        services.complaint_dispatch(complaint=c, actor=org.coordinator, agency=org.pupr)
        if state == "dispatched":
            return c
        services.complaint_start_work(
            complaint=c, actor=org.handler, estimate_date=date.today() + timedelta(days=7)
        )
        if state == "in_progress":
            return c
        services.complaint_resolve(complaint=c, actor=org.handler, answer="Sudah ditambal.")
        assert state == "resolved", state
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
