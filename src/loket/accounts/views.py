from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def signup(request: HttpRequest) -> HttpResponse:
    return redirect("account_signup")
