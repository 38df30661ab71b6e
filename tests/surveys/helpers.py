"""Builders for survey tests."""

from __future__ import annotations

import itertools

from loket.catalog.models import Service, Theme
from loket.organizations.models import Agency, Government

_seq = itertools.count(1)

HEADER = "service,date,U1,U2,U3,U4,U5,U6,U7,U8,U9,age,sex,education,occupation,suggestion"


def service(gov: Government, agency: Agency, slug: str | None = None) -> Service:
    n = next(_seq)
    theme, _ = Theme.objects.get_or_create(slug="tema-survei", defaults={"name": "Tema"})
    return Service.objects.create(
        government=gov,
        agency=agency,
        theme=theme,
        slug=slug or f"layanan-{n}",
        name=f"Layanan {n}",
        channel="both",
        time_limit_days=3,
        output="Surat",
    )


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()
