"""Citizen account pages: sign-up with a one-time code, profile, NIK, export, deletion.

Login, logout, password change and the second factor are allauth's views (``/akun/…``).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from loket.accounts import selectors, services
from loket.accounts.forms import (
    ConfirmCodeForm,
    DeleteAccountForm,
    NikForm,
    ProfileForm,
    SignupForm,
)
from loket.accounts.models import SignupRequest, User

SIGNUP_SESSION_KEY = "loket_signup_request"
ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _masked_destination(request: SignupRequest) -> str:
    value = request.destination
    if request.channel == SignupRequest.Channel.EMAIL:
        name, _sep, domain = value.partition("@")
        return f"{name[:2]}***@{domain}"
    return f"{value[:5]}****{value[-3:]}"


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=False,
    )


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            channel, destination = form.cleaned_data["identifier"]
            try:
                pending = services.start_signup(
                    channel=channel,
                    destination=destination,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                    language=translation.get_language() or "id",
                )
            except services.AccountError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                request.session[SIGNUP_SESSION_KEY] = str(pending.id)
                return redirect("accounts:signup_confirm")
    return render(request, "accounts/signup.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest) -> HttpResponse:
    pending = selectors.open_signup_request(request.session.get(SIGNUP_SESSION_KEY))
    if pending is None:
        messages.info(request, _("Pendaftaran tidak ditemukan atau sudah selesai."))
        return redirect("accounts:signup")
    form = ConfirmCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = services.confirm_signup(
                    request_id=pending.id, code=form.cleaned_data["code"]
                )
            except services.AccountError as exc:
                form.add_error("code", exc.message)
                status = exc.status
            else:
                request.session.pop(SIGNUP_SESSION_KEY, None)
                user.backend = ALLAUTH_BACKEND
                from django.contrib.auth import login

                login(request, user)
                messages.success(request, _("Akun Anda sudah aktif. Selamat datang!"))
                response = redirect(settings.LOGIN_REDIRECT_URL)
                _set_language_cookie(response, user.language)
                return response
    context = {"form": form, "pending": pending, "destination": _masked_destination(pending)}
    return render(request, "accounts/signup_confirm.html", context, status=status)


@require_POST
def signup_resend(request: HttpRequest) -> HttpResponse:
    pending = selectors.open_signup_request(request.session.get(SIGNUP_SESSION_KEY))
    if pending is None:
        return redirect("accounts:signup")
    try:
        services.resend_signup_code(request_id=pending.id)
    except services.AccountError as exc:
        form = ConfirmCodeForm()
        context = {
            "form": form,
            "pending": pending,
            "destination": _masked_destination(pending),
            "resend_error": exc.message,
        }
        return render(request, "accounts/signup_confirm.html", context, status=exc.status)
    messages.success(request, _("Kode baru sudah dikirim."))
    return redirect("accounts:signup_confirm")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    initial = {
        "full_name": user.full_name,
        "language": user.language,
        "notify_email": user.notify_email,
        "notify_sms": user.notify_sms,
        "notify_whatsapp": user.notify_whatsapp,
    }
    action = request.POST.get("action") if request.method == "POST" else None
    profile_form = ProfileForm(
        request.POST if action == "profile" else None, user=user, initial=initial
    )
    nik_form = NikForm(request.POST if action == "nik" else None)
    status = 200
    if action == "profile":
        if profile_form.is_valid():
            data = profile_form.cleaned_data
            try:
                services.update_profile(
                    user=user,
                    full_name=data["full_name"],
                    language=data["language"],
                    notify_email=data["notify_email"],
                    notify_sms=data["notify_sms"],
                    notify_whatsapp=data["notify_whatsapp"],
                )
            except services.AccountError as exc:
                profile_form.add_error(None, exc.message)
                status = exc.status
            else:
                with translation.override(user.language):
                    messages.success(request, _("Profil disimpan."))
                response = redirect("accounts:profile")
                _set_language_cookie(response, user.language)
                return response
        else:
            status = 400
    elif action == "nik":
        if nik_form.is_valid():
            try:
                services.set_nik(user=user, nik=nik_form.cleaned_data["nik"])
            except ValidationError as exc:
                nik_form.add_error("nik", exc)
                status = 400
            else:
                messages.success(request, _("NIK disimpan."))
                return redirect("accounts:profile")
        else:
            status = 400
    elif action is not None:
        status = 400
    context = {"profile_form": profile_form, "nik_form": nik_form, "account": user}
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method == "GET":
        return render(request, "accounts/export.html")
    data = services.export_user_data(user=user)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="loket-data-saya-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.is_officer or user.is_staff:
        return render(request, "accounts/delete_officer.html", status=403)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            services.anonymize_user(user=user, actor=user)
            logout(request)
            messages.success(request, _("Akun Anda sudah dihapus. Terima kasih."))
            return redirect("portal:home")
        return render(request, "accounts/delete.html", {"form": form}, status=400)
    return render(request, "accounts/delete.html", {"form": form})
