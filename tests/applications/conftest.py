"""Fixtures of the application tests: a government with two agencies, an online service with
a two-step workflow, officers in each role, citizens, and small files to upload."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from PIL import Image

from loket.applications import services
from loket.catalog import services as catalog_services
from loket.catalog.models import Channel, Theme
from loket.organizations.models import Role
from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
VALID_NIK = "1871014508900002"

FIELDS = [
    {
        "code": "nama_usaha",
        "type": "text",
        "label": "Nama usaha",
        "label_en": "Business name",
        "required": True,
        "help": "Sesuai akta",
        "help_en": "As in the deed",
    },
    {"code": "nik", "type": "nik", "label": "NIK pemohon", "required": True},
    {"code": "ponsel", "type": "phone", "label": "Nomor ponsel", "required": True},
    {
        "code": "punya_npwp",
        "type": "choice",
        "label": "Punya NPWP?",
        "required": True,
        "choices": [{"value": "ya", "label": "Ya"}, {"value": "tidak", "label": "Tidak"}],
    },
    {
        "code": "npwp",
        "type": "text",
        "label": "NPWP",
        "required": True,
        "show_if": {"field": "punya_npwp", "value": "ya"},
    },
    {"code": "setuju", "type": "consent", "label": "Data saya benar", "required": True},
]
REQUIREMENTS = [
    {
        "code": "ktp",
        "label": "KTP-el",
        "label_en": "ID card",
        "kinds": ["pdf", "image"],
        "max_mb": 2,
        "required": True,
    },
    {
        "code": "surat_pernyataan",
        "label": "Surat pernyataan",
        "kinds": ["pdf"],
        "max_mb": 1,
        "required": True,
    },
]
STEPS = [
    {"name": "Verifikasi berkas", "role": Role.HANDLER, "days": 2},
    {"name": "Persetujuan kepala", "role": Role.SUPERVISOR, "days": 1},
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pdf(name: str = "berkas.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name: str = "foto.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def posted(**values) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, value in values.items():
        if isinstance(value, list):
            q.setlist(key, value)
        else:
            q[key] = value
    return q


def complete_values(**overrides) -> QueryDict:
    values = {
        "nama_usaha": "Toko Maju",
        "nik": VALID_NIK,
        "ponsel": "0812 3456 7890",
        "punya_npwp": "tidak",
        "setuju": "on",
    }
    values.update(overrides)
    return posted(**{k: v for k, v in values.items() if v is not None})


def documents() -> dict:
    return {"ktp": png(), "surat_pernyataan": pdf()}


def make_online_service(agency, *, fee: int = 0, fields=None, requirements=None, steps=None):
    data = catalog_services.ServiceInput(
        name="Izin usaha mikro",
        theme=Theme.objects.get(slug="surat-keterangan"),
        channel=Channel.ONLINE,
        time_limit_days=5,
        output="Surat izin usaha mikro",
        legal_basis="Undang-Undang Nomor 25 Tahun 2009",
        requirements="KTP-el\nSurat pernyataan",
        procedure="Ajukan\nPeriksa\nTerbitkan",
        fee=fee,
        fee_legal_basis="Perda retribusi" if fee else "",
    )
    service = catalog_services.service_create(actor=None, agency=agency, data=data)
    catalog_services.service_set_published(actor=None, service=service, published=True)
    services.form_definition_save(
        actor=None,
        service=service,
        fields=fields or FIELDS,
        requirements=REQUIREMENTS if requirements is None else requirements,
    )
    services.workflow_definition_save(
        actor=None, service=service, steps=steps or STEPS, overall_days=5
    )
    return service


@pytest.fixture
def org(db):
    gov = f.government("18.71")
    f.region("18.71.01")  # the kecamatan of VALID_NIK
    agency = f.agency(gov)
    other_agency = f.agency(gov)
    other_gov = f.government("18.72")
    foreign_agency = f.agency(other_gov)
    return SimpleNamespace(
        gov=gov,
        agency=agency,
        other_agency=other_agency,
        other_gov=other_gov,
        foreign_agency=foreign_agency,
        handler=f.officer(agency, Role.HANDLER),
        handler2=f.officer(agency, Role.HANDLER),
        supervisor=f.officer(agency, Role.SUPERVISOR),
        liaison=f.officer(agency, Role.LIAISON),
        counter=f.officer(agency, Role.COUNTER_STAFF),
        leader=f.officer(agency, Role.LEADER),
        coordinator=f.officer(other_agency, Role.COORDINATOR),
        other_handler=f.officer(other_agency, Role.HANDLER),
        other_supervisor=f.officer(other_agency, Role.SUPERVISOR),
        foreign_handler=f.officer(foreign_agency, Role.HANDLER),
        citizen=f.citizen(),
        other_citizen=f.citizen(),
    )


@pytest.fixture
def service(org):
    return make_online_service(org.agency)


@pytest.fixture
def submit(service, org):
    """Submit a complete application as ``org.citizen`` (or ``applicant``)."""
    counter = iter(range(1, 10_000))

    def make(applicant=None, target=None, **overrides):
        applicant = applicant or org.citizen
        draft = services.application_start(applicant=applicant, service=target or service)
        return services.application_submit(
            applicant=applicant,
            application=draft,
            values=complete_values(**overrides),
            uploads=documents(),
            idempotency_key=f"kunci-{next(counter):06d}-{draft.pk}",
        )

    return make
