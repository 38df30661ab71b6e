"""Officer back office. Every view requires an officer who passed the second factor."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from loket.backoffice.access import officer_required


@officer_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/home.html")
