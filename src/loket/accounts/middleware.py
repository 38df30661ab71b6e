"""Account guards that run on every request."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


class ActiveAccountMiddleware:
    """End the session of an account deactivated while signed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_active:
            logout(request)
        return self.get_response(request)


class OfficerSecondFactorMiddleware:
    """Officers must set up and use a second factor before any back-office or admin page."""

    PROTECTED_PREFIXES = ("/kantor/", "/admin/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.PROTECTED_PREFIXES):
            user = request.user
            if user.is_authenticated and (user.is_officer or user.is_staff):  # type: ignore[union-attr]
                from loket.accounts.mfa import has_second_factor

                if not has_second_factor(user):
                    return redirect("mfa_activate_totp")
        return self.get_response(request)
