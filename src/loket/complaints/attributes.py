"""Open311 extra attributes of a category: their definition and the values a report gives.

A definition (``Category.attributes``) is a list of::

    {"code": "LEBAR", "datatype": "number", "required": false, "description": "Lebar lubang (cm)",
     "order": 1, "variable": true, "datatype_description": "", "values": []}

``datatype`` is one of the GeoReport v2 types; ``singlevaluelist`` and ``multivaluelist`` need
``values`` as ``[{"key": "...", "name": "..."}]``. The values of a report are kept in
``Complaint.attributes`` keyed by code (lists for ``multivaluelist``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
LIST_TYPES = ("singlevaluelist", "multivaluelist")
MAX_VALUE_LENGTH = 1000


def validate_definitions(definitions: Any) -> list[dict[str, Any]]:
    """Check and normalise a category's attribute definitions; ValidationError when wrong."""
    if not isinstance(definitions, list):
        raise ValidationError(_("Atribut tambahan harus berupa daftar."))
    seen: set[str] = set()
    result: list[dict[str, Any]] = []
    for index, item in enumerate(definitions):
        if not isinstance(item, Mapping):
            raise ValidationError(_("Atribut ke-%(n)s tidak valid.") % {"n": index + 1})
        code = str(item.get("code") or "").strip()
        datatype = item.get("datatype")
        if not code or code in seen:
            raise ValidationError(_("Kode atribut kosong atau ganda: %(code)s") % {"code": code})
        if datatype not in DATATYPES:
            raise ValidationError(_("Jenis data atribut %(code)s tidak dikenal.") % {"code": code})
        values = item.get("values") or []
        if datatype in LIST_TYPES:
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, Mapping) and str(v.get("key", "")).strip() for v in values)
            ):
                raise ValidationError(
                    _("Atribut %(code)s memerlukan daftar pilihan.") % {"code": code}
                )
            values = [
                {"key": str(v["key"]), "name": str(v.get("name") or v["key"])} for v in values
            ]
        else:
            values = []
        seen.add(code)
        result.append(
            {
                "code": code,
                "datatype": datatype,
                "required": bool(item.get("required", False)),
                "variable": bool(item.get("variable", True)),
                "description": str(item.get("description") or code),
                "datatype_description": str(item.get("datatype_description") or ""),
                "order": int(item.get("order") or index + 1),
                "values": values,
            }
        )
    return sorted(result, key=lambda d: (d["order"], d["code"]))


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v) != ""]
    return [str(value)]


def clean_values(
    definitions: Sequence[Mapping[str, Any]], values: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The attribute values of a report, checked against the category's definitions.

    Unknown codes are refused (a client sending them has the wrong category); required ones
    must be present. Raises ValidationError with one message per attribute.
    """
    given = dict(values or {})
    known = {str(d["code"]): d for d in definitions}
    errors: dict[str, str] = {}
    for code in given:
        if code not in known:
            errors[code] = _("Atribut tidak dikenal untuk kategori ini.")
    cleaned: dict[str, Any] = {}
    for code, definition in known.items():
        raw = given.get(code)
        items = _as_list(raw)
        if not items:
            if definition.get("required") and definition.get("variable", True):
                errors[code] = _("Wajib diisi.")
            continue
        datatype = definition["datatype"]
        keys = {str(v["key"]) for v in definition.get("values") or []}
        if datatype == "multivaluelist":
            if any(item not in keys for item in items):
                errors[code] = _("Pilihan tidak tersedia.")
            else:
                cleaned[code] = items
            continue
        if len(items) > 1:
            errors[code] = _("Hanya satu nilai yang diterima.")
            continue
        value = items[0].strip()
        if len(value) > MAX_VALUE_LENGTH:
            errors[code] = _("Terlalu panjang.")
        elif datatype == "singlevaluelist":
            if value not in keys:
                errors[code] = _("Pilihan tidak tersedia.")
            else:
                cleaned[code] = value
        elif datatype == "number":
            try:
                number = float(value)
            except ValueError:
                errors[code] = _("Harus berupa angka.")
            else:
                cleaned[code] = int(number) if number.is_integer() else number
        elif datatype == "datetime":
            try:
                cleaned[code] = datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
            except ValueError:
                errors[code] = _("Harus berupa tanggal dan waktu (ISO 8601).")
        else:
            cleaned[code] = value
    if errors:
        raise ValidationError({f"attribute[{code}]": message for code, message in errors.items()})
    return cleaned
