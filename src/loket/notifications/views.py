"""The inbox: the signed-in user's notifications, newest first; mark one or all read."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from loket.notifications import selectors, services
from loket.notifications.models import Notification

if TYPE_CHECKING:
    from loket.accounts.models import User

PAGE_SIZE = 25


def _page_number(request: HttpRequest) -> str:
    value = request.POST.get("page") or request.GET.get("page") or "1"
    return value if value.isdigit() else "1"


def _user(request: HttpRequest) -> User:
    # Every view here is behind login_required.
    return cast("User", request.user)


def _back_to_inbox(request: HttpRequest) -> HttpResponseRedirect:
    page = _page_number(request)
    url = reverse("notifications:inbox")
    return redirect(f"{url}?page={page}" if page != "1" else url)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.inbox_for(user=request.user), PAGE_SIZE)
    page = paginator.get_page(_page_number(request))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "notifications": list(page.object_list)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification = services.notification_mark_read(user=_user(request), notification_id=pk)
    except Notification.DoesNotExist:
        # Someone else's notification looks exactly like a missing one.
        raise Http404 from None
    if (
        request.POST.get("open")
        and notification.url
        and url_has_allowed_host_and_scheme(
            notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return redirect(notification.url)
    return _back_to_inbox(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=_user(request))
    if count:
        messages.success(request, _("Semua notifikasi sudah ditandai dibaca."))
    return _back_to_inbox(request)
