"""Small builders for test data (plain functions over the real models)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from loket.accounts.models import User
from loket.organizations.models import Agency, Government, Membership, Region

_seq = itertools.count(1)
OFFICER_PASSWORD = "Kuat-Sandi-2026!"


def region(code: str, name: str | None = None) -> Region:
    parts = code.split(".")
    level = len(parts)
    parent = region(".".join(parts[:-1])) if level > 1 else None
    kind = {
        1: "provinsi",
        2: "kota" if int(parts[-1]) >= 71 else "kabupaten",
        3: "kecamatan",
        4: "kelurahan" if parts[-1].startswith("1") else "desa",
    }[level]
    obj, _ = Region.objects.get_or_create(
        code=code,
        defaults={
            "name": name or f"Wilayah {code}",
            "level": level,
            "kind": kind,
            "parent": parent,
        },
    )
    return obj


def government(code: str = "18.71", slug: str | None = None) -> Government:
    n = next(_seq)
    return Government.objects.create(
        region=region(code),
        name=f"Pemda {code}",
        slug=slug or f"pemda-{n}",
        tracking_prefix=f"T{n:03d}"[:6],
    )


def agency(gov: Government, slug: str | None = None) -> Agency:
    n = next(_seq)
    return Agency.objects.create(government=gov, name=f"Dinas {n}", slug=slug or f"dinas-{n}")


def citizen(email: str | None = None) -> User:
    n = next(_seq)
    return User.objects.create_user(
        email=email or f"warga{n}@contoh.id", password="sandi-warga-123", full_name=f"Warga {n}"
    )


def officer(agency_: Agency, role: str, email: str | None = None) -> User:
    n = next(_seq)
    user = User.objects.create_user(
        email=email or f"petugas{n}@contoh.id",
        password=OFFICER_PASSWORD,
        full_name=f"Petugas {n}",
        kind=User.Kind.OFFICER,
    )
    Membership.objects.create(user=user, agency=agency_, role=role)
    return user


def with_totp(user: User) -> str:
    """Give the user a TOTP authenticator; returns the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def complaint_submitter(org: Any) -> Callable[..., Any]:
    """``make(**overrides)`` files a report for the fixture ``org`` (its kota, ``road``
    category, ``village``, a pin at Tugu Adipura and ``reporter``) and returns the Complaint."""
    from loket.complaints import services

    def make(**kwargs: Any) -> Any:
        data = {
            "government": org.gov,
            "category": org.road,
            "title": "Jalan berlubang",
            "description": "Lubang besar di depan sekolah, membahayakan pengendara motor.",
            "region": org.village,
            "latitude": -5.4292,
            "longitude": 105.2610,
            "reporter": org.reporter,
        }
        data.update(kwargs)
        return services.complaint_submit(**data).complaint

    return make


def file_as_guest(org: Any, **contact: Any) -> tuple[Any, str]:
    """A public report filed without an account for the fixture ``org`` (its ``trash``
    category, ``village``, a pin at Tugu Adipura); ``contact``: ``guest_email``,
    ``guest_phone``, ``guest_language``. Returns the Complaint and the guest's token."""
    from loket.complaints import services

    result = services.complaint_submit(
        government=org.gov,
        category=org.trash,
        title="Sampah menumpuk di pasar",
        description="Sampah tidak diangkut sejak seminggu, bau menyengat.",
        region=org.village,
        latitude=-5.4292,
        longitude=105.2610,
        visibility="public",
        reporter=None,
        guest_name="Ibu Tamu",
        **contact,
    )
    return result.complaint, result.guest_token


def complaint_driver(org: Any, submit: Callable[..., Any]) -> Callable[..., Any]:
    """``make(state, **overrides)`` files a report with ``submit`` and brings it to ``state``
    through the services, the officers of the fixture ``org`` acting (coordinator, ``pupr``
    and its handler, the ``reporter``)."""
    from datetime import date, timedelta

    from loket.complaints import services
    from loket.complaints.models import Complaint

    def make(state: str = "received", **kwargs) -> Any:
        c = submit(**kwargs)
        if state == "received":
            return c
        services.complaint_verify(complaint=c, actor=org.coordinator)
        if state == "verification":
            return c
        if state == "rejected":
            services.complaint_reject(complaint=c, actor=org.coordinator, reason="Bukan laporan")
            return c
        if state == "merged":
            other = submit()
            services.complaint_merge(complaint=c, into=other, actor=org.coordinator)
            return c
        if state == "forwarded":
            # forward ends in "received" at the other government; stop half-way for the table
            Complaint.objects.filter(pk=c.pk).update(state="forwarded")
            c.refresh_from_db()
            return c
        services.complaint_dispatch(complaint=c, actor=org.coordinator, agency=org.pupr)
        if state == "dispatched":
            return c
        services.complaint_start_work(
            complaint=c, actor=org.handler, estimate_date=date.today() + timedelta(days=7)
        )
        if state == "in_progress":
            return c
        if state == "waiting":
            services.complaint_ask_reporter(complaint=c, actor=org.handler, question="Di mana?")
            return c
        c.category.requires_after_photo = False
        services.complaint_resolve(complaint=c, actor=org.handler, answer="Sudah ditambal.")
        if state == "resolved":
            return c
        services.complaint_confirm(complaint=c, user=org.reporter, rating=5)
        if state == "closed":
            return c
        services.complaint_reopen(complaint=c, user=org.reporter, reason="Berlubang lagi")
        assert state == "reopened"
        return c

    return make
