"""What the loads need besides the seeded complaints: citizens with API tokens and phones,
an officer session, a citizen session with drafts for the application load, 5,000 services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PDF_FIELDS = ("ktp", "kk", "pengantar")
BENCH_SERVICE = "Surat keterangan domisili"


@dataclass
class Fixtures:
    tokens: list[str]
    citizen_ids: list[int]
    officer_cookie: str
    officer_email: str
    citizen_cookie: str
    csrf: str
    drafts: list[tuple[int, str]] = field(default_factory=list)  # (draft id, session cookie)
    category_codes: list[str] = field(default_factory=list)
    category_ids: list[int] = field(default_factory=list)
    region_codes: list[str] = field(default_factory=list)
    services_total: int = 0


def _session_cookie(user: Any) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def make_citizens(n: int, prefix: str = "warga") -> list[Any]:
    from allauth.account.models import EmailAddress

    from loket.accounts.models import User

    users = []
    for i in range(n):
        email = f"bench.{prefix}{i}@example.test"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=None, full_name=f"Warga Uji {i}",
                kind=User.Kind.CITIZEN,
            )  # fmt: skip
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        user.phone = f"+62812{1 if prefix == 'warga' else 2}{i:06d}"
        user.phone_verified = True
        user.notify_sms = True
        user.notify_email = False
        user.save()
        users.append(user)
    return users


def build(*, citizens: int, drafts: int, services_total: int) -> Fixtures:
    from django.middleware.csrf import _get_new_csrf_string  # type: ignore[attr-defined]

    from loket.accounts.models import User
    from loket.api.services import apikey_create
    from loket.demo import data

    users = make_citizens(citizens)
    tokens = [apikey_create(name="bench", scopes=[], user=u)[1] for u in users]
    officer = User.objects.get(email=data.officer_email(
        next(
            o for o in data.OFFICERS
            if o.role == "coordinator" and o.government == "bandar-lampung"
        )
    ))  # fmt: skip
    seed_ctx = _seed_lists()
    fx = Fixtures(
        tokens=tokens,
        citizen_ids=[u.pk for u in users],
        officer_cookie=_session_cookie(officer),
        officer_email=officer.email,
        citizen_cookie=_session_cookie(users[0]),
        csrf=_get_new_csrf_string(),
        **seed_ctx,
    )
    fx.drafts = make_drafts(drafts)
    fx.services_total = seed_services(services_total)
    return fx


def _seed_lists() -> dict[str, Any]:
    from loket.complaints.models import Category
    from loket.organizations.models import Government, Region

    gov = Government.objects.get(slug="bandar-lampung")
    cats = list(
        Category.objects.filter(government=gov, is_active=True, parent__isnull=False).values_list(
            "id", "service_code"
        )
    )
    regions = list(
        Region.objects.filter(code__startswith=gov.region_id + ".", level=4).values_list(
            "code", flat=True
        )
    )
    return {
        "category_ids": [c[0] for c in cats],
        "category_codes": [c[1] for c in cats],
        "region_codes": regions,
    }


def bench_form_service() -> Any:
    """The demo service 'Surat keterangan domisili' with a bench form version: one text field
    and three PDF requirements (up to 2 MB each)."""
    from loket.applications import services
    from loket.catalog.models import Service

    service = Service.objects.get(government__slug="bandar-lampung", name=BENCH_SERVICE)
    services.form_definition_save(
        actor=None,
        service=service,
        fields=[{"code": "keperluan", "type": "text", "label": "Keperluan", "required": True}],
        requirements=[
            {"code": code, "label": code.upper(), "kinds": ["pdf"], "max_mb": 2}
            for code in PDF_FIELDS
        ],
        change_note="Formulir uji beban",
    )
    return service


def make_drafts(count: int) -> list[tuple[int, str]]:
    """One applicant per draft (a citizen keeps one draft per service), each signed in."""
    from loket.applications import services

    service = bench_form_service()
    return [
        (services.application_start(applicant=user, service=service).pk, _session_cookie(user))
        for user in make_citizens(count, prefix="pemohon")
    ]


def pdf_bytes(size: int = 1024 * 1024, *, label: str = "uji") -> bytes:
    """A well-formed PDF of about ``size`` bytes: one page whose content stream is padded with
    PDF comments (no names, so nothing looks like active content)."""
    filler = b"% " + b"0123456789 abcdefghij " * 3 + b"\n"
    text = f"BT /F1 12 Tf 72 720 Td ({label}) Tj ET\n".encode()
    stream = text + filler * max(0, (size - 600) // len(filler))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def seed_services(total: int) -> int:
    """Copies of the demo catalogue's published services (new slugs, varied names) until
    ``total`` published services exist. Returns the count."""
    from loket.catalog import services as catalog_services
    from loket.catalog.models import Service

    have = Service.objects.filter(is_published=True).count()
    if have >= total:
        return have
    base = list(Service.objects.filter(is_published=True).select_related("agency", "theme"))
    places = ("Kedaton", "Rajabasa", "Panjang", "Sukarame", "Way Halim", "Kemiling", "Labuhan")
    batch = []
    for i in range(total - have):
        src = base[i % len(base)]
        clone = Service(
            government_id=src.government_id, agency=src.agency, theme=src.theme,
            slug=f"{src.slug[:90]}-uji-{i}", name=f"{src.name} {places[i % len(places)]} {i}",
            summary=src.summary, channel=src.channel, fee=src.fee,
            time_limit_days=src.time_limit_days, output=src.output, keywords=src.keywords,
            is_published=True,
        )  # fmt: skip
        clone.search_text = catalog_services._search_text(clone)
        batch.append(clone)
    Service.objects.bulk_create(batch, batch_size=1000)
    return Service.objects.filter(is_published=True).count()
