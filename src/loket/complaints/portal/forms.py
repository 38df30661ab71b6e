"""Parsing of the portal's forms and query strings. Nothing here writes: the services validate
the report itself (their ``ValidationError`` keys are mapped to the form's fields below);
this module only turns request data into typed values and readable messages."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.complaints.geo import inside_indonesia
from loket.complaints.models import Category, Identity, ReportClass, Visibility
from loket.complaints.selectors import ComplaintFilters
from loket.complaints.states import COMPLAINT, PUBLIC_LISTED_STATES
from loket.organizations.models import Region

MAX_DESCRIPTION = 4000
# The service's error keys → the id of the input the message belongs to.
ERROR_FIELDS: dict[str, str] = {
    "region": "village",
    "location": "latitude",
    "visibility": "public",
    "attributes": "category",
}
# Input ids in page order, for the error summary.
FIELD_ORDER = (
    "guest_name",
    "guest_email",
    "guest_phone",
    "report_class",
    "category",
    "title",
    "description",
    "regency",
    "district",
    "village",
    "latitude",
    "longitude",
    "landmark",
    "photos",
    "public",
    "idempotency_key",
)


def field_labels() -> dict[str, str]:
    return {
        "guest_name": _("Nama"),
        "guest_email": _("Email"),
        "guest_phone": _("Nomor ponsel"),
        "report_class": _("Jenis laporan"),
        "category": _("Kategori"),
        "title": _("Judul"),
        "description": _("Uraian"),
        "regency": _("Kabupaten/kota"),
        "district": _("Kecamatan"),
        "village": _("Desa/kelurahan"),
        "latitude": _("Titik di peta"),
        "longitude": _("Titik di peta"),
        "landmark": _("Patokan"),
        "photos": _("Foto"),
        "public": _("Privasi"),
        "idempotency_key": _("Formulir"),
        "body": _("Pesan"),
        "rating": _("Penilaian"),
        "comment": _("Komentar"),
        "reason": _("Alasan"),
    }


@dataclass
class ReportInput:
    """What the report form sent, as typed as the form can make it (services do the rest)."""

    report_class: str = ReportClass.COMPLAINT
    category: str = ""
    title: str = ""
    description: str = ""
    regency: str = ""
    district: str = ""
    village: str = ""
    latitude: str = ""
    longitude: str = ""
    landmark: str = ""
    public: bool = False
    show_identity: bool = False
    guest_name: str = ""
    guest_email: str = ""
    guest_phone: str = ""
    photo_ids: list[str] = field(default_factory=list)
    photo_pin: str = ""
    idempotency_key: str = ""

    @classmethod
    def from_post(cls, data: QueryDict) -> ReportInput:
        def text(name: str) -> str:
            return str(data.get(name, "") or "")

        ids: list[str] = []
        for value in data.getlist("photo_ids"):
            if value and value not in ids:
                ids.append(value)
        return cls(
            report_class=text("report_class") or ReportClass.COMPLAINT,
            category=text("category").strip(),
            title=text("title"),
            description=text("description"),
            regency=text("regency").strip(),
            district=text("district").strip(),
            village=text("village").strip(),
            latitude=text("latitude").strip().replace(",", "."),
            longitude=text("longitude").strip().replace(",", "."),
            landmark=text("landmark"),
            public=data.get("public") == "on",
            show_identity=data.get("show_identity") == "on",
            guest_name=text("guest_name"),
            guest_email=text("guest_email"),
            guest_phone=text("guest_phone"),
            photo_ids=ids,
            photo_pin=text("photo_pin").strip(),
            idempotency_key=text("idempotency_key").strip(),
        )

    @property
    def visibility(self) -> str:
        return Visibility.PUBLIC if self.public else Visibility.CONFIDENTIAL

    @property
    def identity(self) -> str:
        return Identity.SHOWN if self.show_identity else Identity.ANONYMOUS

    def category_id(self) -> int | None:
        return int(self.category) if self.category.isdigit() else None

    def pin(self) -> tuple[float, float] | None:
        return parse_pin(self.latitude, self.longitude)


def parse_pin(latitude: str, longitude: str) -> tuple[float, float] | None:
    """A pin inside Indonesia, or None (empty, malformed or outside)."""
    try:
        lat, lng = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lng)) or not inside_indonesia(lat, lng):
        return None
    return lat, lng


def parse_photo_pin(value: str) -> tuple[float, float] | None:
    lat, _sep, lng = value.partition(",")
    return parse_pin(lat, lng)


def error_messages(message_dict: dict[str, list[str]]) -> dict[str, list[str]]:
    """A service's ``ValidationError.message_dict`` keyed by the form's input ids."""
    errors: dict[str, list[str]] = {}
    for key, messages in message_dict.items():
        target = ERROR_FIELDS.get(key, key)
        if key.startswith("attribute"):
            target = "category"
        if key == "__all__":
            target = "category"
        errors.setdefault(target, []).extend(str(m) for m in messages)
    return errors


def error_summary(errors: dict[str, list[str]]) -> list[dict[str, str]]:
    """Rows for the summary at the top of a form: link target, field label, message."""
    labels = field_labels()
    order = {name: n for n, name in enumerate(FIELD_ORDER)}
    rows = []
    for name in sorted(errors, key=lambda n: order.get(n, len(order))):
        for message in errors[name]:
            rows.append({"id": f"id_{name}", "label": labels.get(name, ""), "message": message})
    return rows


# --- categories and regions ------------------------------------------------------------------
@dataclass(frozen=True)
class CategoryOption:
    id: int
    name: str
    depth: int
    service_code: str

    @property
    def indented(self) -> str:
        return "\u2014 " * self.depth + self.name


def category_options(categories: list[Category]) -> list[CategoryOption]:
    return [
        CategoryOption(c.pk, c.name, max(0, len(c.ancestor_ids()) - 1), c.service_code)
        for c in categories
    ]


# --- public list filters ---------------------------------------------------------------------
def status_choices() -> list[tuple[str, str]]:
    labels = COMPLAINT.public_labels()
    choices = [("open", _("Masih ditangani")), ("closed", _("Sudah selesai"))]
    seen: set[str] = set()
    for code in PUBLIC_LISTED_STATES:
        label = labels[code]
        if label not in seen:
            seen.add(label)
            choices.append((code, label))
    return choices


@dataclass
class ListQuery:
    filters: ComplaintFilters
    values: dict[str, str]
    errors: dict[str, list[str]]
    page: int


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_list_query(
    data: QueryDict, *, government_ids: dict[str, int], category_ids: set[int]
) -> ListQuery:
    """The public list's filters from the query string. Unknown values become messages
    (the page answers 400) rather than being silently ignored."""
    values = {
        name: str(data.get(name, "") or "").strip()
        for name in ("pemda", "kategori", "wilayah", "status", "dari", "sampai")
    }
    errors: dict[str, list[str]] = {}
    government_id = None
    if values["pemda"]:
        government_id = government_ids.get(values["pemda"])
        if government_id is None:
            errors["pemda"] = [_("Pemerintah daerah tidak dikenal.")]
    category_id = None
    if values["kategori"]:
        if values["kategori"].isdigit() and int(values["kategori"]) in category_ids:
            category_id = int(values["kategori"])
        else:
            errors["kategori"] = [_("Kategori tidak dikenal.")]
    region = values["wilayah"]
    if region and not _looks_like_region(region):
        errors["wilayah"] = [_("Wilayah tidak dikenal.")]
        region = ""
    status = values["status"]
    if status and status not in dict(status_choices()):
        errors["status"] = [_("Status tidak dikenal.")]
        status = ""
    tz = timezone.get_current_timezone()
    since = until = None
    if values["dari"]:
        day = _parse_date(values["dari"])
        if day is None:
            errors["dari"] = [_("Tanggal tidak valid (gunakan TTTT-BB-HH).")]
        else:
            since = datetime.combine(day, time.min, tzinfo=tz)
    if values["sampai"]:
        day = _parse_date(values["sampai"])
        if day is None:
            errors["sampai"] = [_("Tanggal tidak valid (gunakan TTTT-BB-HH).")]
        else:
            until = datetime.combine(day, time.max, tzinfo=tz)
    if since and until and since > until:
        errors["sampai"] = [_("Tanggal akhir harus sesudah tanggal awal.")]
    raw_page = str(data.get("hal", "1") or "1")
    page = int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) < 10_000 else 1
    filters = ComplaintFilters(
        government_id=government_id,
        category_id=category_id,
        region_prefix=region,
        status=status,
        since=since,
        until=until,
    )
    return ListQuery(filters=filters, values=values, errors=errors, page=page)


def _looks_like_region(code: str) -> bool:
    parts = code.split(".")
    return 1 <= len(parts) <= 4 and all(p.isdigit() and 0 < len(p) <= 4 for p in parts)


def region_filter_options(regions: list[Region]) -> list[tuple[str, str]]:
    return [(r.code, r.name) for r in regions]


# --- map bounding box -----------------------------------------------------------------------
def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` (Leaflet's ``toBBoxString``) → (south, west, north, east).
    ``ValueError`` with a readable message for anything else."""
    parts = [p.strip() for p in (value or "").split(",")]
    if len(parts) != 4:
        raise ValueError(_("Parameter bbox harus berisi empat angka: barat,selatan,timur,utara."))
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ValueError(_("Parameter bbox harus berisi angka.")) from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValueError(_("Parameter bbox harus berisi angka."))
    if not (-90 <= south <= north <= 90) or not (-180 <= west <= east <= 180):
        raise ValueError(
            _("Kotak peta tidak valid: selatan ≤ utara dan barat ≤ timur dalam derajat.")
        )
    return south, west, north, east
