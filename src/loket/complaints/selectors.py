"""Reads of the complaints module. Privacy is decided here, not in templates or serializers.

* Public reads (:func:`public_complaints`, :func:`public_complaint`, :func:`map_points`,
  :func:`duplicate_candidates`) only ever see public reports in a listed state, and turn them
  into dicts with :func:`public_view` — the one place that decides what the public sees.
* :func:`tracking_view` answers anyone holding a tracking number, for confidential reports
  too, with nothing that identifies the reporter or (for confidential ones) the content.
* Officer reads start from :func:`officer_complaints` (the officer's scope), so a report the
  officer may not see and a missing one look the same. None of them returns who reported:
  :class:`~loket.complaints.models.Complaint` has no reporter column, and the identity comes
  only from the audited :func:`loket.complaints.services.complaint_reveal_reporter`.

Every list runs a constant number of queries whatever the data size (tests check it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import F, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.complaints.geo import box_around, haversine_m
from loket.complaints.models import (
    Category,
    Complaint,
    ComplaintMessage,
    ComplaintPhoto,
    RoutingRule,
    Visibility,
)
from loket.complaints.states import COMPLAINT, OPEN311_STATUS, OPEN_STATES, PUBLIC_LISTED_STATES
from loket.core.files import file_url
from loket.core.permissions import (
    COMPLAINT_READ,
    GOVERNMENT_WIDE_ROLES,
    ROLE_CAPABILITIES,
    OfficerScope,
    officer_scope,
)
from loket.core.refcache import fast_cache
from loket.organizations.models import Agency, Government, Region
from loket.workflow.errors import NotPermitted
from loket.workflow.models import SlaTimer, WorkflowEvent
from loket.workflow.selectors import at_risk, overdue, timeline, timers_for

DUPLICATE_RADIUS_M = 250.0
DUPLICATE_LIMIT = 5
MAP_LIMIT = 1000
# Earlier pins read to place a desa/kelurahan or kecamatan (see pin_warnings).
PIN_SAMPLE = 200
PIN_CENTROID_SECONDS = 15 * 60
MAX_PAGE_SIZE = 100
# "Far outside the kelurahan" without polygons: further than this from the centroid of the
# earlier pins in the same desa/kelurahan (needs PIN_MIN_SAMPLES pins), else from those of the
# kecamatan.
PIN_FAR_VILLAGE_M = 3_000.0
PIN_FAR_DISTRICT_M = 10_000.0
PIN_MIN_SAMPLES = 3
QUEUES = ("to_verify", "to_dispatch", "agency", "mine", "waiting", "at_risk", "overdue", "all")


# --- shared shapes ------------------------------------------------------------------------------
class Centroid(NamedTuple):
    latitude: float
    longitude: float
    pins: int  # how many pins it was computed from


@dataclass(frozen=True)
class ComplaintFilters:
    """Filters shared by public lists and officer queues (empty = no filter).

    ``category_id`` includes the category's sub-categories; ``region_prefix`` is a dotted
    Kemendagri code prefix (``18.71`` or ``18.71.01``); ``status`` is a state code or
    ``"open"``/``"closed"`` (Open311); ``since``/``until`` bound the filing time;
    ``numbers`` and ``service_code`` serve Open311; ``search`` and ``agency_id`` are for
    officers (search: a tracking number, or words in the title).
    """

    government_id: int | None = None
    category_id: int | None = None
    service_code: str = ""
    region_prefix: str = ""
    status: str = ""
    since: datetime | None = None
    until: datetime | None = None
    numbers: tuple[str, ...] = ()
    search: str = ""
    agency_id: int | None = None


@dataclass(frozen=True)
class Page:
    """One page of results; ``has_next`` instead of a total so no COUNT runs on big tables."""

    items: list[Any]
    page: int
    page_size: int
    has_next: bool


@dataclass(frozen=True)
class RouteMatch:
    agency: Agency
    rule_id: int


@dataclass(frozen=True)
class TrackingView:
    """What the tracking page shows (also for confidential reports): no personal data."""

    number: str
    status: str
    status_label: str
    open311_status: str
    is_public: bool
    government: str
    agency: str | None
    category: str | None  # withheld for confidential reports
    created_at: datetime
    stage: str | None
    stage_deadline: date | None
    paused: bool
    merged_into: str | None
    timeline: list[dict[str, Any]] = field(default_factory=list)


# --- small helpers --------------------------------------------------------------------------------
def tracking_path(number: str) -> str:
    """The path of the public tracking page of ``number`` (portal route ``complaints:track``)."""
    try:
        return reverse("complaints:track", args=[number])
    except NoReverseMatch:
        return f"/pengaduan/lacak/{number}/"


def office_path(complaint_id: int) -> str:
    """The back-office page of a report (route ``complaints_office:detail``)."""
    try:
        return reverse("complaints_office:detail", args=[complaint_id])
    except NoReverseMatch:
        return f"/kantor/pengaduan/{complaint_id}/"


def _page_bounds(page: int, page_size: int) -> tuple[int, int, int]:
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    return page, page_size, (page - 1) * page_size


def _paginate(
    queryset: QuerySet[Complaint], page: int, page_size: int
) -> tuple[list[Complaint], int, int, bool]:
    page, page_size, offset = _page_bounds(page, page_size)
    rows = list(queryset[offset : offset + page_size + 1])
    return rows[:page_size], page, page_size, len(rows) > page_size


def _region_q(prefix: str, field_name: str = "region__code") -> Q:
    prefix = prefix.strip().rstrip(".")
    return Q(**{field_name: prefix}) | Q(**{f"{field_name}__startswith": prefix + "."})


def apply_filters(queryset: QuerySet[Complaint], filters: ComplaintFilters) -> QuerySet[Complaint]:
    """Narrow ``queryset`` by ``filters`` (index-friendly: equality and prefix ranges)."""
    f = filters
    if f.government_id is not None:
        queryset = queryset.filter(government_id=f.government_id)
    if f.category_id is not None:
        path = Category.objects.filter(pk=f.category_id).values("path")[:1]
        queryset = queryset.filter(
            Q(category_id=f.category_id) | Q(category__path__startswith=_concat_slash(path))
        )
    if f.service_code:
        queryset = queryset.filter(category__service_code=f.service_code)
    if f.region_prefix:
        queryset = queryset.filter(_region_q(f.region_prefix))
    if f.status == "open":
        queryset = queryset.filter(state__in=OPEN_STATES)
    elif f.status == "closed":
        queryset = queryset.exclude(state__in=OPEN_STATES)
    elif f.status:
        queryset = queryset.filter(state=f.status)
    if f.since is not None:
        queryset = queryset.filter(created_at__gte=f.since)
    if f.until is not None:
        queryset = queryset.filter(created_at__lte=f.until)
    if f.numbers:
        queryset = queryset.filter(tracking_number__in=list(f.numbers))
    if f.agency_id is not None:
        queryset = queryset.filter(agency_id=f.agency_id)
    if f.search.strip():
        term = f.search.strip()
        queryset = queryset.filter(Q(tracking_number__iexact=term) | Q(title__icontains=term))
    return queryset


def _concat_slash(path_subquery: Any) -> Any:
    from django.db.models import CharField, Subquery, Value
    from django.db.models.functions import Concat

    return Concat(Subquery(path_subquery), Value("/"), output_field=CharField())


def _event_label(event: WorkflowEvent) -> str:
    if event.transition == "submit":
        return _("Laporan diterima")
    if event.transition == "answer":
        return _("Tanggapan petugas")
    if event.transition == "note":
        return _("Catatan internal")
    transition = COMPLAINT.transition(event.transition)
    return str(transition.label) if transition else event.transition


def _photo_dicts(complaint: Complaint) -> list[dict[str, Any]]:
    return [
        {
            "id": str(photo.file_id),
            "kind": photo.kind,
            "url": file_url(photo.file),
            "thumbnail_url": file_url(photo.file, thumbnail=True),
        }
        for photo in complaint.photos.all()
    ]


def _public_photos() -> Prefetch[Any]:
    return Prefetch("photos", queryset=ComplaintPhoto.objects.select_related("file"))


# --- the public view ------------------------------------------------------------------------------
def is_publicly_listed(complaint: Complaint) -> bool:
    return complaint.visibility == Visibility.PUBLIC and complaint.state in PUBLIC_LISTED_STATES


def public_view(complaint: Complaint) -> dict[str, Any]:
    """The public face of one report: portal, API and Open311 all use this dict.

    Raises ``ValueError`` for a report the public may not see, so a caller that forgot the
    check fails loudly instead of leaking. Expects ``category``, ``region``, ``agency`` and
    ``merged_into`` selected and ``photos`` prefetched (the public selectors do both).
    No field names or describes the reporter.
    """
    if not is_publicly_listed(complaint):
        raise ValueError("not a public report")
    state = COMPLAINT.state(complaint.state)
    return {
        "number": complaint.tracking_number,
        "report_class": complaint.report_class,
        "category": {
            "id": complaint.category_id,
            "code": complaint.category.service_code,
            "name": complaint.category.name,
        },
        "title": complaint.title,
        "description": complaint.description,
        "region": {"code": complaint.region_id, "name": complaint.region.name},
        "latitude": complaint.latitude,
        "longitude": complaint.longitude,
        "landmark": complaint.landmark,
        "status": complaint.state,
        "status_label": str(state.public_label),
        "open311_status": OPEN311_STATUS[complaint.state],
        "agency": str(complaint.agency) if complaint.agency_id else None,
        "support_count": complaint.support_count,
        "public_answer": complaint.public_answer,
        "estimate_date": complaint.estimate_date,
        "rating": complaint.rating,
        "created_at": complaint.created_at,
        "updated_at": complaint.updated_at,
        "resolved_at": complaint.resolved_at,
        "merged_into": complaint.merged_into.tracking_number if complaint.merged_into_id else None,  # type: ignore[union-attr]
        "photos": _photo_dicts(complaint),
        "url": tracking_path(complaint.tracking_number),
    }


def _public_queryset() -> QuerySet[Complaint]:
    return (
        Complaint.objects.filter(visibility=Visibility.PUBLIC, state__in=PUBLIC_LISTED_STATES)
        .select_related("category", "region", "agency", "merged_into")
        .prefetch_related(_public_photos())
    )


def public_complaints(
    *, filters: ComplaintFilters | None = None, page: int = 1, page_size: int = 20
) -> Page:
    """Public reports, newest first, as :func:`public_view` dicts. Two queries."""
    queryset = apply_filters(_public_queryset(), filters or ComplaintFilters())
    rows, page, page_size, has_next = _paginate(
        queryset.order_by("-created_at", "-id"), page, page_size
    )
    return Page([public_view(c) for c in rows], page, page_size, has_next)


def public_complaint(*, number: str) -> dict[str, Any]:
    """One public report with its public timeline (``timeline``: label, time, public note).
    ``Complaint.DoesNotExist`` for a confidential, unlisted or missing report alike."""
    complaint = _public_queryset().get(tracking_number=number)
    view = public_view(complaint)
    view["timeline"] = _public_timeline(complaint, with_notes=True)
    return view


def _public_timeline(complaint: Complaint, *, with_notes: bool) -> list[dict[str, Any]]:
    return [
        {
            "at": event.created_at,
            "label": _event_label(event),
            "status": event.to_state,
            "status_label": COMPLAINT.public_label(event.to_state),
            "note": event.public_note if with_notes else "",
        }
        for event in timeline(complaint, public_only=True)
    ]


def map_points(
    *,
    south: float,
    west: float,
    north: float,
    east: float,
    category_id: int | None = None,
    status: str = "",
    government_id: int | None = None,
    limit: int = MAP_LIMIT,
) -> list[dict[str, Any]]:
    """Compact pins of public reports inside a viewport, newest first, at most ``limit``:
    ``number``, ``lat``, ``lng``, ``category`` (service code), ``status``. One query on the
    (latitude, longitude) index. ``ValueError`` for a box that is not a box."""
    values = (south, west, north, east)
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in values):
        raise ValueError("bounding box values must be finite numbers")
    if south > north or west > east:
        raise ValueError("south must be <= north and west <= east")
    queryset = Complaint.objects.filter(
        visibility=Visibility.PUBLIC,
        state__in=PUBLIC_LISTED_STATES,
        latitude__isnull=False,
        latitude__gte=south,
        latitude__lte=north,
        longitude__gte=west,
        longitude__lte=east,
    )
    queryset = apply_filters(
        queryset,
        ComplaintFilters(government_id=government_id, category_id=category_id, status=status),
    )
    rows = queryset.order_by("-created_at").values_list(
        "tracking_number", "latitude", "longitude", "category__service_code", "state"
    )[: max(1, min(limit, MAP_LIMIT))]
    return [
        {"number": n, "lat": lat, "lng": lng, "category": code, "status": state}
        for n, lat, lng, code, state in rows
    ]


def duplicate_candidates(
    *,
    category_id: int,
    latitude: float,
    longitude: float,
    exclude_id: int | None = None,
    radius_m: float = DUPLICATE_RADIUS_M,
    limit: int = DUPLICATE_LIMIT,
) -> list[dict[str, Any]]:
    """Open public reports of the same category within ``radius_m`` of the pin, nearest
    first, at most ``limit``; each a :func:`public_view` dict plus ``distance_m``. Shown to a
    citizen while filing ("support this one instead"). Two queries."""
    box = box_around(latitude, longitude, radius_m)
    queryset = _public_queryset().filter(
        category_id=category_id,
        state__in=[s for s in PUBLIC_LISTED_STATES if s in OPEN_STATES],
        latitude__gte=box.south,
        latitude__lte=box.north,
        longitude__gte=box.west,
        longitude__lte=box.east,
    )
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    found = _nearest(queryset[:200], latitude, longitude, radius_m, limit)
    return [{**public_view(c), "distance_m": round(d)} for c, d in found]


def _nearest(
    rows: Iterable[Complaint], latitude: float, longitude: float, radius_m: float, limit: int
) -> list[tuple[Complaint, float]]:
    measured = []
    for complaint in rows:
        if complaint.latitude is None or complaint.longitude is None:
            continue
        distance = haversine_m(latitude, longitude, complaint.latitude, complaint.longitude)
        if distance <= radius_m:
            measured.append((complaint, distance))
    measured.sort(key=lambda item: item[1])
    return measured[:limit]


# --- tracking -------------------------------------------------------------------------------------
def tracking_view(*, number: str) -> TrackingView | None:
    """Status, public timeline, current agency and the deadline of the current stage for
    anyone holding the number — confidential reports included, so it shows no title,
    description, place or photo, and for a confidential report no category and no notes.
    None when no report has that number. Three queries."""
    complaint = (
        Complaint.objects.select_related("government", "agency", "category", "merged_into")
        .filter(tracking_number=number.strip().upper())
        .first()
    )
    if complaint is None:
        return None
    public = complaint.visibility == Visibility.PUBLIC
    running = sorted(
        timers_for(complaint, running_only=True),
        key=lambda t: (t.deadline is not None, t.deadline or complaint.created_at),
    )
    current = running[0] if running else None
    stage = COMPLAINT.stage(current.stage) if current else None
    deadline = None
    if current is not None and current.deadline is not None:
        tz = ZoneInfo(complaint.government.time_zone)
        deadline = current.deadline.astimezone(tz).date()
    return TrackingView(
        number=complaint.tracking_number,
        status=complaint.state,
        status_label=COMPLAINT.public_label(complaint.state),
        open311_status=OPEN311_STATUS[complaint.state],
        is_public=public,
        government=complaint.government.name,
        agency=str(complaint.agency) if complaint.agency_id else None,
        category=complaint.category.name if public else None,
        created_at=complaint.created_at,
        stage=str(stage.label) if stage else None,
        stage_deadline=deadline,
        paused=bool(current and current.paused_at is not None),
        merged_into=complaint.merged_into.tracking_number if complaint.merged_into else None,
        timeline=_public_timeline(complaint, with_notes=public),
    )


# --- officers -------------------------------------------------------------------------------------
def _agency_role_ids(scope: OfficerScope, capability: str) -> frozenset[int]:
    return frozenset(
        g.agency_id
        for g in scope.grants
        if g.role not in GOVERNMENT_WIDE_ROLES
        and capability in ROLE_CAPABILITIES.get(g.role, frozenset())
    )


def officer_complaints(*, officer: Any) -> QuerySet[Complaint]:
    """Every report the officer may read: all of the governments where they hold a
    government-wide role with ``complaint.read``, plus those currently with their agencies."""
    scope = officer_scope(officer)
    queryset = Complaint.objects.all()
    if scope.is_superuser:
        return queryset
    governments = scope.government_ids_for(COMPLAINT_READ)
    agencies = _agency_role_ids(scope, COMPLAINT_READ)
    if not governments and not agencies:
        return queryset.none()
    # One condition when one suffices, so the queue indexes (government or agency first) apply.
    if not agencies:
        return queryset.filter(government_id__in=governments)
    if not governments:
        return queryset.filter(agency_id__in=agencies)
    return queryset.filter(Q(government_id__in=governments) | Q(agency_id__in=agencies))


def officer_queue(
    *,
    officer: Any,
    queue: str = "all",
    filters: ComplaintFilters | None = None,
    page: int = 1,
    page_size: int = 25,
    now: datetime | None = None,
) -> Page:
    """A back-office queue as :class:`Complaint` rows (category, region, agency, handler
    selected), most urgent first: earliest running deadline (the ``sla_deadline`` column the
    workflow engine keeps), then newest.

    Queues: ``to_verify`` (received), ``to_dispatch`` (in verification), ``agency`` (open
    reports with the officer's agencies), ``mine`` (open, assigned to the officer),
    ``waiting`` (waiting for the reporter), ``at_risk`` (a running clock with ≤ 1 working day
    left), ``overdue`` (a running clock past its deadline), ``all``. One query (plus one for
    the officer's scope, once per request).
    """
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    now = now or timezone.now()
    queryset = officer_complaints(officer=officer)
    if queue == "to_verify":
        queryset = queryset.filter(state="received")
    elif queue == "to_dispatch":
        queryset = queryset.filter(state="verification")
    elif queue == "agency":
        scope = officer_scope(officer)
        queryset = queryset.filter(
            agency_id__in=_agency_role_ids(scope, COMPLAINT_READ), state__in=OPEN_STATES
        )
    elif queue == "mine":
        queryset = queryset.filter(handler_id=officer.pk, state__in=OPEN_STATES)
    elif queue == "waiting":
        queryset = queryset.filter(state="waiting")
    elif queue == "at_risk":
        queryset = at_risk(queryset, now=now)
    elif queue == "overdue":
        queryset = overdue(queryset, now=now)
    queryset = apply_filters(queryset, filters or ComplaintFilters())
    queryset = queryset.select_related(
        "category", "region", "agency", "handler", "government"
    ).order_by(F("sla_deadline").asc(nulls_last=True), "-created_at", "-id")
    rows, page, page_size, has_next = _paginate(queryset, page, page_size)
    return Page(rows, page, page_size, has_next)


def complaint_for_officer(*, officer: Any, complaint_id: int) -> Complaint:
    """One report for the back office; :class:`NotPermitted` (404) when it is missing or out
    of the officer's scope — the same answer for both."""
    complaint = (
        officer_complaints(officer=officer)
        .select_related("category", "region", "agency", "handler", "government", "merged_into")
        .prefetch_related(_public_photos())
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise NotPermitted()
    return complaint


def officer_view(complaint: Complaint) -> dict[str, Any]:
    """The back-office dict of a report (for API serializers): everything but the reporter.
    ``reporter`` says only whether the identity may be revealed (never who it is)."""
    return {
        "id": complaint.pk,
        "number": complaint.tracking_number,
        "government_id": complaint.government_id,
        "report_class": complaint.report_class,
        "category": {"id": complaint.category_id, "name": complaint.category.name},
        "title": complaint.title,
        "description": complaint.description,
        "region": {"code": complaint.region_id, "name": complaint.region.name},
        "latitude": complaint.latitude,
        "longitude": complaint.longitude,
        "landmark": complaint.landmark,
        "attributes": complaint.attributes,
        "visibility": complaint.visibility,
        "identity": complaint.identity,
        "source": complaint.source,
        "state": complaint.state,
        "state_label": str(COMPLAINT.state(complaint.state).label),
        "agency": {"id": complaint.agency_id, "name": str(complaint.agency)}
        if complaint.agency_id
        else None,
        "handler": {"id": complaint.handler_id, "name": str(complaint.handler)}
        if complaint.handler_id
        else None,
        "estimate_date": complaint.estimate_date,
        "public_answer": complaint.public_answer,
        "rating": complaint.rating,
        "rating_comment": complaint.rating_comment,
        "support_count": complaint.support_count,
        "merged_into": complaint.merged_into_id,
        "created_at": complaint.created_at,
        "updated_at": complaint.updated_at,
        "resolved_at": complaint.resolved_at,
        "closed_at": complaint.closed_at,
        "reporter": {"identity_revealable": not complaint.is_anonymous},
        "allowed_actions": [t.name for t in COMPLAINT.allowed(complaint.state)],
    }


def officer_timeline(*, officer: Any, complaint: Complaint) -> list[dict[str, Any]]:
    """Every step with internal notes, for an officer who may read the report. Actors are
    officers or the system; a reporter's own steps carry no actor (see services)."""
    complaint_for_officer(officer=officer, complaint_id=complaint.pk)
    return [
        {
            "at": e.created_at,
            "transition": e.transition,
            "label": _event_label(e),
            "from": e.from_state,
            "to": e.to_state,
            "actor": str(e.actor) if e.actor_id else None,
            "actor_role": e.actor_role,
            "note": e.note,
            "public": e.is_public,
            "note_is_public": e.note_is_public,
        }
        for e in timeline(complaint, public_only=False)
    ]


def complaint_messages(*, complaint: Complaint) -> list[ComplaintMessage]:
    """The private conversation, oldest first. Callers check access first (officer scope via
    :func:`complaint_for_officer`, or the reporter via ``services.reporter_owns``). Messages
    from the reporter have no author."""
    return list(complaint.messages.select_related("author").order_by("created_at", "id"))


def officer_duplicate_candidates(
    *, officer: Any, complaint: Complaint, radius_m: float = DUPLICATE_RADIUS_M
) -> list[tuple[Complaint, float]]:
    """Reports in the officer's scope of the same category within ``radius_m``, open (any
    visibility, verified or not), nearest first, at most five: (report, metres)."""
    if complaint.latitude is None or complaint.longitude is None:
        return []
    box = box_around(complaint.latitude, complaint.longitude, radius_m)
    queryset = (
        officer_complaints(officer=officer)
        .filter(
            government_id=complaint.government_id,
            category_id=complaint.category_id,
            state__in=OPEN_STATES,
            latitude__gte=box.south,
            latitude__lte=box.north,
            longitude__gte=box.west,
            longitude__lte=box.east,
        )
        .exclude(pk=complaint.pk)
        .select_related("category", "agency")
    )
    return _nearest(
        queryset[:200], complaint.latitude, complaint.longitude, radius_m, DUPLICATE_LIMIT
    )


# --- citizens -------------------------------------------------------------------------------------
def reporter_complaints(*, user: Any, page: int = 1, page_size: int = 20) -> Page:
    """The citizen's own reports (any visibility), newest first, as model rows."""
    queryset = (
        Complaint.objects.filter(reporter__user_id=user.pk)
        .select_related("category", "region", "agency")
        .order_by("-created_at", "-id")
    )
    rows, page, page_size, has_next = _paginate(queryset, page, page_size)
    return Page(rows, page, page_size, has_next)


# --- configuration reads --------------------------------------------------------------------------
def categories_for(*, government: Government, report_class: str | None = None) -> list[Category]:
    """Active categories of a government in tree order (parents before children)."""
    rows = list(Category.objects.filter(government=government, is_active=True))
    children: dict[int | None, list[Category]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[Category] = []

    def walk(parent_id: int | None) -> None:
        for child in sorted(children.get(parent_id, []), key=lambda c: (c.order, c.name)):
            if not report_class or child.accepts(report_class):
                ordered.append(child)
            walk(child.pk)

    walk(None)
    return ordered


def category_by_service_code(*, service_code: str) -> Category | None:
    return Category.objects.filter(service_code=service_code, is_active=True).first()


def route_for(
    *, government: Government, category: Category, region: Region | str
) -> RouteMatch | None:
    """The agency a report goes to by the routing table, or None.

    Specificity: a rule on the category itself beats one on a nearer ancestor, which beats
    one on a farther ancestor, which beats a rule for any category; among those, the longest
    region prefix wins. One query.
    """
    code = region if isinstance(region, str) else region.code
    parts = code.split(".")
    prefixes = [""] + [".".join(parts[: i + 1]) for i in range(len(parts))]
    chain = category.ancestor_ids() or [category.pk]
    rules = list(
        RoutingRule.objects.filter(
            Q(category_id__in=chain) | Q(category__isnull=True),
            government=government,
            region_prefix__in=prefixes,
            agency__is_active=True,
        ).select_related("agency")
    )
    if not rules:
        return None

    def rank(rule: RoutingRule) -> tuple[int, int]:
        depth = chain.index(rule.category_id) + 1 if rule.category_id in chain else 0
        return depth, len(rule.region_prefix)

    best = max(rules, key=rank)
    return RouteMatch(agency=best.agency, rule_id=best.pk)


def _pin_centroid(area: str, regions: str | QuerySet[Region, Any]) -> Centroid:
    """Centroid of at most ``PIN_SAMPLE`` earlier pins in ``regions`` (a region code or a
    queryset of codes) and how many pins it used; read from the region index, so the cost is
    bounded whatever the number of reports.

    An area with a full sample is busy: one more pin hardly moves its centroid, and reading
    the sample costs a filing more database time than anything else it does. Its centroid is
    kept in the cache under ``area`` for ``PIN_CENTROID_SECONDS``. Quieter areas are read each
    time (few rows), so their first pins count at once."""
    key = f"loket:pin-centroid:{area}"
    keep = fast_cache()  # with the database cache a hit costs a query too
    cached = cache.get(key) if keep else None
    if cached is not None:
        return Centroid(*cached)
    lookup: dict[str, Any] = (
        {"region_id__in": regions} if isinstance(regions, QuerySet) else {"region_id": regions}
    )
    pins = list(
        Complaint.objects.filter(latitude__isnull=False, **lookup)
        .order_by()  # any sample will do; no sort over the area's reports
        .values_list("latitude", "longitude")[:PIN_SAMPLE]
    )
    if not pins:
        return Centroid(0.0, 0.0, 0)
    centroid = Centroid(
        sum(lat or 0.0 for lat, _lng in pins) / len(pins),
        sum(lng or 0.0 for _lat, lng in pins) / len(pins),
        len(pins),
    )
    if keep and centroid.pins >= PIN_SAMPLE:
        cache.set(key, tuple(centroid), PIN_CENTROID_SECONDS)
    return centroid


def pin_warnings(*, region: Region, latitude: float, longitude: float) -> list[str]:
    """Warnings (never errors) about a pin that looks far from the chosen desa/kelurahan.

    Region data has no polygons or centroids, so the reference point is the centroid of
    earlier pins in the same desa/kelurahan (at least three), else of the same kecamatan; the
    pin is "far" beyond 3 km (desa/kelurahan) or 10 km (kecamatan). With too few earlier
    pins nothing is said. A sample of at most ``PIN_SAMPLE`` pins per area is enough for a
    centroid and keeps filing fast at millions of reports: one query, two when the
    desa/kelurahan has too few pins.
    """
    lat, lng, count = _pin_centroid(region.code, region.code)
    limit = PIN_FAR_VILLAGE_M
    if count < PIN_MIN_SAMPLES:
        district = ".".join(region.code.split(".")[:3])
        lat, lng, count = _pin_centroid(
            district, Region.objects.filter(parent_id=district).values("code")
        )
        limit = PIN_FAR_DISTRICT_M
    if count < PIN_MIN_SAMPLES or haversine_m(latitude, longitude, lat, lng) <= limit:
        return []
    return [
        _("Titik di peta tampak jauh dari %(name)s. Periksa kembali lokasi atau desa/kelurahan.")
        % {"name": region.name}
    ]


def running_timers(complaint: Complaint) -> Sequence[SlaTimer]:
    """The complaint's running clocks (for the back-office detail page)."""
    return list(timers_for(complaint, running_only=True))
