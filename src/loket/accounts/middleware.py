"""Account guards that run on every request."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from loket.accounts.mfa import has_second_factor, needs_second_factor


class ActiveAccountMiddleware:
    """End the session of an account that was deactivated (or deleted) while signed in.

    Django already treats such a session as anonymous (the backend refuses inactive users),
    but the session row would live on; here it is flushed on its next request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and SESSION_KEY in session:
            if not user.is_authenticated:
                session.flush()
            elif not user.is_active:
                logout(request)
        return self.get_response(request)


class OfficerSecondFactorMiddleware:
    """Officers must set up and use a second factor before any back-office or admin page.

    allauth asks for the code at login once an authenticator exists; an officer without one
    is sent to set it up. The Django admin's own login form (which knows nothing of second
    factors) is replaced by allauth's.
    """

    PROTECTED_PREFIXES = ("/kantor/", "/admin/")
    ADMIN_LOGIN = "/admin/login/"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == self.ADMIN_LOGIN:
            target = request.GET.get("next", "/admin/")
            return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
        if request.path.startswith(self.PROTECTED_PREFIXES):
            user = request.user
            if user.is_authenticated and needs_second_factor(user) and not has_second_factor(user):
                messages.warning(
                    request,
                    _(
                        "Akun petugas wajib memakai verifikasi dua langkah. Pasang aplikasi "
                        "autentikator terlebih dahulu."
                    ),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)
