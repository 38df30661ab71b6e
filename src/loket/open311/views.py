"""Open311 GeoReport v2 endpoints. Views parse and authorise; the complaints module's
selectors and services do the rest. Every answer, errors included, is in the format of the
URL's suffix (``.json`` or ``.xml``) and errors take the spec's shape, never the API's."""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView, set_rollback

from loket.api.authentication import ApiKeyAuthentication
from loket.api.models import ApiKey
from loket.api.permissions import HasScope
from loket.api.selectors import government_public, governments_public
from loket.api.throttling import DEFAULT_THROTTLES, WriteThrottle
from loket.complaints import selectors as complaints
from loket.complaints.models import Category, Complaint, Source
from loket.complaints.selectors import ComplaintFilters
from loket.complaints.services import complaint_submit
from loket.core.errors import DomainError
from loket.open311 import serializers
from loket.open311.renderers import FORMATS, JSON, render, render_errors
from loket.open311.selectors import villages_named_in
from loket.organizations.models import Government

logger = logging.getLogger("loket.open311")

CHANGESET = "2026-01-15T00:00:00+07:00"  # when this endpoint's behaviour last changed
DEFAULT_WINDOW = timedelta(days=90)
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_IDS = 100
OPEN311_SCOPE = "open311"


class _SuffixNegotiation(DefaultContentNegotiation):
    """The format comes from the URL suffix, so an ``Accept`` header never yields a 406."""

    def select_renderer(self, request: Request, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


class Open311View(APIView):
    """Base: integrator keys in ``api_key`` only (no session, so no CSRF token), the API's
    rate limits, and errors in the GeoReport shape of the requested format."""

    schema = None  # not part of the OpenAPI document of /api/
    authentication_classes = [ApiKeyAuthentication]
    permission_classes: list[type[BasePermission]] = [AllowAny]
    throttle_classes = list(DEFAULT_THROTTLES)
    parser_classes = [FormParser, MultiPartParser]
    content_negotiation_class = _SuffixNegotiation
    fmt = JSON

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        fmt = kwargs.get("fmt")
        self.fmt = fmt if isinstance(fmt, str) and fmt in FORMATS else JSON
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("fmt", JSON) not in FORMATS:
            raise exceptions.NotFound(_("Format tidak tersedia: gunakan .json atau .xml."))
        super().initial(request, *args, **kwargs)

    def errors(self, status: int, messages: list[str]) -> HttpResponse:
        return render_errors(self.fmt, status, messages)

    def handle_exception(self, exc: Exception) -> HttpResponse:  # type: ignore[override]
        set_rollback()
        if isinstance(exc, exceptions.Throttled):
            seconds = getattr(exc, "wait", None)
            wait = math.ceil(seconds) if seconds is not None else 60
            response = self.errors(
                429,
                [
                    _("Terlalu banyak permintaan. Coba lagi dalam %(seconds)d detik.")
                    % {"seconds": wait}
                ],
            )
            response["Retry-After"] = str(wait)
            return response
        if isinstance(exc, exceptions.NotAuthenticated):
            return self.errors(403, [_("Kirim api_key: kunci integrator dengan cakupan open311.")])
        if isinstance(exc, exceptions.AuthenticationFailed | exceptions.PermissionDenied):
            return self.errors(403, [str(exc.detail)])
        if isinstance(exc, exceptions.NotFound | Http404):
            detail = getattr(exc, "detail", "")
            return self.errors(404, [str(detail) if detail else _("Tidak ditemukan.")])
        if isinstance(exc, exceptions.MethodNotAllowed):
            return self.errors(
                405,
                [
                    _("Metode %(method)s tidak diizinkan di alamat ini.")
                    % {"method": self.request.method}
                ],
            )
        if isinstance(exc, exceptions.UnsupportedMediaType):
            return self.errors(400, [_("Kirim sebagai application/x-www-form-urlencoded.")])
        if isinstance(exc, exceptions.APIException) and exc.status_code < 500:
            return self.errors(400, [_("Permintaan tidak dapat dibaca.")])
        if isinstance(exc, DjangoValidationError):
            return self.errors(400, serializers.field_errors(exc))
        if isinstance(exc, DomainError):
            return self.errors(exc.status, [exc.message])
        logger.exception("Unhandled error in Open311 view %s", type(self).__name__)
        return self.errors(500, [_("Terjadi kesalahan di server.")])


def _government(request: Request) -> Government | None:
    """The government named by the optional ``jurisdiction_id`` (its slug)."""
    slug = request.query_params.get("jurisdiction_id", "").strip()
    if not slug:
        return None
    government = government_public(slug=slug)
    if government is None:
        raise exceptions.NotFound(_("jurisdiction_id tidak dikenal."))
    return government


class DiscoveryView(Open311View):
    """``GET discovery.{json,xml}``: where the endpoint is and what it speaks."""

    def get(self, request: Request, fmt: str) -> HttpResponse:
        url = request.build_absolute_uri(reverse("open311:discovery", args=[fmt]))
        base = url.rsplit("/", 1)[0]
        return render(
            fmt,
            "discovery",
            {
                "changeset": CHANGESET,
                "contact": _("Administrator platform Loket di instalasi ini."),
                "key_service": _(
                    "Kunci API diterbitkan oleh administrator platform "
                    "(loket apikey create --scope open311)."
                ),
                "endpoints": [
                    {
                        "specification": serializers.SPECIFICATION,
                        "url": base,
                        "changeset": CHANGESET,
                        "type": "production",
                        "formats": ["text/xml", "application/json"],
                    }
                ],
            },
        )


class ServiceListView(Open311View):
    """``GET services.{json,xml}``: the active categories of active governments."""

    def get(self, request: Request, fmt: str) -> HttpResponse:
        chosen = _government(request)
        governments = [chosen] if chosen is not None else list(governments_public())
        items = []
        for government in governments:
            categories = complaints.categories_for(government=government)
            by_id = {c.pk: c for c in categories}
            for category in categories:
                root = by_id.get(category.ancestor_ids()[0]) if category.path else None
                items.append(serializers.service(category, (root or category).name))
        return render(fmt, "services", items)


def _active_category(service_code: str) -> Category | None:
    category = complaints.category_by_service_code(service_code=service_code)
    if category is None or not category.government.is_active:
        return None
    return category


class ServiceDefinitionView(Open311View):
    """``GET services/{service_code}.{json,xml}``: the attributes a request may carry."""

    def get(self, request: Request, service_code: str, fmt: str) -> HttpResponse:
        category = _active_category(service_code)
        if category is None:
            raise exceptions.NotFound(_("service_code tidak dikenal."))
        return render(fmt, "service_definition", serializers.service_definition(category))


def _when(raw: str, name: str) -> datetime:
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            if day is not None:
                value = datetime.combine(day, datetime.min.time())
    except ValueError:  # well-formed but impossible, e.g. month 13
        value = None
    if value is None:
        raise _bad(
            _("%(name)s harus berupa tanggal-waktu W3C, mis. 2026-03-01T09:30:00+07:00.")
            % {"name": name}
        )
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _bad(message: str) -> DjangoValidationError:
    return DjangoValidationError(message)


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise _bad(
            _("%(name)s harus bilangan bulat %(low)d–%(high)d.")
            % {"name": name, "low": low, "high": high}
        )
    return int(raw)


class _PostNeedsScope(BasePermission):
    """Reading is public; creating a request needs an integrator key with ``open311``."""

    scope_check = HasScope(OPEN311_SCOPE)()

    @property
    def message(self) -> str:
        return str(getattr(self.scope_check, "message", ""))

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return self.scope_check.has_permission(request, view)


class RequestListView(Open311View):
    """``GET requests.{json,xml}``: public reports only. ``POST``: file one (realtime)."""

    permission_classes = [_PostNeedsScope]
    throttle_classes = [*DEFAULT_THROTTLES, WriteThrottle]

    def _filters(self, request: Request) -> tuple[ComplaintFilters, int, int]:
        params = request.query_params
        government = _government(request)
        government_id = government.pk if government is not None else None
        ids = [i.strip().upper() for i in params.get("service_request_id", "").split(",")]
        ids = [i for i in ids if i]
        if ids:
            if len(ids) > MAX_IDS:
                raise _bad(_("Paling banyak %(n)d service_request_id.") % {"n": MAX_IDS})
            # The spec: a list of ids overrides every other parameter.
            filters = ComplaintFilters(government_id=government_id, numbers=tuple(ids))
            return filters, 1, len(ids)
        service_code = params.get("service_code", "").strip()
        if "," in service_code:
            raise _bad(_("Kirim satu service_code per permintaan."))
        statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
        if not statuses <= {"open", "closed"}:
            raise _bad(_("status harus open atau closed."))
        status = statuses.pop() if len(statuses) == 1 else ""
        start = params.get("start_date", "").strip()
        end = params.get("end_date", "").strip()
        since = _when(start, "start_date") if start else None
        until = _when(end, "end_date") if end else None
        if since is None and until is None:
            since = timezone.now() - DEFAULT_WINDOW
        elif since is None and until is not None:
            since = until - DEFAULT_WINDOW
        if since is not None and until is not None and until < since:
            raise _bad(_("end_date harus sesudah start_date."))
        filters = ComplaintFilters(
            government_id=government_id,
            service_code=service_code,
            status=status,
            since=since,
            until=until,
        )
        page = _int(request, "page", 1, 1, 100_000)
        page_size = _int(request, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
        return filters, page, page_size

    def get(self, request: Request, fmt: str) -> HttpResponse:
        filters, page, page_size = self._filters(request)
        result = complaints.public_complaints(filters=filters, page=page, page_size=page_size)
        items = [
            serializers.service_request(view, absolute=request.build_absolute_uri)
            for view in result.items
        ]
        response = render(fmt, "service_requests", items)
        if result.has_next:
            query = request.query_params.copy()
            query["page"] = str(result.page + 1)
            query.pop("api_key", None)
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
            response["Link"] = f'<{next_url}>; rel="next"'
        return response

    def post(self, request: Request, fmt: str) -> HttpResponse:
        posted = serializers.parse_post(request.data)
        if posted.errors:
            raise _errors(posted.errors)
        category = _active_category(posted.service_code)
        if category is None:
            raise _errors({"service_code": _("Kode layanan tidak dikenal.")})
        key = request.auth
        if isinstance(key, ApiKey) and key.government_id not in (None, category.government_id):
            raise exceptions.PermissionDenied(
                _("Kunci API ini tidak berlaku untuk pemerintah daerah layanan tersebut.")
            )
        if not posted.has_location:
            raise _errors(
                {"lat/long": _("Sebutkan lokasi: lat dan long, address_string, atau address_id.")}
            )
        region = _region_code(posted, category.government)
        result = complaint_submit(
            government=category.government,
            category=category,
            title=serializers.title_for(posted, category),
            description=posted.description,
            region=region,
            latitude=posted.lat or None,
            longitude=posted.long or None,
            landmark=posted.address_string[: serializers.MAX_LANDMARK],
            visibility=posted.visibility,
            identity=posted.identity,
            guest_name=posted.guest_name,
            guest_email=posted.email,
            guest_phone=posted.phone,
            attributes=posted.attributes,
            source=Source.OPEN311,
            idempotency_key=request.headers.get("Idempotency-Key", "").strip(),
        )
        number = result.complaint.tracking_number
        tracking_url = request.build_absolute_uri(complaints.tracking_path(number))
        notice = _("Laporan diterima dengan nomor %(number)s. Pantau di %(url)s") % {
            "number": number,
            "url": tracking_url,
        }
        if result.warnings:
            notice = " ".join([notice, *result.warnings])
        body = [{"service_request_id": number, "service_notice": notice, "account_id": None}]
        return render(fmt, "service_requests", body)


def _errors(errors: dict[str, str]) -> DjangoValidationError:
    return DjangoValidationError({name: [message] for name, message in errors.items()})


def _region_code(posted: serializers.PostedRequest, government: Government) -> str:
    """The desa/kelurahan: ``attribute[region]``, else ``address_id``, else the one desa or
    kelurahan of the government that ``address_string`` names (README.md "Region")."""
    explicit = posted.region or posted.address_id
    if explicit:
        return explicit
    if posted.address_string:
        found = villages_named_in(government=government, text=posted.address_string)
        if len(found) == 1:
            return found[0][0]
    raise _errors(
        {
            f"attribute[{serializers.REGION}]": _(
                "Sebutkan desa/kelurahan: kode Kemendagri (mis. 18.71.01.1001) di "
                "attribute[region] atau address_id, atau namanya di address_string."
            )
        }
    )


class RequestDetailView(Open311View):
    """``GET requests/{service_request_id}.{json,xml}``: one public report, as a list of one;
    404 for a missing, confidential or not yet public one alike."""

    def get(self, request: Request, service_request_id: str, fmt: str) -> HttpResponse:
        try:
            view = complaints.public_complaint(number=service_request_id.strip().upper())
        except Complaint.DoesNotExist:
            raise exceptions.NotFound(_("Laporan tidak ditemukan.")) from None
        item = serializers.service_request(view, absolute=request.build_absolute_uri)
        return render(fmt, "service_requests", [item])
