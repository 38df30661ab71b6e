"""API v1 views and health probes. Views parse and authorise; services write; selectors read."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from loket.api import selectors, serializers, services
from loket.api.errors import Conflict
from loket.api.models import ApiKey
from loket.api.throttling import DEFAULT_THROTTLES, WriteThrottle
from loket.organizations.models import Agency, Government, Region

logger = logging.getLogger("loket.api")


# --- API v1 ---------------------------------------------------------------------------------


class MeView(APIView):
    """The signed-in user's own profile."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=serializers.MeSerializer, tags=["account"])
    def get(self, request: Request) -> Response:
        user: Any = request.user
        return Response(serializers.MeSerializer(user).data)


@extend_schema(
    tags=["regions"],
    parameters=[
        OpenApiParameter(
            "parent",
            str,
            description="Dotted Kemendagri code of the parent, e.g. 18.71; omit for provinces.",
        )
    ],
)
class RegionListView(generics.ListAPIView[Region]):
    """Children of one region in the Kemendagri list (provinces when no parent is given)."""

    permission_classes = [AllowAny]
    serializer_class = serializers.RegionSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Region]:
        query = serializers.RegionQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        parent = query.validated_data.get("parent")
        if parent is not None and not selectors.region_exists(code=parent):
            raise NotFound(_("Wilayah induk tidak ditemukan."))
        return selectors.region_children(parent_code=parent)


@extend_schema(tags=["governments"])
class GovernmentListView(generics.ListAPIView[Government]):
    """Regional governments served by this installation."""

    permission_classes = [AllowAny]
    serializer_class = serializers.GovernmentSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Government]:
        return selectors.governments_public()


@extend_schema(tags=["governments"])
class AgencyListView(generics.ListAPIView[Agency]):
    """Active agencies (OPD) of one government."""

    permission_classes = [AllowAny]
    serializer_class = serializers.AgencySerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Agency]:
        government = selectors.government_public(slug=self.kwargs["slug"])
        if government is None:
            raise NotFound(_("Pemerintah daerah tidak ditemukan."))
        return selectors.agencies_public(government=government)


_SESSION_ONLY: list[Any] = [{"cookieAuth": []}]


class _PersonalTokenMixin:
    def _user(self, request: Request) -> Any:
        if isinstance(request.auth, ApiKey) or not request.user.is_authenticated:
            # Tokens are managed from a signed-in browser session only, so a leaked token
            # cannot mint more tokens.
            raise PermissionDenied(_("Token hanya dapat dikelola dari sesi masuk di peramban."))
        return request.user


class TokenListCreateView(_PersonalTokenMixin, APIView):
    """The signed-in user's personal API tokens."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [*DEFAULT_THROTTLES, WriteThrottle]

    @extend_schema(
        responses=serializers.TokenSerializer(many=True), tags=["account"], auth=_SESSION_ONLY
    )
    def get(self, request: Request) -> Response:
        tokens = selectors.personal_tokens_for(user=self._user(request))
        return Response(serializers.TokenSerializer(tokens, many=True).data)

    @extend_schema(
        request=serializers.TokenCreateSerializer,
        responses={201: serializers.TokenCreatedSerializer},
        tags=["account"],
        auth=_SESSION_ONLY,
    )
    def post(self, request: Request) -> Response:
        user = self._user(request)
        if user.is_officer:
            from loket.accounts.mfa import has_second_factor

            if not has_second_factor(user):
                raise PermissionDenied(
                    _("Aktifkan verifikasi dua langkah sebelum membuat token API.")
                )
        body = serializers.TokenCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            key, plaintext = services.apikey_create(
                name=body.validated_data["name"], scopes=[], user=user
            )
        except services.TokenLimitReached:
            raise Conflict(
                _("Anda sudah memiliki %(n)d token aktif. Cabut salah satu terlebih dahulu.")
                % {"n": services.MAX_PERSONAL_TOKENS}
            ) from None
        data = dict(serializers.TokenSerializer(key).data)
        data["token"] = plaintext
        return Response(data, status=status.HTTP_201_CREATED)


class TokenDetailView(_PersonalTokenMixin, APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [*DEFAULT_THROTTLES, WriteThrottle]

    @extend_schema(responses={204: None}, tags=["account"], auth=_SESSION_ONLY)
    def delete(self, request: Request, prefix: str) -> Response:
        """Revoke one of your own tokens at once."""
        key = selectors.personal_token_of(user=self._user(request), prefix=prefix)
        if key is None:
            raise NotFound(_("Token tidak ditemukan."))
        services.apikey_revoke(key=key, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Documentation page ---------------------------------------------------------------------

_METHOD_ORDER = ["get", "post", "put", "patch", "delete"]


@lru_cache(maxsize=4)
def _schema_for(language: str) -> dict[str, Any]:
    # The schema depends only on the code (and the language of its descriptions): build it
    # once per process and language.
    with translation.override(language):
        generator = SchemaGenerator()  # type: ignore[no-untyped-call]
        return generator.get_schema(request=None, public=True)  # type: ignore[no-any-return,no-untyped-call]


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in _METHOD_ORDER:
            operation = item.get(method)
            if operation is None:
                continue
            security = [name for entry in operation.get("security", []) for name in entry]
            groups.setdefault((operation.get("tags") or ["api"])[0], []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": operation.get("operationId", ""),
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                    "responses": sorted(operation.get("responses", {}).items()),
                    "security": security,
                }
            )
    return [{"tag": tag, "operations": ops} for tag, ops in sorted(groups.items())]


def api_docs(request: HttpRequest) -> HttpResponse:
    """A plain, server-rendered list of the operations in the OpenAPI schema.

    No JavaScript viewer: those load from a CDN or need inline styles, both refused by the
    site's content security policy, and weigh far more than this page.
    """
    schema = _schema_for(translation.get_language() or settings.LANGUAGE_CODE)
    return render(
        request,
        "api/docs.html",
        {"info": schema.get("info", {}), "groups": _operations(schema)},
    )


# --- Health probes --------------------------------------------------------------------------

STALE_TASK_AGE = timedelta(minutes=10)


def _probe_response(body: dict[str, Any], status_code: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status_code)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches neither the database nor the session."""
    return _probe_response({"status": "ok"})


def _check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok"}


def _check_task_queue() -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult, get_date_max

    cutoff = timezone.now() - STALE_TASK_AGE
    # Waiting since enqueue (no run_after) or since run_after, whichever applies.
    stale = (
        DBTaskResult.objects.filter(status="READY")
        .filter(Q(run_after=get_date_max(), enqueued_at__lt=cutoff) | Q(run_after__lt=cutoff))
        .count()
    )
    return {"status": "ok", "stale_ready_tasks": stale}


@csrf_exempt
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers and the task table can be read.

    503 names each failed check. Stale ready tasks (waiting over ten minutes: no worker, or
    workers falling behind) are a warning, not a failure: the web can still serve.
    """
    checks: dict[str, dict[str, Any]] = {}
    failed: list[str] = []
    for name, check in (("database", _check_database), ("task_queue", _check_task_queue)):
        try:
            checks[name] = check()
        except Exception as exc:
            # The exception text may name hosts or users: log it, answer with its type only.
            logger.warning("Readiness check %s failed", name, exc_info=True)
            checks[name] = {"status": "error", "error": type(exc).__name__}
            failed.append(name)
    warnings: list[str] = []
    stale = checks["task_queue"].get("stale_ready_tasks", 0)
    if stale:
        warnings.append(f"{stale} ready task(s) waiting more than 10 minutes")
    body: dict[str, Any] = {
        "status": "unavailable" if failed else "ok",
        "checks": checks,
        "warnings": warnings,
    }
    if failed:
        body["failed"] = failed
        return _probe_response(body, status.HTTP_503_SERVICE_UNAVAILABLE)
    return _probe_response(body)
