"""Reads Open311 needs beyond the complaints selectors: finding the desa/kelurahan a client's
free-text address names (GeoReport v2 has no field for it; see README.md "Region")."""

from __future__ import annotations

import re

from loket.organizations.models import Government, Region

MIN_NAME_LENGTH = 4
_KIND_WORDS = re.compile(r"^(desa|kelurahan|kel\.|kecamatan|kec\.)\s+", re.IGNORECASE)


def _bare(name: str) -> str:
    return " ".join(_KIND_WORDS.sub("", name.strip()).lower().split())


def _named(name: str, text: str) -> bool:
    return len(name) >= MIN_NAME_LENGTH and bool(
        re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
    )


def villages_named_in(*, government: Government, text: str) -> list[tuple[str, str]]:
    """``(code, name)`` of the desa/kelurahan of ``government`` whose name appears in ``text``
    as whole words, case-insensitive, "Desa"/"Kelurahan" prefixes ignored.

    When one matching name contains another ("Sukamenanti Baru" and "Sukamenanti") only the
    longer is kept; when several remain, those whose kecamatan is named in the text too are
    preferred. The caller accepts the answer only when exactly one is left. One query (a few
    thousand short rows at most, for a province).
    """
    haystack = " ".join(text.lower().split())
    if len(haystack) < MIN_NAME_LENGTH:
        return []
    rows = Region.objects.filter(
        level=Region.Level.VILLAGE, code__startswith=government.region_id + "."
    ).values_list("code", "name", "parent__name")
    found = [(code, name, _bare(parent or "")) for code, name, parent in rows]
    found = [row for row in found if _named(_bare(row[1]), haystack)]
    names = {_bare(name) for _, name, _ in found}
    found = [
        row
        for row in found
        if not any(_bare(row[1]) != other and _named(_bare(row[1]), other) for other in names)
    ]
    if len(found) > 1:
        narrowed = [row for row in found if row[2] and _named(row[2], haystack)]
        if narrowed:
            found = narrowed
    return [(code, name) for code, name, _ in found]
