"""Form and workflow definitions as data: checking them when saved, and cleaning the values a
citizen submits against them.

A form definition is ``fields`` (list) plus ``requirements`` (list)::

    {"code": "usaha", "type": "choice", "label": "Jenis usaha", "label_en": "Business type",
     "help": "…", "help_en": "…", "required": true,
     "choices": [{"value": "toko", "label": "Toko", "label_en": "Shop"}],
     "show_if": {"field": "punya_usaha", "value": "ya"}}

Types: text, textarea, number (``min``/``max``), date, choice, multichoice (``choices``), nik,
phone, email, region (``level`` 1–4, default 4: a desa/kelurahan), location, file (``kinds``
among pdf/image and ``max_mb``), consent. ``show_if`` shows a field when another field has
a value (``value`` given: that value, or contained in a multichoice; omitted: any value).
Conditions are checked when the definition is saved: unknown fields, a field depending on
itself, cycles and values that are not among the other field's choices are refused.

Requirements: ``{"code", "label", "label_en", "help", "help_en", "kinds", "max_mb",
"required"}``. Field and requirement codes share one namespace.

Workflow definitions: ``steps`` = ``[{"name", "role", "days"}, …]`` (at least one; the role
must be one that may process applications) and ``overall_days``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from loket.accounts import nik as nik_module
from loket.accounts.phone import normalize_phone
from loket.core.models import StoredFile
from loket.core.permissions import APPLICATION_PROCESS, ROLE_CAPABILITIES
from loket.organizations.models import Region, Role

FIELD_TYPES: tuple[str, ...] = (
    "text",
    "textarea",
    "number",
    "date",
    "choice",
    "multichoice",
    "nik",
    "phone",
    "email",
    "region",
    "location",
    "file",
    "consent",
)
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TEXT_MAX = 200
TEXTAREA_MAX = 4000
MAX_FIELDS = 60
MAX_REQUIREMENTS = 20
MAX_STEPS = 20
MAX_STEP_DAYS = 365
FILE_KINDS = {"pdf": StoredFile.Kind.PDF, "image": StoredFile.Kind.IMAGE}
# Rough bounding box of Indonesia: a pin outside it is a typing or tapping mistake.
LAT_RANGE = (-11.5, 6.5)
LNG_RANGE = (94.0, 141.5)


class DefinitionError(ValidationError):
    """A definition that cannot be saved; ``messages`` lists every problem, in Indonesian."""


def processing_roles() -> list[str]:
    """Roles that may act at a workflow step (they hold APPLICATION_PROCESS)."""
    return [role for role, caps in ROLE_CAPABILITIES.items() if APPLICATION_PROCESS in caps]


# --- parsed definitions ---------------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    label_en: str

    def text(self) -> str:
        return _localized(self.label, self.label_en)


@dataclass(frozen=True)
class Condition:
    field: str
    value: str | None  # None: any value


@dataclass(frozen=True)
class FieldSpec:
    code: str
    type: str
    label: str
    label_en: str = ""
    help: str = ""
    help_en: str = ""
    required: bool = False
    choices: tuple[Choice, ...] = ()
    show_if: Condition | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    level: int = Region.Level.VILLAGE
    kinds: tuple[str, ...] = ("pdf", "image")
    max_mb: int = 2

    def text(self) -> str:
        return _localized(self.label, self.label_en)

    def help_text(self) -> str:
        return _localized(self.help, self.help_en)

    @property
    def is_file(self) -> bool:
        return self.type == "file"

    @property
    def allowed_kinds(self) -> frozenset[str]:
        return frozenset(FILE_KINDS[k] for k in self.kinds)

    @property
    def max_bytes(self) -> int:
        return self.max_mb * 1024 * 1024

    def choice_label(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.text()
        return value


@dataclass(frozen=True)
class FormSpec:
    fields: tuple[FieldSpec, ...]
    requirements: tuple[FieldSpec, ...]  # type "file"
    _by_code: dict[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for spec in (*self.fields, *self.requirements):
            self._by_code[spec.code] = spec

    def get(self, code: str) -> FieldSpec | None:
        return self._by_code.get(code)

    @property
    def data_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if not f.is_file)

    @property
    def document_codes(self) -> tuple[str, ...]:
        """Codes kept as uploaded documents: file fields and requirements."""
        return tuple(f.code for f in (*self.fields, *self.requirements) if f.is_file)

    def visible(self, values: Mapping[str, Any], documents: Iterable[str] = ()) -> set[str]:
        """Codes of the fields shown for ``values`` (conditions are acyclic, checked on save)."""
        present = set(documents)
        shown: dict[str, bool] = {}

        def is_shown(spec: FieldSpec, depth: int = 0) -> bool:
            if spec.code in shown:
                return shown[spec.code]
            result = True
            cond = spec.show_if
            if cond is not None and depth < MAX_FIELDS:
                other = self._by_code.get(cond.field)
                if other is None or not is_shown(other, depth + 1):
                    result = False
                else:
                    result = _matches(other, values.get(other.code), cond, other.code in present)
            shown[spec.code] = result
            return result

        return {spec.code for spec in self.fields if is_shown(spec)} | {
            r.code for r in self.requirements
        }


def _matches(other: FieldSpec, value: Any, cond: Condition, has_document: bool) -> bool:
    if other.is_file:
        return has_document
    if cond.value is None:
        return not _is_empty(value)
    if isinstance(value, list):
        return cond.value in value
    if isinstance(value, bool):
        return cond.value == ("true" if value else "false")
    return value is not None and str(value) == cond.value


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


def _localized(text: str, text_en: str) -> str:
    if text_en and (get_language() or "id").startswith("en"):
        return text_en
    return text


# --- checking definitions -------------------------------------------------------------------
def _text(raw: Mapping[str, Any], key: str, limit: int = 300) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str):
        return ""
    return value.strip()[:limit]


def _number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidOperation
    return Decimal(str(value))


def _parse_field(raw: Any, where: str, problems: list[str], *, requirement: bool) -> FieldSpec:
    if not isinstance(raw, Mapping):
        problems.append(_("%(where)s: harus berupa objek.") % {"where": where})
        return FieldSpec(code="", type="text", label="")
    code = raw.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        problems.append(
            _(
                "%(where)s: kode wajib diisi, diawali huruf kecil, hanya huruf kecil, angka dan "
                "garis bawah (maks. 40)."
            )
            % {"where": where}
        )
        code = ""
    where = f"{where} ({code})" if code else where
    kind = "file" if requirement else raw.get("type")
    if kind not in FIELD_TYPES:
        problems.append(
            _("%(where)s: jenis isian tidak dikenal. Pilih salah satu: %(types)s.")
            % {"where": where, "types": ", ".join(FIELD_TYPES)}
        )
        kind = "text"
    label = _text(raw, "label")
    if not label:
        problems.append(_("%(where)s: label wajib diisi.") % {"where": where})
    required = raw.get("required", requirement)
    if not isinstance(required, bool):
        problems.append(_('%(where)s: "required" harus true atau false.') % {"where": where})
        required = False
    choices: list[Choice] = []
    if kind in ("choice", "multichoice"):
        raw_choices = raw.get("choices")
        if not isinstance(raw_choices, list) or not raw_choices:
            problems.append(_("%(where)s: pilihan wajib diisi.") % {"where": where})
            raw_choices = []
        seen: set[str] = set()
        for item in raw_choices:
            value = item.get("value") if isinstance(item, Mapping) else None
            if not isinstance(value, str) or not value.strip():
                problems.append(_("%(where)s: setiap pilihan perlu nilai.") % {"where": where})
                continue
            if value in seen:
                problems.append(
                    _("%(where)s: pilihan „%(value)s” ganda.") % {"where": where, "value": value}
                )
            seen.add(value)
            choices.append(
                Choice(
                    value=value,
                    label=_text(item, "label") or value,
                    label_en=_text(item, "label_en"),
                )
            )
    low = high = None
    if kind == "number":
        try:
            low, high = _number(raw.get("min")), _number(raw.get("max"))
        except (InvalidOperation, ValueError):
            problems.append(_("%(where)s: batas min/max harus angka.") % {"where": where})
        if low is not None and high is not None and low > high:
            problems.append(_("%(where)s: min lebih besar dari max.") % {"where": where})
    level = raw.get("level", Region.Level.VILLAGE)
    if kind == "region" and (not isinstance(level, int) or not 1 <= level <= 4):
        problems.append(_("%(where)s: tingkat wilayah harus 1–4.") % {"where": where})
        level = Region.Level.VILLAGE
    kinds: tuple[str, ...] = ("pdf", "image")
    max_mb = 2
    if kind == "file":
        raw_kinds = raw.get("kinds", ["pdf", "image"])
        if (
            not isinstance(raw_kinds, list)
            or not raw_kinds
            or any(k not in FILE_KINDS for k in raw_kinds)
        ):
            problems.append(
                _('%(where)s: jenis berkas harus daftar berisi "pdf" dan/atau "image".')
                % {"where": where}
            )
        else:
            kinds = tuple(dict.fromkeys(raw_kinds))
        limit_mb = settings.LOKET_UPLOAD_MAX_BYTES // (1024 * 1024)
        raw_mb = raw.get("max_mb", 2)
        if isinstance(raw_mb, bool) or not isinstance(raw_mb, int) or not 1 <= raw_mb <= limit_mb:
            problems.append(
                _("%(where)s: ukuran maksimum harus 1–%(limit)s MB.")
                % {"where": where, "limit": limit_mb}
            )
        else:
            max_mb = raw_mb
    condition = None
    raw_cond = raw.get("show_if")
    if raw_cond is not None and not requirement:
        cond_field = raw_cond.get("field") if isinstance(raw_cond, Mapping) else None
        cond_value = raw_cond.get("value") if isinstance(raw_cond, Mapping) else None
        if not isinstance(cond_field, str) or not (
            cond_value is None or isinstance(cond_value, str | bool)
        ):
            problems.append(
                _('%(where)s: syarat tampil harus {"field": kode, "value": nilai}.')
                % {"where": where}
            )
        else:
            if isinstance(cond_value, bool):
                cond_value = "true" if cond_value else "false"
            condition = Condition(field=cond_field, value=cond_value)
    return FieldSpec(
        code=code,
        type=str(kind),
        label=label,
        label_en=_text(raw, "label_en"),
        help=_text(raw, "help", 1000),
        help_en=_text(raw, "help_en", 1000),
        required=required,
        choices=tuple(choices),
        show_if=condition,
        min=low,
        max=high,
        level=level,
        kinds=kinds,
        max_mb=max_mb,
    )


def _check_conditions(fields: list[FieldSpec], problems: list[str]) -> None:
    by_code = {f.code: f for f in fields if f.code}
    for spec in fields:
        cond = spec.show_if
        if cond is None:
            continue
        other = by_code.get(cond.field)
        if cond.field == spec.code:
            problems.append(
                _("Isian %(code)s: syarat tampil tidak boleh merujuk dirinya sendiri.")
                % {"code": spec.code}
            )
        elif other is None:
            problems.append(
                _("Isian %(code)s: syarat tampil merujuk isian „%(other)s” yang tidak ada.")
                % {"code": spec.code, "other": cond.field}
            )
        elif cond.value is not None:
            if other.type in ("choice", "multichoice"):
                if cond.value not in {c.value for c in other.choices}:
                    problems.append(
                        _("Isian %(code)s: nilai „%(value)s” bukan pilihan isian %(other)s.")
                        % {"code": spec.code, "value": cond.value, "other": other.code}
                    )
            elif other.type == "consent" and cond.value not in ("true", "false"):
                problems.append(
                    _("Isian %(code)s: nilai untuk persetujuan harus true atau false.")
                    % {"code": spec.code}
                )
            elif other.type in ("file", "location", "nik"):
                problems.append(
                    _('Isian %(code)s: isian %(other)s hanya dapat disyaratkan "terisi".')
                    % {"code": spec.code, "other": other.code}
                )
    # Each field has at most one condition: follow the chain from every field to find cycles.
    reported: set[str] = set()
    for spec in fields:
        path: list[str] = []
        current: FieldSpec | None = spec
        while current is not None and current.show_if is not None:
            if current.code in path:
                cycle = path[path.index(current.code) :]
                key = min(cycle)
                if key not in reported:
                    reported.add(key)
                    problems.append(
                        _("Syarat tampil membentuk lingkaran: %(cycle)s.")
                        % {"cycle": " → ".join([*cycle, current.code])}
                    )
                break
            path.append(current.code)
            current = by_code.get(current.show_if.field)
            if current is not None and current.code == path[-1]:
                break  # self-reference, reported above


def parse_form(fields: Any, requirements: Any) -> FormSpec:
    """Check a form definition; return it parsed or raise :class:`DefinitionError` with every
    problem found."""
    problems: list[str] = []
    if not isinstance(fields, list):
        problems.append(_("Daftar isian harus berupa daftar (list)."))
        fields = []
    if not isinstance(requirements, list):
        problems.append(_("Daftar dokumen persyaratan harus berupa daftar (list)."))
        requirements = []
    if not fields and not requirements:
        problems.append(_("Formulir perlu sedikitnya satu isian atau dokumen persyaratan."))
    if len(fields) > MAX_FIELDS or len(requirements) > MAX_REQUIREMENTS:
        problems.append(_("Terlalu banyak isian atau dokumen persyaratan."))
    parsed = [
        _parse_field(raw, _("Isian %(n)s") % {"n": i}, problems, requirement=False)
        for i, raw in enumerate(fields[:MAX_FIELDS], start=1)
    ]
    reqs = [
        _parse_field(raw, _("Dokumen %(n)s") % {"n": i}, problems, requirement=True)
        for i, raw in enumerate(requirements[:MAX_REQUIREMENTS], start=1)
    ]
    seen: set[str] = set()
    for spec in (*parsed, *reqs):
        if spec.code and spec.code in seen:
            problems.append(_("Kode „%(code)s” dipakai lebih dari sekali.") % {"code": spec.code})
        seen.add(spec.code)
    _check_conditions(parsed, problems)
    if problems:
        raise DefinitionError(problems)
    return FormSpec(fields=tuple(parsed), requirements=tuple(reqs))


@dataclass(frozen=True)
class StepSpec:
    name: str
    role: str
    days: int


def parse_workflow(steps: Any, overall_days: Any) -> list[StepSpec]:
    """Check a workflow definition; return its steps or raise :class:`DefinitionError`."""
    problems: list[str] = []
    parsed: list[StepSpec] = []
    roles = processing_roles()
    if not isinstance(steps, list) or not steps:
        problems.append(_("Alur kerja perlu sedikitnya satu langkah."))
        steps = []
    if len(steps) > MAX_STEPS:
        problems.append(_("Alur kerja paling banyak %(n)s langkah.") % {"n": MAX_STEPS})
    total = 0
    for i, raw in enumerate(steps[:MAX_STEPS], start=1):
        if not isinstance(raw, Mapping):
            problems.append(_("Langkah %(n)s: harus berupa objek.") % {"n": i})
            continue
        name = _text(raw, "name", 120)
        role = raw.get("role")
        days = raw.get("days")
        if not name:
            problems.append(_("Langkah %(n)s: nama wajib diisi.") % {"n": i})
        if role not in roles:
            labels = ", ".join(f"{r} ({Role(r).label})" for r in roles)
            problems.append(
                _("Langkah %(n)s: peran harus salah satu dari %(roles)s.")
                % {"n": i, "roles": labels}
            )
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_STEP_DAYS:
            problems.append(
                _("Langkah %(n)s: batas waktu harus 1–%(max)s hari kerja.")
                % {"n": i, "max": MAX_STEP_DAYS}
            )
            days = 0
        total += days
        parsed.append(StepSpec(name=name, role=str(role), days=days))
    if (
        isinstance(overall_days, bool)
        or not isinstance(overall_days, int)
        or not 1 <= overall_days <= MAX_STEP_DAYS
    ):
        problems.append(
            _("Batas waktu keseluruhan harus 1–%(max)s hari kerja.") % {"max": MAX_STEP_DAYS}
        )
    elif parsed and total > overall_days:
        problems.append(
            _(
                "Jumlah batas waktu langkah (%(total)s hari kerja) melebihi batas keseluruhan "
                "(%(overall)s hari kerja)."
            )
            % {"total": total, "overall": overall_days}
        )
    if problems:
        raise DefinitionError(problems)
    return parsed


# --- cleaning submitted values --------------------------------------------------------------
class RawValues(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...

    def __contains__(self, key: object) -> bool: ...


def _clean_text(spec: FieldSpec, raw: str, limit: int) -> str:
    value = raw.strip()
    if len(value) > limit:
        raise ValidationError(_("Paling banyak %(n)s karakter.") % {"n": limit})
    return value


def _clean_number(spec: FieldSpec, raw: str) -> str:
    text = raw.strip().replace(" ", "")
    # Indonesian writing: 1.500.000,50 — dots group thousands, a comma marks decimals.
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Masukkan angka.")) from None
    if not number.is_finite() or abs(number) >= Decimal("1e15"):
        raise ValidationError(_("Masukkan angka."))
    if spec.min is not None and number < spec.min:
        raise ValidationError(_("Paling kecil %(n)s.") % {"n": spec.min})
    if spec.max is not None and number > spec.max:
        raise ValidationError(_("Paling besar %(n)s.") % {"n": spec.max})
    return format(number.normalize(), "f")


def _clean_date(spec: FieldSpec, raw: str) -> str:
    try:
        return dt.date.fromisoformat(raw.strip()).isoformat()
    except ValueError:
        raise ValidationError(_("Masukkan tanggal yang sah (TTTT-BB-HH).")) from None


def _clean_choice(spec: FieldSpec, raw: str) -> str:
    if raw not in {c.value for c in spec.choices}:
        raise ValidationError(_("Pilih salah satu pilihan yang tersedia."))
    return raw


def _clean_nik(spec: FieldSpec, raw: str) -> dict[str, str]:
    number = nik_module.validate(raw)
    return {
        "ciphertext": nik_module.encrypt(number),
        "index": nik_module.blind_index(number),
        "masked": nik_module.mask(number),
    }


def _clean_phone(spec: FieldSpec, raw: str) -> str:
    phone = normalize_phone(raw)
    if phone is None:
        raise ValidationError(_("Masukkan nomor ponsel Indonesia, misalnya 0812 3456 7890."))
    return phone


def _clean_email(spec: FieldSpec, raw: str) -> str:
    value = raw.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(_("Masukkan alamat email yang sah.")) from None
    return value


def _clean_region(spec: FieldSpec, raw: str) -> str:
    region = Region.objects.filter(code=raw.strip()).only("code", "level").first()
    if region is None:
        raise ValidationError(_("Pilih wilayah dari daftar."))
    if region.level != spec.level:
        raise ValidationError(
            _("Pilih wilayah sampai tingkat %(level)s.") % {"level": Region.Level(spec.level).label}
        )
    return region.code


_SCALAR_CLEANERS: dict[str, Callable[[FieldSpec, str], Any]] = {
    "text": lambda spec, raw: _clean_text(spec, raw, TEXT_MAX),
    "textarea": lambda spec, raw: _clean_text(spec, raw, TEXTAREA_MAX),
    "number": _clean_number,
    "date": _clean_date,
    "choice": _clean_choice,
    "nik": _clean_nik,
    "phone": _clean_phone,
    "email": _clean_email,
    "region": _clean_region,
}


def _coordinate(raw: Any, bounds: tuple[float, float]) -> float:
    value = float(str(raw).strip().replace(",", "."))
    if not bounds[0] <= value <= bounds[1]:
        raise ValueError
    return round(value, 6)


def clean_field(spec: FieldSpec, raw: RawValues) -> Any:
    """The cleaned value of one non-file field from the posted ``raw`` values (None when
    empty); raises ``ValidationError`` with a message that never repeats personal data."""
    code = spec.code
    if spec.type == "multichoice":
        picked = [str(v) for v in raw.getlist(code) if str(v).strip()]
        allowed = [c.value for c in spec.choices]
        if any(v not in allowed for v in picked):
            raise ValidationError(_("Pilih dari pilihan yang tersedia."))
        return [v for v in allowed if v in picked] or None
    if spec.type == "consent":
        return str(raw.get(code, "")).lower() in ("on", "true", "1", "ya")
    if spec.type == "location":
        lat, lng = raw.get(f"{code}_lat", ""), raw.get(f"{code}_lng", "")
        if not str(lat or "").strip() and not str(lng or "").strip():
            return None
        try:
            return {"lat": _coordinate(lat, LAT_RANGE), "lng": _coordinate(lng, LNG_RANGE)}
        except (TypeError, ValueError):
            raise ValidationError(_("Tandai lokasi di peta (di wilayah Indonesia).")) from None
    value = raw.get(code, "")
    text = str(value if value is not None else "")
    if not text.strip():
        return None
    return _SCALAR_CLEANERS[spec.type](spec, text)


def is_posted_strict(spec: FieldSpec, raw: RawValues) -> bool:
    """Whether the request carries a value for ``spec`` at all (key present)."""
    if spec.type == "location":
        return f"{spec.code}_lat" in raw or f"{spec.code}_lng" in raw
    return spec.code in raw


def same_value(spec: FieldSpec, old: Any, new: Any) -> bool:
    """Whether two cleaned values are the same (NIKs compare by blind index)."""
    if spec.type == "nik":
        old_index = old.get("index") if isinstance(old, Mapping) else None
        new_index = new.get("index") if isinstance(new, Mapping) else None
        return old_index == new_index
    if spec.type == "consent":
        return bool(old) == bool(new)
    return (old if not _is_empty(old) else None) == (new if not _is_empty(new) else None)


def missing_required(
    spec: FormSpec, values: Mapping[str, Any], documents: Iterable[str]
) -> dict[str, str]:
    """Required fields and documents that are visible and empty: code → message."""
    present = set(documents)
    visible = spec.visible(values, present)
    errors: dict[str, str] = {}
    for item in (*spec.fields, *spec.requirements):
        if not item.required or item.code not in visible:
            continue
        if item.is_file:
            if item.code not in present:
                errors[item.code] = _("Unggah dokumen ini.")
        elif item.type == "consent":
            if values.get(item.code) is not True:
                errors[item.code] = _("Centang persetujuan ini untuk melanjutkan.")
        elif _is_empty(values.get(item.code)):
            errors[item.code] = _("Wajib diisi.")
    return errors


def display_value(spec: FieldSpec, value: Any) -> str:
    """A value as people read it (NIK masked, choices by label)."""
    if _is_empty(value) and spec.type != "consent":
        return ""
    if spec.type == "nik":
        return str(value.get("masked", "")) if isinstance(value, Mapping) else ""
    if spec.type == "choice":
        return spec.choice_label(str(value))
    if spec.type == "multichoice":
        return ", ".join(spec.choice_label(str(v)) for v in value)
    if spec.type == "consent":
        return _("Ya") if value else _("Tidak")
    if spec.type == "location" and isinstance(value, Mapping):
        return f"{value.get('lat')}, {value.get('lng')}"
    if spec.type == "region":
        region = Region.objects.filter(code=value).only("name").first()
        return f"{region.name} ({value})" if region else str(value)
    return str(value)


def to_posted(spec: FieldSpec, value: Any) -> Any:
    """The stored value in the shape a form input shows it (NIK never shown in full)."""
    if value is None:
        return ""
    if spec.type == "nik":
        return ""
    return value
