"""Complaints in API v1: the public list, map and report pages, tracking, filing and "my
reports". Public data comes only from :func:`loket.complaints.selectors.public_view` (through
the complaints selectors); every serializer lists its fields, so nothing else leaves."""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from loket.api.models import ApiKey
from loket.api.selectors import government_public
from loket.api.throttling import DEFAULT_THROTTLES, WriteThrottle
from loket.complaints import selectors as complaints
from loket.complaints.models import Complaint, Identity, ReportClass, Source, Visibility
from loket.complaints.selectors import ComplaintFilters
from loket.complaints.services import complaint_submit
from loket.complaints.states import COMPLAINT, PUBLIC_LISTED_STATES

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
REGION_PREFIX = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"


# --- shapes ---------------------------------------------------------------------------------
class _CategoryRef(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="Open311 service code.")
    name = serializers.CharField()


class _RegionRef(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Kemendagri code of the desa/kelurahan.")
    name = serializers.CharField()


class _Photo(serializers.Serializer[Any]):
    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=["before", "after"])
    url = serializers.CharField()
    thumbnail_url = serializers.CharField()


class PublicComplaintSerializer(serializers.Serializer[Any]):
    """A public report (``public_view``): never who reported it."""

    number = serializers.CharField()
    report_class = serializers.ChoiceField(choices=ReportClass.choices)
    category = _CategoryRef()
    title = serializers.CharField()
    description = serializers.CharField()
    region = _RegionRef()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    landmark = serializers.CharField(allow_blank=True)
    status = serializers.CharField(help_text="Internal state code, e.g. in_progress.")
    status_label = serializers.CharField()
    open311_status = serializers.ChoiceField(choices=["open", "closed"])
    agency = serializers.CharField(allow_null=True)
    support_count = serializers.IntegerField()
    public_answer = serializers.CharField(allow_blank=True)
    estimate_date = serializers.DateField(allow_null=True)
    rating = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    merged_into = serializers.CharField(allow_null=True)
    photos = _Photo(many=True)
    url = serializers.CharField(help_text="Path of the public tracking page.")


class _TimelineStep(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    label = serializers.CharField()  # type: ignore[assignment]
    status = serializers.CharField()
    status_label = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class PublicComplaintDetailSerializer(PublicComplaintSerializer):
    timeline = _TimelineStep(many=True)


class PublicComplaintPageSerializer(serializers.Serializer[Any]):
    next = serializers.CharField(allow_null=True, help_text="URL of the next page, or null.")
    previous = serializers.CharField(allow_null=True)
    results = PublicComplaintSerializer(many=True)


class MapPointSerializer(serializers.Serializer[Any]):
    number = serializers.CharField()
    lat = serializers.FloatField()
    lng = serializers.FloatField()
    category = serializers.CharField(help_text="Open311 service code.")
    status = serializers.CharField()


class MapSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    truncated = serializers.BooleanField(help_text="More pins exist: zoom in.")
    results = MapPointSerializer(many=True)


class TrackingSerializer(serializers.Serializer[Any]):
    """The tracking page: no title, description, place or photo; for a confidential report
    no category and no notes either."""

    number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    open311_status = serializers.ChoiceField(choices=["open", "closed"])
    is_public = serializers.BooleanField()
    government = serializers.CharField()
    agency = serializers.CharField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    stage = serializers.CharField(allow_null=True)
    stage_deadline = serializers.DateField(allow_null=True)
    paused = serializers.BooleanField()
    merged_into = serializers.CharField(allow_null=True)
    timeline = _TimelineStep(many=True)


class OwnComplaintSerializer(serializers.Serializer[Any]):
    """One of the caller's own reports (any visibility)."""

    number = serializers.CharField(source="tracking_number")
    report_class = serializers.ChoiceField(choices=ReportClass.choices)
    category = serializers.CharField(source="category.name")
    title = serializers.CharField()
    region = serializers.CharField(source="region.name")
    status = serializers.CharField(source="state")
    status_label = serializers.CharField(source="public_status")
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    identity = serializers.ChoiceField(choices=Identity.choices)
    agency = serializers.CharField(source="agency.name", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj: Complaint) -> str:
        return complaints.tracking_path(obj.tracking_number)


class OwnComplaintPageSerializer(serializers.Serializer[Any]):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = OwnComplaintSerializer(many=True)


class ComplaintCreateSerializer(serializers.Serializer[Any]):
    """Checks types only; the complaints service checks everything else (and says so in
    ``fields``)."""

    government = serializers.SlugField(help_text="Slug of the government, see /governments/.")
    category = serializers.CharField(
        max_length=40, help_text="Category id or its Open311 service code."
    )
    report_class = serializers.ChoiceField(choices=ReportClass.choices, default="pengaduan")
    title = serializers.CharField(max_length=150)
    description = serializers.CharField(max_length=4000)
    region = serializers.RegexField(
        r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$",
        help_text="Kemendagri code of the desa/kelurahan, e.g. 18.71.01.1001.",
        error_messages={"invalid": _lazy("Kode desa/kelurahan harus seperti 18.71.01.1001.")},
    )
    latitude = serializers.FloatField(required=False, allow_null=True, default=None)
    longitude = serializers.FloatField(required=False, allow_null=True, default=None)
    landmark = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    visibility = serializers.ChoiceField(
        choices=Visibility.choices,
        default=Visibility.CONFIDENTIAL,
        help_text="Default confidential: only 'public' shows the report to the public.",
    )
    identity = serializers.ChoiceField(
        choices=Identity.choices,
        default=Identity.ANONYMOUS,
        help_text="Default anonymous: only 'shown' lets handling officers see who you are.",
    )
    attributes = serializers.DictField(
        required=False, default=dict, help_text="Values of the category's extra attributes."
    )


class ComplaintCreatedSerializer(serializers.Serializer[Any]):
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    identity = serializers.ChoiceField(choices=Identity.choices)
    url = serializers.CharField(help_text="Path of the tracking page.")
    warnings = serializers.ListField(child=serializers.CharField())


class ComplaintQuerySerializer(serializers.Serializer[Any]):
    government = serializers.SlugField(required=False)
    category = serializers.IntegerField(required=False, min_value=1)
    service_code = serializers.CharField(required=False, max_length=40)
    region = serializers.RegexField(
        REGION_PREFIX,
        required=False,
        error_messages={"invalid": _lazy("Kode wilayah harus berbentuk seperti 18.71.01.")},
    )
    status = serializers.ChoiceField(
        choices=["open", "closed", *PUBLIC_LISTED_STATES], required=False
    )
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE
    )


class MapQuerySerializer(serializers.Serializer[Any]):
    bbox = serializers.CharField(
        help_text="west,south,east,north in degrees (Leaflet's toBBoxString())."
    )
    category = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(
        choices=["open", "closed", *PUBLIC_LISTED_STATES], required=False
    )

    def validate_bbox(self, value: str) -> tuple[float, float, float, float]:
        parts = value.split(",")
        try:
            west, south, east, north = (float(p) for p in parts)
        except ValueError:
            raise serializers.ValidationError(
                _("bbox harus berisi empat angka: barat,selatan,timur,utara.")
            ) from None
        if not all(math.isfinite(v) for v in (west, south, east, north)) or not (
            -90 <= south <= north <= 90 and -180 <= west <= east <= 180
        ):
            raise serializers.ValidationError(_("bbox bukan kotak yang valid."))
        return west, south, east, north


class _PageQuerySerializer(serializers.Serializer[Any]):
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE
    )


# --- helpers --------------------------------------------------------------------------------
def _page_links(request: Request, page: int, has_next: bool) -> dict[str, str | None]:
    def link(number: int) -> str:
        query = request.query_params.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "next": link(page + 1) if has_next else None,
        "previous": link(page - 1) if page > 1 else None,
    }


def _page_or_404(items: list[Any], page: int) -> None:
    if page > 1 and not items:
        raise NotFound(_("Halaman tidak ditemukan."))


def _user_account(request: Request) -> Any:
    """The signed-in person; an integrator key acts as nobody and may not file or list."""
    if isinstance(request.auth, ApiKey) and request.auth.user_id is None:
        raise PermissionDenied(_("Kunci integrator tidak mewakili warga."))
    return request.user


_QUERY_PARAMS = [
    OpenApiParameter("government", str, description="Government slug."),
    OpenApiParameter("category", int, description="Category id (sub-categories included)."),
    OpenApiParameter("service_code", str, description="Exact Open311 service code."),
    OpenApiParameter("region", str, description="Kemendagri code prefix, e.g. 18.71.01."),
    OpenApiParameter(
        "status", str, description="open, closed, or a state code (dispatched, in_progress …)."
    ),
    OpenApiParameter("since", str, description="Filed at or after (ISO 8601)."),
    OpenApiParameter("until", str, description="Filed at or before (ISO 8601)."),
    OpenApiParameter("page", int),
    OpenApiParameter("page_size", int, description="1–100, default 20."),
]


# --- views ----------------------------------------------------------------------------------
class ComplaintListCreateView(APIView):
    """Public reports (GET, anyone) and filing a report (POST, a citizen's token or session)."""

    throttle_classes = [*DEFAULT_THROTTLES, WriteThrottle]

    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return [AllowAny()]

    @extend_schema(
        tags=["complaints"],
        operation_id="complaints_list",
        parameters=_QUERY_PARAMS,
        responses=PublicComplaintPageSerializer,
        description="Public reports, newest first. No total count (cheap on big tables).",
    )
    def get(self, request: Request) -> Response:
        query = ComplaintQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        government_id = None
        if data.get("government"):
            government = government_public(slug=data["government"])
            if government is None:
                raise NotFound(_("Pemerintah daerah tidak ditemukan."))
            government_id = government.pk
        filters = ComplaintFilters(
            government_id=government_id,
            category_id=data.get("category"),
            service_code=data.get("service_code", ""),
            region_prefix=data.get("region", ""),
            status=data.get("status", ""),
            since=data.get("since"),
            until=data.get("until"),
        )
        page = complaints.public_complaints(
            filters=filters, page=data["page"], page_size=data["page_size"]
        )
        _page_or_404(page.items, page.page)
        body = {
            **_page_links(request, page.page, page.has_next),
            "results": PublicComplaintSerializer(page.items, many=True).data,
        }
        return Response(body)

    @extend_schema(
        tags=["complaints"],
        operation_id="complaints_create",
        request=ComplaintCreateSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="8–100 printable characters; a repeat returns the first filing.",
            )
        ],
        responses={201: ComplaintCreatedSerializer, 200: ComplaintCreatedSerializer},
        description=(
            "File a report as the signed-in citizen. 201 when created; 200 with the same body "
            "when the Idempotency-Key was already used for the same data; 409 "
            "idempotency_conflict when it was used for different data."
        ),
    )
    def post(self, request: Request) -> Response:
        user = _user_account(request)
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            raise ValidationError({"Idempotency-Key": [_("Header Idempotency-Key wajib.")]})
        body = ComplaintCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        government = government_public(slug=data["government"])
        if government is None:
            raise ValidationError({"government": [_("Pemerintah daerah tidak ditemukan.")]})
        category: int | str = data["category"]
        if isinstance(category, str) and category.isdigit():
            category = int(category)
        result = complaint_submit(
            government=government,
            category=category,
            title=data["title"],
            description=data["description"],
            region=data["region"],
            report_class=data["report_class"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            landmark=data["landmark"],
            visibility=data["visibility"],
            identity=data["identity"],
            reporter=user,
            attributes=data["attributes"],
            source=Source.API,
            idempotency_key=key,
        )
        complaint = result.complaint
        answer = {
            "number": complaint.tracking_number,
            "status": complaint.state,
            "status_label": str(COMPLAINT.public_label(complaint.state)),
            "visibility": complaint.visibility,
            "identity": complaint.identity,
            "url": complaints.tracking_path(complaint.tracking_number),
            "warnings": [str(w) for w in result.warnings],
        }
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        # Already in the shape ComplaintCreatedSerializer documents (the schema tests hold it).
        return Response(answer, status=code)


@extend_schema(tags=["complaints"])
class ComplaintDetailView(APIView):
    """One public report with its public timeline; 404 for confidential or unlisted ones."""

    permission_classes = [AllowAny]

    @extend_schema(responses=PublicComplaintDetailSerializer)
    def get(self, request: Request, number: str) -> Response:
        try:
            view = complaints.public_complaint(number=number.strip().upper())
        except Complaint.DoesNotExist:
            raise NotFound(_("Laporan tidak ditemukan.")) from None
        return Response(PublicComplaintDetailSerializer(view).data)


@extend_schema(tags=["complaints"])
class ComplaintMapView(APIView):
    """Pins of public reports inside a viewport (at most 1,000, newest first)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("bbox", str, required=True, description="west,south,east,north"),
            OpenApiParameter("category", int),
            OpenApiParameter("status", str),
        ],
        responses=MapSerializer,
    )
    def get(self, request: Request) -> Response:
        query = MapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        west, south, east, north = query.validated_data["bbox"]
        limit = complaints.MAP_LIMIT
        points = complaints.map_points(
            south=south,
            west=west,
            north=north,
            east=east,
            category_id=query.validated_data.get("category"),
            status=query.validated_data.get("status", ""),
            limit=limit,
        )
        body = {"count": len(points), "truncated": len(points) >= limit, "results": points}
        return Response(MapSerializer(body).data)


@extend_schema(tags=["complaints"])
class ComplaintTrackView(APIView):
    """The tracking page for anyone holding the number (confidential reports too, without
    their content)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=TrackingSerializer)
    def get(self, request: Request, number: str) -> Response:
        view = complaints.tracking_view(number=number)
        if view is None:
            raise NotFound(_("Laporan tidak ditemukan."))
        return Response(TrackingSerializer(view).data)


@extend_schema(tags=["complaints"])
class MyComplaintsView(APIView):
    """The caller's own reports, newest first, any visibility."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses=OwnComplaintPageSerializer,
    )
    def get(self, request: Request) -> Response:
        user = _user_account(request)
        query = _PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = complaints.reporter_complaints(
            user=user,
            page=query.validated_data["page"],
            page_size=query.validated_data["page_size"],
        )
        _page_or_404(page.items, page.page)
        body = {
            **_page_links(request, page.page, page.has_next),
            "results": OwnComplaintSerializer(page.items, many=True).data,
        }
        return Response(body)
