"""A small complaints world for the Open311 and API tests, built only through services:
one kota with two kelurahan, an agency, a coordinator, categories (one with attributes), and
helpers that file reports and bring them to a public state."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from loket.complaints import services
from loket.complaints.models import Category, Complaint
from loket.organizations.models import Role
from tests import factories

PIN = (-5.4292, 105.2610)  # Bandar Lampung
GUEST_NAME = "Rahasia Pelapor"
GUEST_EMAIL = "pelapor.rahasia@contoh.id"
GUEST_PHONE = "081298765432"
_seq = itertools.count(1)


def build(region_code: str = "18.71") -> SimpleNamespace:
    gov = factories.government(region_code)
    village = factories.region(f"{region_code}.01.1001", "Kelurahan Sukamaju")
    village2 = factories.region(f"{region_code}.02.1002", "Kelurahan Rawa Laut")
    factories.region(f"{region_code}.01", "Kecamatan Teluk Betung")
    agency = factories.agency(gov)
    infra = Category.objects.create(
        government=gov, name="Infrastruktur", service_code=f"INFRA-{next(_seq)}"
    )
    road = Category.objects.create(
        government=gov,
        parent=infra,
        name="Jalan rusak",
        service_code=f"JALAN-{next(_seq)}",
        keywords="jalan,lubang",
        description="Jalan berlubang atau rusak",
        attributes=[
            {"code": "LEBAR", "datatype": "number", "required": False, "description": "Lebar"},
            {
                "code": "JENIS",
                "datatype": "singlevaluelist",
                "required": False,
                "description": "Jenis jalan",
                "values": [{"key": "kota", "name": "Jalan kota"}, {"key": "desa", "name": "Desa"}],
            },
        ],
    )
    trash = Category.objects.create(
        government=gov, name="Sampah", service_code=f"SAMPAH-{next(_seq)}"
    )
    Category.objects.create(
        government=gov, name="Lama", service_code=f"LAMA-{next(_seq)}", is_active=False
    )
    return SimpleNamespace(
        gov=gov,
        village=village,
        village2=village2,
        agency=agency,
        infra=infra,
        road=road,
        trash=trash,
        coordinator=factories.officer(agency, Role.COORDINATOR),
        handler=factories.officer(agency, Role.HANDLER),
    )


def file(world: SimpleNamespace, *, user: Any = None, **kwargs: Any) -> Complaint:
    data: dict[str, Any] = {
        "government": world.gov,
        "category": world.road,
        "title": "Jalan berlubang",
        "description": "Lubang besar di depan sekolah.",
        "region": world.village,
        "latitude": PIN[0],
        "longitude": PIN[1],
    }
    if user is not None:
        data["reporter"] = user
    else:
        data.update(guest_name=GUEST_NAME, guest_email=GUEST_EMAIL, guest_phone=GUEST_PHONE)
    data.update(kwargs)
    return services.complaint_submit(**data).complaint


def publish(world: SimpleNamespace, complaint: Complaint) -> Complaint:
    """received → verification → dispatched: listed when the report is public."""
    services.complaint_verify(complaint=complaint, actor=world.coordinator)
    services.complaint_dispatch(complaint=complaint, actor=world.coordinator, agency=world.agency)
    complaint.refresh_from_db()
    return complaint


def public_report(
    world: SimpleNamespace, *, now: datetime | None = None, **kwargs: Any
) -> Complaint:
    kwargs.setdefault("visibility", "public")
    return publish(world, file(world, now=now, **kwargs))


def reject(world: SimpleNamespace, complaint: Complaint) -> Complaint:
    services.complaint_verify(complaint=complaint, actor=world.coordinator)
    services.complaint_reject(complaint=complaint, actor=world.coordinator, reason="Bukan laporan")
    complaint.refresh_from_db()
    return complaint


def resolve(world: SimpleNamespace, complaint: Complaint) -> Complaint:
    """dispatched → in_progress → resolved (Open311 status ``closed``)."""
    services.complaint_start_work(
        complaint=complaint, actor=world.handler, estimate_date=date.today() + timedelta(days=7)
    )
    services.complaint_resolve(complaint=complaint, actor=world.handler, answer="Sudah ditambal.")
    complaint.refresh_from_db()
    return complaint
