"""Small builders for test data (plain functions over the real models)."""

from __future__ import annotations

import itertools

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
