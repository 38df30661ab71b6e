"""Guards for back-office views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from loket.core.permissions import BACKOFFICE_VIEW, officer_scope


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in officer with at least one back-office role (second factor is enforced by
    OfficerSecondFactorMiddleware before the view runs). Others get 404, like a missing page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        scope = officer_scope(user)
        if not scope.has_capability(BACKOFFICE_VIEW):
            raise Http404
        request.officer_scope = scope  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped
