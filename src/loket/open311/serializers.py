"""Domain data → GeoReport v2 shapes, and the POST form → ``complaint_submit`` arguments.

Everything public comes from :func:`loket.complaints.selectors.public_view` dicts; nothing
here reads a reporter. Times are W3C date-times in the installation's time zone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.complaints.attributes import validate_definitions
from loket.complaints.models import Category, Identity, Visibility

logger = logging.getLogger("loket.open311")

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
SERVICE_TYPE = "realtime"
# Attribute codes Loket adds to every service definition (a category may not use them).
REGION = "region"
VISIBILITY = "visibility"
IDENTITY = "identity"
RESERVED = (REGION, VISIBILITY, IDENTITY)
MAX_TITLE = 150
MAX_LANDMARK = 200
MAX_MEDIA_URL = 500
DEFAULT_GUEST_NAME = "Pelapor Open311"

# Domain field names → the Open311 parameter a client should fix.
FIELD_NAMES = {
    "category": "service_code",
    "title": "description",
    "description": "description",
    "region": f"attribute[{REGION}]",
    "location": "lat/long",
    "landmark": "address_string",
    "guest_name": "first_name",
    "guest_email": "email",
    "guest_phone": "phone",
    "visibility": f"attribute[{VISIBILITY}]",
    "idempotency_key": "Idempotency-Key",
}


# --- times ------------------------------------------------------------------------------------
def w3c(value: datetime | date | None) -> str | None:
    """A W3C date-time (``2026-03-01T09:30:00+07:00``); a date is its start of day."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min, tzinfo=timezone.get_current_timezone())
    return timezone.localtime(value).isoformat(timespec="seconds")


# --- services ---------------------------------------------------------------------------------
def _definitions(category: Category) -> list[dict[str, Any]]:
    try:
        return validate_definitions(category.attributes or [])
    except ValidationError:
        # A category saved without its clean(): offer no extra attributes rather than fail.
        logger.warning("Category %s has invalid Open311 attributes", category.pk)
        return []


def service(category: Category, group: str) -> dict[str, Any]:
    """One entry of ``services``. ``metadata`` is always true: every service has at least the
    ``region``/``visibility``/``identity`` attributes Loket adds (README.md)."""
    return {
        "service_code": category.service_code,
        "service_name": category.name,
        "description": category.description or None,
        "metadata": True,
        "type": SERVICE_TYPE,
        "keywords": category.keywords or None,
        "group": group,
    }


def _reserved_attributes(first_order: int) -> list[dict[str, Any]]:
    return [
        {
            "variable": True,
            "code": REGION,
            "datatype": "string",
            "required": False,
            "datatype_description": _(
                "Kode desa/kelurahan Kemendagri, mis. 18.71.01.1001. Boleh kosong bila "
                "address_id berisi kode itu atau address_string menyebut nama desa/kelurahan."
            ),
            "order": first_order,
            "description": _("Desa/kelurahan tempat kejadian"),
            "values": [],
        },
        {
            "variable": True,
            "code": VISIBILITY,
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("Bawaan: rahasia (tidak tampil untuk publik)."),
            "order": first_order + 1,
            "description": _("Tampilkan laporan untuk publik?"),
            "values": [
                {"key": Visibility.CONFIDENTIAL.value, "name": str(Visibility.CONFIDENTIAL.label)},
                {"key": Visibility.PUBLIC.value, "name": str(Visibility.PUBLIC.label)},
            ],
        },
        {
            "variable": True,
            "code": IDENTITY,
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("Bawaan: anonim."),
            "order": first_order + 2,
            "description": _("Boleh petugas yang menangani melihat identitas pelapor?"),
            "values": [
                {"key": Identity.ANONYMOUS.value, "name": str(Identity.ANONYMOUS.label)},
                {"key": Identity.SHOWN.value, "name": str(Identity.SHOWN.label)},
            ],
        },
    ]


def service_definition(category: Category) -> dict[str, Any]:
    """The category's own attributes (in their order), then Loket's reserved ones."""
    own = [
        {
            "variable": d["variable"],
            "code": d["code"],
            "datatype": d["datatype"],
            "required": d["required"],
            "datatype_description": d["datatype_description"] or None,
            "order": d["order"],
            "description": d["description"],
            "values": [{"key": v["key"], "name": v["name"]} for v in d["values"]],
        }
        for d in _definitions(category)
        if d["code"] not in RESERVED
    ]
    last = max((a["order"] for a in own), default=0)
    return {
        "service_code": category.service_code,
        "attributes": own + _reserved_attributes(last + 1),
    }


# --- requests ---------------------------------------------------------------------------------
def service_request(view: Mapping[str, Any], *, absolute: Callable[[str], str]) -> dict[str, Any]:
    """One ``request`` from a :func:`public_view` dict; no field names the reporter."""
    photos = [p for p in view["photos"] if p["kind"] == "before"] or list(view["photos"])
    address = ", ".join(part for part in (view["landmark"], view["region"]["name"]) if part)
    return {
        "service_request_id": view["number"],
        "status": view["open311_status"],
        "status_notes": view["public_answer"] or view["status_label"],
        "service_name": view["category"]["name"],
        "service_code": view["category"]["code"],
        "description": view["description"],
        "agency_responsible": view["agency"],
        "service_notice": None,
        "requested_datetime": w3c(view["created_at"]),
        "updated_datetime": w3c(view["updated_at"]),
        "expected_datetime": w3c(view["estimate_date"]),
        "address": address or None,
        "address_id": view["region"]["code"],
        "zipcode": None,
        "lat": view["latitude"],
        "long": view["longitude"],
        "media_url": absolute(photos[0]["url"]) if photos else None,
    }


# --- POST -------------------------------------------------------------------------------------
@dataclass
class PostedRequest:
    """The parsed form of ``POST requests``; ``errors`` maps a parameter to its message."""

    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    region: str = ""
    visibility: str = Visibility.CONFIDENTIAL.value
    identity: str = Identity.ANONYMOUS.value
    attributes: dict[str, Any] = field(default_factory=dict)
    guest_name: str = ""
    email: str = ""
    phone: str = ""
    description: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def has_location(self) -> bool:
        return bool(self.lat or self.long or self.address_string or self.address_id)


def _one(data: Any, name: str) -> str:
    value = data.get(name, "")
    return str(value).strip() if value is not None else ""


def _attribute_values(data: Any) -> dict[str, list[str]]:
    """``attribute[CODE]`` (and PHP-style ``attribute[CODE][]``) → code → values."""
    values: dict[str, list[str]] = {}
    for key in data:
        if not (key.startswith("attribute[") and key.endswith("]")):
            continue
        code = key[len("attribute[") : -1]
        if code.endswith("[]"):
            code = code[:-2]
        code = code.rstrip("]")
        items = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
        values.setdefault(code, []).extend(str(i) for i in items if str(i) != "")
    return values


def _title(description: str, fallback: str) -> str:
    first = next((line.strip() for line in description.splitlines() if line.strip()), "")
    if not first:
        return fallback
    if len(first) <= MAX_TITLE:
        return first
    cut = first[: MAX_TITLE - 1].rsplit(" ", 1)[0] or first[: MAX_TITLE - 1]
    return cut + "…"


def parse_post(data: Any) -> PostedRequest:
    """Read the form; checks only what the domain cannot (Open311-specific choices)."""
    posted = PostedRequest(
        service_code=_one(data, "service_code"),
        lat=_one(data, "lat"),
        long=_one(data, "long"),
        address_string=" ".join(_one(data, "address_string").split()),
        address_id=_one(data, "address_id"),
        email=_one(data, "email"),
        phone=_one(data, "phone"),
        description=_one(data, "description"),
    )
    name = " ".join(p for p in (_one(data, "first_name"), _one(data, "last_name")) if p)
    posted.guest_name = name or DEFAULT_GUEST_NAME
    if not posted.service_code:
        posted.errors["service_code"] = _("Wajib diisi.")
    if not posted.description:
        posted.errors["description"] = _("Wajib diisi.")
    attributes = _attribute_values(data)
    for code, choices in ((VISIBILITY, Visibility.values), (IDENTITY, Identity.values)):
        given = attributes.pop(code, [])
        if len(given) > 1 or (given and given[0] not in choices):
            posted.errors[f"attribute[{code}]"] = _("Pilihan tidak tersedia.")
        elif given:
            setattr(posted, code, given[0])
    region = attributes.pop(REGION, [])
    posted.region = region[0].strip() if region else ""
    posted.attributes = {code: v if len(v) > 1 else v[0] for code, v in attributes.items() if v}
    media_url = _one(data, "media_url")
    if media_url:
        try:
            if len(media_url) > MAX_MEDIA_URL:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            posted.errors["media_url"] = _("Tautan media tidak valid.")
        else:
            # Kept as text for the officers; never fetched by the server (README.md).
            posted.description = (
                f"{posted.description}\n\n{_('Tautan media dari aplikasi pengirim:')} {media_url}"
            ).strip()
    return posted


def title_for(posted: PostedRequest, category: Category) -> str:
    return _title(posted.description, category.name)


def field_errors(error: ValidationError) -> list[str]:
    """A domain ValidationError as ``parameter: message`` lines (Open311 names)."""
    if not hasattr(error, "error_dict"):
        return [str(m) for m in error.messages]
    lines: list[str] = []
    for name, messages in error.message_dict.items():
        label = FIELD_NAMES.get(name, name)
        lines.extend(f"{label}: {message}" for message in messages)
    return lines
