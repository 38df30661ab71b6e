"""The Kemendagri region list: code shapes, reading a region CSV, and importing it.

A region file is UTF-8 CSV (optionally gzip-compressed, ``.csv.gz``) whose header names the
columns ``code`` and ``name``; other columns are ignored. Codes are dotted Kemendagri codes:
province ``18``, kabupaten/kota ``18.71``, kecamatan ``18.71.01``, desa/kelurahan
``18.71.01.1001``. Level and kind follow from the code alone, so the file carries neither.

An import is all or nothing: every line is checked first, and one bad line means nothing is
written. Regions already in the database but absent from the file are kept, so a file may add
one province's villages to a list that already holds the rest of the country.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from loket.core.audit import log_action
from loket.organizations.models import Region

BUNDLED_REGIONS = Path(__file__).resolve().parent / "data" / "regions.csv.gz"
MAX_REPORTED_ERRORS = 20
BATCH_SIZE = 1000

_CODE_RE = re.compile(r"[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{4})?)?)?")
_NAME_MAX: int = getattr(Region._meta.get_field("name"), "max_length", None) or 120

# Digits of the code by level: 2, 4, 6 and 10.
_LEVEL_BY_PARTS = {
    1: Region.Level.PROVINCE,
    2: Region.Level.REGENCY,
    3: Region.Level.DISTRICT,
    4: Region.Level.VILLAGE,
}
LEVEL_KEYS: Mapping[int, str] = {
    Region.Level.PROVINCE: "provinces",
    Region.Level.REGENCY: "regencies",
    Region.Level.DISTRICT: "districts",
    Region.Level.VILLAGE: "villages",
}


class InvalidRegionCode(ValueError):
    """A code that is not a well-formed dotted Kemendagri code."""


@dataclass(frozen=True)
class CodeInfo:
    """What a code says about itself."""

    code: str
    level: int
    kind: str
    parent_code: str | None


def describe_code(code: str) -> CodeInfo:
    """Level, kind and parent code of a dotted Kemendagri code, or :class:`InvalidRegionCode`.

    Kabupaten use 01 to 69 and kota 71 to 99 in the second part. In a village's last four digits the
    first is 1 for a kelurahan, 2 for a desa and 3 for a desa adat (Papua, Kepmendagri 2025),
    which is a desa too.
    """
    if not _CODE_RE.fullmatch(code):
        raise InvalidRegionCode(code)
    parts = code.split(".")
    level = _LEVEL_BY_PARTS[len(parts)]
    if parts[0] == "00":
        raise InvalidRegionCode(code)
    kind: str
    if level == Region.Level.PROVINCE:
        kind = Region.Kind.PROVINCE
    elif level == Region.Level.REGENCY:
        number = int(parts[1])
        if 1 <= number <= 69:
            kind = Region.Kind.KABUPATEN
        elif 71 <= number <= 99:
            kind = Region.Kind.KOTA
        else:
            raise InvalidRegionCode(code)
    elif level == Region.Level.DISTRICT:
        if parts[2] == "00":
            raise InvalidRegionCode(code)
        kind = Region.Kind.KECAMATAN
    else:
        village = parts[3]
        if village[0] == "1":
            kind = Region.Kind.KELURAHAN
        elif village[0] in "23":
            kind = Region.Kind.DESA
        else:
            raise InvalidRegionCode(code)
        if village[1:] == "000":
            raise InvalidRegionCode(code)
    parent = ".".join(parts[:-1]) or None
    return CodeInfo(code=code, level=level, kind=kind, parent_code=parent)


def is_valid_code(code: str) -> bool:
    """True for a well-formed dotted Kemendagri code."""
    try:
        describe_code(code)
    except InvalidRegionCode:
        return False
    return True


@dataclass(frozen=True)
class RegionRow:
    """One checked line of a region file."""

    line: int
    info: CodeInfo
    name: str


@dataclass(frozen=True)
class LineError:
    line: int
    message: str


class RegionFileError(Exception):
    """A region file that cannot be imported; ``message`` names the bad lines."""

    def __init__(self, errors: list[LineError], *, general: str = "") -> None:
        self.errors = errors
        self.general = general
        super().__init__(self.message)

    @property
    def lines(self) -> list[int]:
        return [error.line for error in self.errors]

    @property
    def message(self) -> str:
        if self.general:
            head = _("Berkas wilayah tidak diimpor: %(reason)s") % {"reason": self.general}
        else:
            head = _(
                "Berkas wilayah tidak diimpor: %(n)d baris bermasalah, tidak ada yang disimpan."
            ) % {"n": len(self.errors)}
        shown = [
            _("Baris %(line)d: %(message)s") % {"line": error.line, "message": error.message}
            for error in self.errors[:MAX_REPORTED_ERRORS]
        ]
        rest = len(self.errors) - MAX_REPORTED_ERRORS
        if rest > 0:
            shown.append(_("… dan %(n)d kesalahan lainnya.") % {"n": rest})
        return "\n".join([head, *shown])

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ImportResult:
    """What one import did."""

    created: int
    updated: int
    unchanged: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _open_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RegionFileError(
            [], general=_("berkas %(name)s tidak dapat dibaca.") % {"name": path.name}
        ) from exc
    if path.name.endswith(".gz") or raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise RegionFileError([], general=_("berkas gzip rusak.")) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegionFileError([], general=_("berkas bukan teks UTF-8.")) from exc


def parse_region_text(text: str) -> list[RegionRow]:
    """Check every line of a region CSV; raise :class:`RegionFileError` naming the bad lines.

    Parents are not checked here (they may already be in the database); duplicates are.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise RegionFileError([], general=_("berkas kosong.")) from None
    except csv.Error as exc:
        raise RegionFileError([LineError(1, _("baris CSV tidak sah."))]) from exc
    columns = [column.strip().lower() for column in header]
    if "code" not in columns or "name" not in columns:
        raise RegionFileError(
            [LineError(1, _("judul kolom harus memuat 'code' dan 'name' (contoh: code,name)."))]
        )
    code_at, name_at = columns.index("code"), columns.index("name")
    width = max(code_at, name_at) + 1

    rows: list[RegionRow] = []
    errors: list[LineError] = []
    first_line: dict[str, int] = {}
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:
            errors.append(LineError(reader.line_num, _("baris CSV tidak sah.")))
            continue
        line = reader.line_num
        if not record or all(not cell.strip() for cell in record):
            continue  # blank lines are harmless
        if len(record) < width:
            errors.append(LineError(line, _("kolom kode atau nama tidak ada.")))
            continue
        code, name = record[code_at].strip(), " ".join(record[name_at].split())
        try:
            info = describe_code(code)
        except InvalidRegionCode:
            errors.append(
                LineError(
                    line,
                    _(
                        "kode '%(code)s' tidak sah; gunakan kode Kemendagri bertitik seperti "
                        "18, 18.71, 18.71.01 atau 18.71.01.1001."
                    )
                    % {"code": code[:20]},
                )
            )
            continue
        if not name:
            errors.append(LineError(line, _("nama wilayah %(code)s kosong.") % {"code": code}))
            continue
        if len(name) > _NAME_MAX:
            errors.append(
                LineError(
                    line,
                    _("nama wilayah %(code)s lebih dari %(max)d karakter.")
                    % {"code": code, "max": _NAME_MAX},
                )
            )
            continue
        if code in first_line:
            errors.append(
                LineError(
                    line,
                    _("kode %(code)s ganda (sudah ada di baris %(first)d).")
                    % {"code": code, "first": first_line[code]},
                )
            )
            continue
        first_line[code] = line
        rows.append(RegionRow(line=line, info=info, name=name))
    if errors:
        raise RegionFileError(errors)
    if not rows:
        raise RegionFileError([], general=_("berkas tidak berisi satu pun wilayah."))
    return rows


def read_region_file(path: Path | str) -> list[RegionRow]:
    """Read and check a ``.csv`` or ``.csv.gz`` region file (parents not yet checked)."""
    return parse_region_text(_open_text(Path(path)))


def _check_parents(rows: list[RegionRow], existing: set[str]) -> None:
    in_file = {row.info.code for row in rows}
    errors = [
        LineError(
            row.line,
            _("induk %(parent)s dari kode %(code)s tidak ada di berkas maupun di basis data.")
            % {"parent": row.info.parent_code, "code": row.info.code},
        )
        for row in rows
        if row.info.parent_code is not None
        and row.info.parent_code not in in_file
        and row.info.parent_code not in existing
    ]
    if errors:
        raise RegionFileError(errors)


def import_region_rows(
    *, rows: list[RegionRow], actor: Any = None, source: str = ""
) -> ImportResult:
    """Create or rename the given regions in one transaction and write one audit event.

    Re-importing the same rows changes nothing but the audit trail. Parents must be in the rows
    or already in the database; otherwise :class:`RegionFileError` is raised and nothing is saved.
    """
    with transaction.atomic():
        existing: dict[str, str] = dict(Region.objects.values_list("code", "name"))
        _check_parents(rows, set(existing))

        to_create: list[Region] = []
        to_update: list[Region] = []
        unchanged = 0
        # Codes sort parents first, so a parent row is always written before its children.
        for row in sorted(rows, key=lambda r: r.info.code):
            info = row.info
            if info.code not in existing:
                to_create.append(
                    Region(
                        code=info.code,
                        name=row.name,
                        level=info.level,
                        kind=info.kind,
                        parent_id=info.parent_code,
                    )
                )
            elif existing[info.code] != row.name:
                to_update.append(Region(code=info.code, name=row.name))
            else:
                unchanged += 1
        Region.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        Region.objects.bulk_update(to_update, ["name"], batch_size=BATCH_SIZE)

        per_level = Counter(LEVEL_KEYS[row.info.level] for row in rows)
        counts = {key: per_level.get(key, 0) for key in LEVEL_KEYS.values()}
        result = ImportResult(
            created=len(to_create), updated=len(to_update), unchanged=unchanged, counts=counts
        )
        log_action(
            "regions.imported",
            actor=actor,
            object_type="organizations.region",
            payload={
                "counts": counts,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "source": source,
            },
        )
    return result


def import_regions(*, path: Path | str, actor: Any = None) -> ImportResult:
    """Import a ``.csv`` or ``.csv.gz`` region file: all lines or none (see module docstring)."""
    path = Path(path)
    rows = read_region_file(path)
    source = "bundled" if path.resolve() == BUNDLED_REGIONS else path.name[:100]
    return import_region_rows(rows=rows, actor=actor, source=source)


def import_bundled_regions(*, actor: Any = None) -> ImportResult:
    """Import the region list shipped with Loket (see docs/data-sources.md)."""
    return import_regions(path=BUNDLED_REGIONS, actor=actor)
