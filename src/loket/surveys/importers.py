"""Reading paper-survey spreadsheets (CSV or XLSX), one row per respondent.

Columns (case-insensitive, Indonesian names accepted): ``service`` (the service slug),
``date`` (YYYY-MM-DD or DD/MM/YYYY), ``U1`` … ``U9`` (1-4, empty when not answered), and the
optional respondent profile ``age``, ``sex`` (L/P), ``education``, ``occupation``,
``suggestion``. The whole file is checked before anything is used: every bad row is reported
with its line number (the spreadsheet's own row number; the header is line 1).

XLSX is read with openpyxl in read-only mode: it streams the sheet, handles shared strings,
dates and numbers stored as floats, and is the same library used to write exported reports.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from loket.surveys.ikm import ELEMENTS, MAX_SCORE, MIN_SCORE
from loket.surveys.models import Education, Occupation, Sex

MAX_ROWS = 100_000
MAX_ERRORS = 500
MAX_SUGGESTION = 2000

REQUIRED_COLUMNS: tuple[str, ...] = ("service", "date", *ELEMENTS)
OPTIONAL_COLUMNS: tuple[str, ...] = ("age", "sex", "education", "occupation", "suggestion")

_ALIASES = {
    "service": "service", "layanan": "service", "jenis_layanan": "service",
    "date": "date", "tanggal": "date",
    "age": "age", "umur": "age", "usia": "age",
    "sex": "sex", "jenis_kelamin": "sex", "jk": "sex",
    "education": "education", "pendidikan": "education",
    "occupation": "occupation", "pekerjaan": "occupation",
    "suggestion": "suggestion", "saran": "suggestion",
}  # fmt: skip
_ALIASES.update({code.lower(): code for code in ELEMENTS})

_SEX = {"L": Sex.MALE, "LAKILAKI": Sex.MALE, "P": Sex.FEMALE, "PEREMPUAN": Sex.FEMALE}
_EDUCATION = {
    "SD": Education.SD, "SEKOLAHDASAR": Education.SD,
    "SMP": Education.SMP, "SLTP": Education.SMP, "MTS": Education.SMP,
    "SMA": Education.SMA, "SLTA": Education.SMA, "SMK": Education.SMA, "MA": Education.SMA,
    "D1": Education.DIPLOMA, "D2": Education.DIPLOMA, "D3": Education.DIPLOMA,
    "D4": Education.DIPLOMA, "DIPLOMA": Education.DIPLOMA, "D1D3D4": Education.DIPLOMA,
    "D1D2D3D4": Education.DIPLOMA, "D1D4": Education.DIPLOMA,
    "S1": Education.S1, "SARJANA": Education.S1,
    "S2": Education.S2_PLUS, "S3": Education.S2_PLUS, "S2KEATAS": Education.S2_PLUS,
    "S2S3": Education.S2_PLUS, "PASCASARJANA": Education.S2_PLUS,
}  # fmt: skip
_OCCUPATION = {
    "PNS": Occupation.PNS, "ASN": Occupation.PNS,
    "TNI": Occupation.TNI, "POLRI": Occupation.POLRI,
    "SWASTA": Occupation.PRIVATE, "PEGAWAISWASTA": Occupation.PRIVATE,
    "KARYAWANSWASTA": Occupation.PRIVATE,
    "WIRAUSAHA": Occupation.ENTREPRENEUR, "WIRASWASTA": Occupation.ENTREPRENEUR,
    "LAINNYA": Occupation.OTHER, "LAINLAIN": Occupation.OTHER, "LAIN2": Occupation.OTHER,
}  # fmt: skip

Cell = str | int | float | dt.date | dt.datetime | None


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("Baris %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class SurveyFileError(Exception):
    """The file cannot be used; ``errors`` lists every problem found, by line."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:3]))
        self.errors = list(errors)


@dataclass
class ParsedRow:
    line: int
    service: str
    answered_on: dt.date
    scores: dict[str, int | None]
    age: int | None = None
    sex: str = ""
    education: str = ""
    occupation: str = ""
    suggestion: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _key(value: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", value.upper())


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- reading the two file kinds into (line, cells) ----------------------------------------


def _read_csv(data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets saved as "CSV" on Windows use the ANSI code page.
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for cells in reader:
        yield start, list(cells)
        start = reader.line_num + 1


def _read_xlsx(data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [c if not isinstance(c, dt.time) else str(c) for c in row]
    finally:
        workbook.close()


def _rows(data: bytes, filename: str) -> Iterator[tuple[int, list[Cell]]]:
    if data[:4] == b"PK\x03\x04":
        try:
            yield from _read_xlsx(data)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise SurveyFileError(
                [RowError(1, _("Berkas XLSX tidak dapat dibaca: %(error)s") % {"error": exc})]
            ) from exc
        return
    if filename.lower().endswith((".xls", ".ods")):
        raise SurveyFileError([RowError(1, _("Gunakan berkas CSV atau XLSX."))])
    yield from _read_csv(data)


# --- checking cells --------------------------------------------------------------------------


def _parse_date(value: Cell, today: dt.date) -> tuple[dt.date | None, str]:
    if isinstance(value, dt.datetime):
        parsed: dt.date = value.date()
    elif isinstance(value, dt.date):
        parsed = value
    else:
        text = _text(value)
        if not text:
            return None, _("tanggal kosong.")
        parsed_or_none: dt.date | None = None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                parsed_or_none = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if parsed_or_none is None:
            return None, _(
                'tanggal "%(value)s" tidak valid; gunakan TTTT-BB-HH atau HH/BB/TTTT.'
            ) % {"value": text[:20]}
        parsed = parsed_or_none
    if parsed > today:
        return None, _("tanggal %(value)s belum terjadi.") % {"value": parsed.isoformat()}
    return parsed, ""


def _parse_score(code: str, value: Cell) -> tuple[int | None, str]:
    text = _text(value)
    if not text:
        return None, ""
    if re.fullmatch(r"\d+(\.0+)?", text):
        score = int(text.split(".")[0])
        if MIN_SCORE <= score <= MAX_SCORE:
            return score, ""
    return None, _('nilai %(code)s harus 1 sampai 4 atau kosong, bukan "%(value)s".') % {
        "code": code,
        "value": text[:10],
    }


def _parse_choice(value: Cell, table: dict[str, str], message: str) -> tuple[str, str]:
    text = _text(value)
    if not text:
        return "", ""
    choice = table.get(_key(text))
    if choice is None:
        return "", message % {"value": text[:30]}
    return str(choice), ""


def _parse_age(value: Cell) -> tuple[int | None, str]:
    text = _text(value)
    if not text:
        return None, ""
    if text.isdigit() and 10 <= int(text) <= 120:
        return int(text), ""
    return None, _('umur "%(value)s" tidak valid; tulis angka tahun 10 sampai 120.') % {
        "value": text[:10]
    }


def _header(cells: Sequence[Cell]) -> tuple[dict[str, int], list[RowError]]:
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        name = _ALIASES.get(re.sub(r"[\s\-]+", "_", _text(cell).lower()))
        if name is None:
            continue
        if name in positions:
            errors.append(
                RowError(1, _("kolom %(column)s muncul lebih dari sekali.") % {"column": name})
            )
        positions[name] = index
    missing = [c for c in REQUIRED_COLUMNS if c not in positions]
    if missing:
        errors.append(
            RowError(
                1,
                _("kolom wajib tidak ada: %(columns)s.") % {"columns": ", ".join(missing)},
            )
        )
    return positions, errors


def parse_survey_file(
    data: bytes,
    *,
    filename: str = "",
    today: dt.date | None = None,
    known_services: Callable[[set[str]], Collection[str]] | None = None,
) -> list[ParsedRow]:
    """Read and check a whole paper-survey file; raise :class:`SurveyFileError` listing every
    bad row (and return nothing) when any row is bad.

    ``known_services`` receives every service slug named in the file and returns those that
    exist, so unknown services are reported in the same pass as the other mistakes.
    """
    today = today or timezone.localdate()
    rows = _rows(data, filename)
    header_row = next(rows, None)
    if header_row is None:
        raise SurveyFileError([RowError(1, _("berkas kosong: tidak ada baris judul."))])
    positions, errors = _header(header_row[1])
    if errors:
        raise SurveyFileError(errors)

    parsed: list[ParsedRow] = []
    service_lines: list[tuple[int, str]] = []
    for line, cells in rows:
        if all(_text(c) == "" for c in cells):
            continue
        if len(parsed) >= MAX_ROWS:
            errors.append(
                RowError(line, _("terlalu banyak baris; paling banyak %(n)d.") % {"n": MAX_ROWS})
            )
            break

        def cell(name: str, cells: list[Cell] = cells) -> Cell:
            index = positions.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        problems: list[str] = []
        service = _text(cell("service")).lower()
        if not service:
            problems.append(_("layanan kosong."))
        else:
            service_lines.append((line, service))
        answered_on, problem = _parse_date(cell("date"), today)
        problems.append(problem)
        scores: dict[str, int | None] = {}
        for code in ELEMENTS:
            scores[code], problem = _parse_score(code, cell(code))
            problems.append(problem)
        if all(v is None for v in scores.values()) and not any(
            _text(cell(code)) for code in ELEMENTS
        ):
            problems.append(_("tidak ada unsur yang dijawab."))
        age, problem = _parse_age(cell("age"))
        problems.append(problem)
        sex, problem = _parse_choice(
            cell("sex"), dict(_SEX), _('jenis kelamin "%(value)s" tidak dikenal; tulis L atau P.')
        )
        problems.append(problem)
        education, problem = _parse_choice(
            cell("education"),
            dict(_EDUCATION),
            _('pendidikan "%(value)s" tidak dikenal; pilih SD, SMP, SMA, D1-D4, S1 atau S2.'),
        )
        problems.append(problem)
        occupation, problem = _parse_choice(
            cell("occupation"),
            dict(_OCCUPATION),
            _(
                'pekerjaan "%(value)s" tidak dikenal; pilih PNS, TNI, POLRI, Swasta, '
                "Wirausaha atau Lainnya."
            ),
        )
        problems.append(problem)
        suggestion = _text(cell("suggestion"))
        if len(suggestion) > MAX_SUGGESTION:
            problems.append(
                _("saran terlalu panjang; paling banyak %(n)d karakter.") % {"n": MAX_SUGGESTION}
            )

        real = [p for p in problems if p]
        if real:
            errors.extend(RowError(line, p) for p in real)
            if len(errors) >= MAX_ERRORS:
                break
            continue
        assert answered_on is not None
        parsed.append(
            ParsedRow(
                line=line,
                service=service,
                answered_on=answered_on,
                scores=scores,
                age=age,
                sex=sex,
                education=education,
                occupation=occupation,
                suggestion=suggestion,
            )
        )
    if known_services is not None and service_lines:
        known = set(known_services({slug for _line, slug in service_lines}))
        errors.extend(
            RowError(line, _('layanan "%(slug)s" tidak dikenal.') % {"slug": slug[:60]})
            for line, slug in service_lines
            if slug not in known
        )
        errors.sort(key=lambda e: e.line)
    if errors:
        raise SurveyFileError(errors)
    if not parsed:
        raise SurveyFileError([RowError(2, _("berkas tidak berisi responden."))])
    return parsed
