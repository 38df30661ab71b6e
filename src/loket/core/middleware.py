"""Request id: one id per request, echoed in the response and written into logs and audit."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from loket.core import context
from loket.core.errors import DomainError

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = context.bind(request_id=request_id, ip=request.META.get("REMOTE_ADDR", ""))
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class DomainErrorMiddleware:
    """Turn a DomainError escaping a page view into its 4xx page (never a 500). Views that can
    show the message in place (a form) catch the error themselves; this is the safety net."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        template = (
            "errors/fragment.html" if request.headers.get("HX-Request") else "errors/domain.html"
        )
        return render(request, template, {"error": exception}, status=exception.status)


class DatabaseUnavailableMiddleware:
    """While the database is unreachable (a restart, a failover) answer 503 with Retry-After
    instead of a 500: nothing was saved, and the client may simply try again."""

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError):
            return self.unavailable(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            return self.unavailable(request)
        return None

    def unavailable(self, request: HttpRequest) -> HttpResponse:
        from django.db import connection
        from django.utils.translation import gettext as _

        connection.close_if_unusable_or_obsolete()
        message = _("Layanan sedang tidak dapat menyimpan atau membaca data. Coba lagi sebentar.")
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "error": {
                        "code": "service_unavailable",
                        "message": message,
                        "request_id": context.current().request_id,
                    }
                },
                status=503,
            )
        else:
            response = HttpResponse(
                f'<!doctype html><html lang="id"><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>Loket</title><h1>503</h1><p>{message}</p></html>",
                status=503,
            )
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response
