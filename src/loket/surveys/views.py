"""Public survey pages: the invitation link, the counter kiosk and a short landing page.

Nobody signs in to answer. The invitation link is the credential (a signed, expiring token; a
bad one is a 404); the kiosk needs a device key issued to the agency (a wrong one is a 404)
and is rate-limited per device.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.catalog.models import Service
from loket.organizations.models import Agency
from loket.surveys import selectors
from loket.surveys.forms import KioskForm, SurveyForm
from loket.surveys.models import Channel, KioskDevice
from loket.surveys.services import (
    SurveyError,
    kiosk_device_touch,
    kiosk_ticket_key,
    survey_response_submit,
)
from loket.surveys.subjects import resolve_subject
from loket.surveys.tokens import read_invitation_token

KIOSK_COOKIE = "loket_kiosk"
KIOSK_QUERY = "kunci"
KIOSK_RATE_DEFAULT = 6  # answers a minute from one tablet; a real respondent needs longer


def home(request: HttpRequest) -> HttpResponse:
    """What the satisfaction survey is and how to take part."""
    return render(request, "surveys/home.html")


def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire behind an invitation link: one answer per invited subject."""
    ref = read_invitation_token(token)
    if ref is None:
        raise Http404
    subject = resolve_subject(ref.subject_type, ref.subject_id)
    if subject is None:
        raise Http404
    service = subject.service
    context: dict[str, Any] = {"service": service, "reference": subject.reference}
    if selectors.ticket_used(ref.ticket):
        status = 409 if request.method == "POST" else 200
        return render(request, "surveys/done.html", context, status=status)
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                survey_response_submit(
                    government=service.government,
                    service=service,
                    channel=Channel.INVITATION,
                    scores=form.scores(),
                    ticket=ref.ticket,
                    **form.profile(),
                )
            except SurveyError as exc:
                if exc.status == 409:
                    return render(request, "surveys/done.html", context, status=409)
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Terima kasih, jawaban Anda sudah kami terima."))
                return redirect(request.path)
        status = 400
    context["form"] = form
    return render(request, "surveys/respond.html", context, status=status)


def _kiosk_device(request: HttpRequest, agency: Agency) -> tuple[KioskDevice, bool]:
    """The tablet's device and whether its key came in the query (to be moved to a cookie)."""
    from_query = request.GET.get(KIOSK_QUERY, "")
    key = from_query or request.COOKIES.get(KIOSK_COOKIE, "")
    device = selectors.kiosk_device_for(agency=agency, key=key)
    if device is None:
        raise Http404
    return device, bool(from_query)


def _rate_ok(device: KioskDevice) -> bool:
    """At most SURVEY_KIOSK_RATE posts a minute per device (the window opens at the first)."""
    limit = int(getattr(settings, "SURVEY_KIOSK_RATE", KIOSK_RATE_DEFAULT))
    key = f"surveys:kiosk-rate:{device.pk}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        count = 1
    return count <= limit


def kiosk(request: HttpRequest, government_slug: str, agency_slug: str) -> HttpResponse:
    """The counter tablet: pick the service, type the ticket number, answer; then a fresh form."""
    agency = (
        Agency.objects.select_related("government")
        .filter(government__slug=government_slug, slug=agency_slug, is_active=True)
        .first()
    )
    if agency is None:
        raise Http404
    device, key_in_query = _kiosk_device(request, agency)
    if key_in_query:
        # Keep the key out of the address bar and history: the tablet remembers it in a cookie.
        response = redirect(request.path)
        response.set_cookie(
            KIOSK_COOKIE,
            request.GET[KIOSK_QUERY],
            max_age=400 * 24 * 3600,
            path=request.path,
            secure=request.is_secure(),
            httponly=True,
            samesite="Strict",
        )
        return response
    services = list(selectors.kiosk_services(agency=agency).values_list("id", "name"))
    form = KioskForm(request.POST or None, services=services)
    status = 200
    if request.method == "POST":
        if not _rate_ok(device):
            busy = render(request, "surveys/kiosk_busy.html", {"agency": agency}, status=429)
            busy["Retry-After"] = "60"
            return busy
        status = 400
        if form.is_valid():
            service = Service.objects.select_related("government").get(
                pk=form.cleaned_data["service"], agency=agency
            )
            try:
                ticket = kiosk_ticket_key(
                    service=service,
                    day=timezone.localdate(),
                    number=form.cleaned_data["ticket_number"],
                )
            except SurveyError as exc:
                form.add_error("ticket_number", exc.message)
                ticket = ""
            if ticket:
                try:
                    survey_response_submit(
                        government=service.government,
                        service=service,
                        channel=Channel.KIOSK,
                        scores=form.scores(),
                        ticket=ticket,
                        **form.profile(),
                    )
                except SurveyError as exc:
                    form.add_error("ticket_number" if exc.status == 409 else None, exc.message)
                    status = 409 if exc.status == 409 else 400
                else:
                    kiosk_device_touch(device=device)
                    messages.success(
                        request,
                        _("Terima kasih atas penilaian Anda. Silakan serahkan kepada berikutnya."),
                    )
                    return redirect(request.path)
    return render(
        request,
        "surveys/kiosk.html",
        {"agency": agency, "form": form, "has_services": bool(services)},
        status=status,
    )
