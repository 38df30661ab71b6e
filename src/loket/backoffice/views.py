"""Officer back office. Every view requires an officer who passed the second factor."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from loket.backoffice.access import officer_required
from loket.organizations.models import Membership


@officer_required
def home(request: HttpRequest) -> HttpResponse:
    user_id = int(request.user.pk or 0)  # officer_required: always a signed-in officer
    memberships = (
        Membership.objects.filter(user_id=user_id, is_active=True)
        .select_related("agency__government")
        .order_by("agency__government__name", "agency__name")
    )
    return render(request, "backoffice/home.html", {"memberships": memberships})
