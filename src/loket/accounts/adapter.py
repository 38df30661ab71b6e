"""allauth glue: phone numbers live on our User model, sign-up is Loket's own (email or phone
with a one-time code), failed logins are counted by django-axes under a keyed hash."""

from __future__ import annotations

import logging
import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from loket.accounts.phone import normalize_phone
from loket.core.audit import personal_ref

log = logging.getLogger("loket.accounts.login")

_WRONG_LOGIN = _("Email/nomor ponsel atau kata sandi salah.")


class IndonesianPhoneField(forms.CharField):
    """A mobile number typed as 0812…, 62812… or +62 812…; cleaned to ``+628…``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Nomor ponsel"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value:
            return value
        phone = normalize_phone(value)
        if phone is None:
            raise forms.ValidationError(
                _("Masukkan nomor ponsel Indonesia, misalnya 0812 3456 7890."),
                code="invalid_phone",
            )
        return phone


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _WRONG_LOGIN,
        "phone_password_mismatch": _WRONG_LOGIN,
        "username_password_mismatch": _WRONG_LOGIN,
        "invalid_login": _WRONG_LOGIN,
        "account_inactive": _("Akun ini tidak aktif."),
        "too_many_login_attempts": _("Terlalu banyak percobaan masuk. Coba lagi nanti."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Sign-up goes through accounts:signup (email or phone, confirmed by a code).
        return False

    def phone_form_field(self, **kwargs: Any) -> Any:
        return IndonesianPhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return normalize_phone(phone) or phone

    def set_phone(self, user: Any, phone: str, verified: bool) -> None:
        user.phone = normalize_phone(phone) or phone
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user: Any) -> tuple[str, bool] | None:
        if user.phone:
            return user.phone, user.phone_verified
        return None

    def set_phone_verified(self, user: Any, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str) -> Any:
        from loket.accounts.models import User

        normalized = normalize_phone(phone)
        if normalized is None:
            return None
        return User.objects.filter(phone=normalized).first()

    def send_verification_code_sms(self, user: Any, phone: str, code: str, **kwargs: Any) -> None:
        from loket.notifications.providers import send_sms_now

        send_sms_now(phone, str(_("Kode verifikasi Loket: %(code)s")) % {"code": code})

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A password typed at login a moment ago counts as fresh for setting up a second
        factor: officers are sent to that page right after signing in."""
        required = bool(super().is_reauthentication_required(app=app, **kwargs))
        if not required or app != "allauth.mfa":
            return required
        from allauth.account import app_settings
        from allauth.account.authentication import get_authentication_records
        from allauth.core import context

        request = context.request
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        limit = time.time() - app_settings.REAUTHENTICATION_TIMEOUT
        return not any(
            r.get("method") == "password" and float(r.get("at", 0)) > limit for r in records
        )

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        ref = login_ref(credentials)
        log.warning("login failed ref=%s", ref or "-")


def _normalize_identifier(value: str) -> str:
    text = value.strip()
    if "@" in text:
        return text.lower()
    return normalize_phone(text) or text.lower()


def login_ref(credentials: dict[str, Any] | None, request: Any = None) -> str | None:
    """Keyed hash of the identifier a login used (email or phone, normalised)."""
    value = ""
    # What was typed in the login form comes first, so that failures (counted from the form)
    # and the reset after a successful login (django-axes passes the account's email) agree.
    if request is not None:
        data = getattr(request, "POST", None) or {}
        value = str(data.get("login", ""))
    for key in ("email", "phone", "username", "login"):
        if value:
            break
        if credentials and credentials.get(key):
            value = str(credentials[key])
    if not value:
        return None
    return personal_ref(_normalize_identifier(value))


def axes_username(request: Any, credentials: dict[str, Any] | None) -> str | None:
    """django-axes counts failures per identifier; it stores our keyed hash, never the
    address itself."""
    return login_ref(credentials, request)


def axes_client_str(
    username: str | None, ip_address: str, user_agent: str, path_info: str, request: Any
) -> str:
    """What django-axes writes in its log lines: the keyed reference, never the identifier."""
    ref = login_ref({"login": username} if username else None, request)
    return f"{{ref: {ref or '-'}, path: {path_info}}}"
