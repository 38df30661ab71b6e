"""A report in the security/a11y test world (tests/security/objects.py): filed by
``world.citizen``, verified by a coordinator and dispatched to ``world.agency``, whose
supervisor is ``world.officer``. Used by tests/a11y/pages.py and tests/security/xss.py."""

from __future__ import annotations

from typing import Any

from loket.complaints import services
from loket.complaints.models import Category
from loket.organizations.models import Role
from tests import factories

PIN = (-5.4292, 105.2610)


def coordinator(world: Any) -> Any:
    if "cmp_coordinator" not in world.cache:
        user = factories.officer(world.other_agency, Role.COORDINATOR)
        factories.with_totp(user)
        world.cache["cmp_coordinator"] = {"obj": user}
    return world.cache["cmp_coordinator"]["obj"]


def office_complaint(world: Any, **overrides: Any) -> Any:
    """A dispatched report of ``world.government`` with ``world.agency``."""
    category, _created = Category.objects.get_or_create(
        government=world.government,
        service_code=f"W{world.government.pk}-JALAN",
        defaults={"name": "Jalan rusak"},
    )
    village = factories.region(f"{world.government.region_id}.01.1001", "Kelurahan Satu")
    data: dict[str, Any] = {
        "government": world.government,
        "category": category,
        "title": "Jalan berlubang",
        "description": "Lubang besar di depan sekolah.",
        "region": village,
        "latitude": PIN[0],
        "longitude": PIN[1],
        "reporter": world.citizen,
        "visibility": "public",
        "identity": "shown",
    }
    data.update(overrides)
    complaint = services.complaint_submit(**data).complaint
    boss = coordinator(world)
    services.complaint_verify(complaint=complaint, actor=boss)
    services.complaint_dispatch(complaint=complaint, actor=boss, agency=world.agency)
    return complaint


def cached_complaint(world: Any) -> Any:
    if "cmp_office_complaint" not in world.cache:
        world.cache["cmp_office_complaint"] = {"obj": office_complaint(world)}
    return world.cache["cmp_office_complaint"]["obj"]
