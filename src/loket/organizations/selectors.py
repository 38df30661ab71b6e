"""Reads for regions, governments and agencies. Writes live in services.py (and regions.py for
the region list import)."""

from __future__ import annotations

from django.db.models import QuerySet

from loket.organizations.models import Region
from loket.organizations.regions import is_valid_code

# ---------------------------------------------------------------------------------------------
# Regions (Kemendagri codes)
# ---------------------------------------------------------------------------------------------


def region_children(code: str | None = None) -> QuerySet[Region]:
    """The regions directly under ``code``, by name; the provinces when ``code`` is empty.

    An unknown or malformed code has no children.
    """
    if not code:
        return Region.objects.filter(parent__isnull=True).order_by("name", "code")
    return Region.objects.filter(parent_id=code).order_by("name", "code")


def region_path(code: str) -> list[Region]:
    """The region and its ancestors, province first (``18`` → ``18.71`` → ``18.71.01``).

    Empty when the code is malformed or not in the list.
    """
    if not is_valid_code(code):
        return []
    parts = code.split(".")
    prefixes = [".".join(parts[: i + 1]) for i in range(len(parts))]
    found = {region.code: region for region in Region.objects.filter(code__in=prefixes)}
    if code not in found:
        return []
    return [found[prefix] for prefix in prefixes if prefix in found]


def region_by_code(code: str) -> Region | None:
    """The region with this dotted code, or None."""
    if not is_valid_code(code):
        return None
    return Region.objects.filter(code=code).first()


def is_known_nik_region(six_digits: str) -> bool:
    """True when the first six digits of a NIK name a kecamatan in the region list."""
    if len(six_digits) != 6 or not six_digits.isascii() or not six_digits.isdigit():
        return False
    code = f"{six_digits[:2]}.{six_digits[2:4]}.{six_digits[4:6]}"
    return Region.objects.filter(code=code, level=Region.Level.DISTRICT).exists()


# ---------------------------------------------------------------------------------------------
# End of regions
# ---------------------------------------------------------------------------------------------
