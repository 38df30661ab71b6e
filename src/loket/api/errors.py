"""One JSON error shape for the whole API.

Every error answer, whatever raised it, reads::

    {"error": {"code": "validation_error", "message": "…", "fields": {…}, "request_id": "…"}}

``message`` is in the request's language; ``fields`` appears only for validation errors and
maps a field (dotted for nested data) to its messages; ``request_id`` equals the
``X-Request-ID`` response header, so a citizen or integrator can quote it to support.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from loket.core import context
from loket.core.errors import DomainError

logger = logging.getLogger("loket.api")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "conflict"
    default_code = "conflict"


# Exceptions whose DRF text is generic or English-only: we always say it in our own words.
_OWN_WORDS = (
    exceptions.ValidationError,
    exceptions.NotAuthenticated,
    exceptions.MethodNotAllowed,
    exceptions.NotAcceptable,
    exceptions.UnsupportedMediaType,
    exceptions.Throttled,
)


def _default_message(exc: exceptions.APIException, request: Any) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return _("Data yang dikirim tidak valid.")
    if isinstance(exc, exceptions.ParseError):
        return _("Isi permintaan tidak dapat dibaca.")
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Anda perlu masuk atau mengirim token API.")
    if isinstance(exc, exceptions.AuthenticationFailed):
        return _("Autentikasi gagal.")
    if isinstance(exc, exceptions.PermissionDenied):
        return _("Anda tidak berhak melakukan ini.")
    if isinstance(exc, exceptions.NotFound):
        return _("Tidak ditemukan.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        method = getattr(request, "method", "") or ""
        return _("Metode %(method)s tidak diizinkan di alamat ini.") % {"method": method}
    if isinstance(exc, exceptions.NotAcceptable):
        return _("Format jawaban yang diminta tidak tersedia.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Jenis isi permintaan tidak didukung.")
    if isinstance(exc, exceptions.Throttled):
        wait = getattr(exc, "wait", None)
        seconds = math.ceil(wait) if wait is not None else 60
        return _("Terlalu banyak permintaan. Coba lagi dalam %(seconds)d detik.") % {
            "seconds": seconds
        }
    if isinstance(exc, Conflict):
        return _("Permintaan bertentangan dengan keadaan data saat ini.")
    return _("Permintaan tidak dapat diproses.")


def _code(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "validation_error"
    if isinstance(exc, exceptions.NotAuthenticated):
        return "not_authenticated"
    if isinstance(exc, exceptions.Throttled):
        return "throttled"
    return str(exc.default_code)


def _flatten(detail: Any, prefix: str, out: dict[str, list[str]]) -> None:
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(detail, Sequence) and not isinstance(detail, str):
        for index, item in enumerate(detail):
            if isinstance(item, Mapping | list):
                _flatten(item, f"{prefix}.{index}" if prefix else str(index), out)
            else:
                out.setdefault(prefix or "non_field_errors", []).append(str(item))
    else:
        out.setdefault(prefix or "non_field_errors", []).append(str(detail))


def validation_fields(detail: Any) -> dict[str, list[str]]:
    """A field → messages mapping from a DRF or Django validation error's detail."""
    out: dict[str, list[str]] = {}
    _flatten(detail, "", out)
    return out


def error_body(
    code: str, message: str, *, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields is not None:
        error["fields"] = fields
    error["request_id"] = context.current().request_id
    return {"error": error}


def _to_api_exception(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        # Django's text names the model ("No Region matches…"): say "not found", nothing more.
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, OperationalError | InterfaceError):
        unavailable = exceptions.APIException(
            detail=_("Layanan sedang tidak dapat menyimpan atau membaca data. Coba lagi sebentar."),
            code="service_unavailable",
        )
        unavailable.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        unavailable.default_code = "service_unavailable"
        return unavailable
    if isinstance(exc, DomainError):
        api_exc = exceptions.APIException(detail=exc.message, code=exc.code)
        api_exc.status_code = exc.status
        api_exc.default_code = exc.code
        return api_exc
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return exceptions.ValidationError(detail)
    return None


def exception_handler(exc: Exception, context_: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every exception inside an API view becomes the error shape."""
    request = context_.get("request")
    api_exc = _to_api_exception(exc)
    if api_exc is None:
        view = context_.get("view")
        logger.exception("Unhandled error in API view %s", type(view).__name__ if view else "?")
        set_rollback()
        message = _(
            "Terjadi kesalahan di server. Sebutkan kode %(request_id)s bila menghubungi kami."
        ) % {"request_id": context.current().request_id or "-"}
        return Response(
            error_body("server_error", message), status=status.HTTP_500_INTERNAL_SERVER_ERROR
        )

    headers: dict[str, str] = {}
    auth_header = getattr(api_exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    if isinstance(api_exc, exceptions.Throttled):
        wait = getattr(api_exc, "wait", None)
        headers["Retry-After"] = str(math.ceil(wait) if wait is not None else 60)
    if api_exc.status_code == status.HTTP_503_SERVICE_UNAVAILABLE:
        headers["Retry-After"] = "5"

    fields = None
    if isinstance(api_exc, exceptions.ValidationError):
        message = _default_message(api_exc, request)
        fields = validation_fields(api_exc.detail)
    elif isinstance(api_exc, _OWN_WORDS) or str(api_exc.detail) == str(api_exc.default_detail):
        message = _default_message(api_exc, request)
    else:
        message = str(api_exc.detail)

    set_rollback()
    return Response(
        error_body(_code(api_exc), message, fields=fields),
        status=api_exc.status_code,
        headers=headers,
    )


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any /api/ address that matches no endpoint: the same shape instead of an HTML page."""
    return JsonResponse(error_body("not_found", _("Alamat API ini tidak ada.")), status=404)
