"""Citizen-facing pages. Views parse and authorise; services do the work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/account.html")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/inbox.html")
