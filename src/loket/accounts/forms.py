"""Forms for sign-up, login, profile, NIK and account deletion."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from loket.accounts import nik as nik_codec
from loket.accounts import otp
from loket.accounts.models import SignupRequest, User
from loket.accounts.phone import normalize_phone


class NoEchoTextInput(forms.TextInput):
    """A text box that never writes the submitted value back into the page."""

    def format_value(self, value: Any) -> str | None:
        return None


class LoginForm(AllauthLoginForm):  # type: ignore[misc]
    """allauth's login form with one box for an email address or a mobile number.

    The field stays named ``login``: django-axes reads it to count failures.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Email atau nomor ponsel")
        login.widget.attrs.update({"autocomplete": "username", "placeholder": ""})
        self.fields["password"].label = _("Kata sandi")
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Ingat saya di perangkat ini")


def parse_identifier(raw: str) -> tuple[str, str]:
    """``(channel, destination)`` for an email address or an Indonesian mobile number."""
    text = raw.strip()
    if "@" in text:
        try:
            validate_email(text)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Alamat email tidak valid."), code="invalid_email"
            ) from None
        return SignupRequest.Channel.EMAIL, text.lower()
    phone = normalize_phone(text)
    if phone is None:
        raise forms.ValidationError(
            _("Masukkan alamat email atau nomor ponsel Indonesia (misalnya 0812 3456 7890)."),
            code="invalid_identifier",
        )
    return SignupRequest.Channel.SMS, phone


class SignupForm(forms.Form):
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    identifier = forms.CharField(
        label=_("Email atau nomor ponsel"),
        max_length=254,
        help_text=_("Kami kirim kode verifikasi 6 angka ke alamat ini."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_validators_help_text_html()

    def clean_full_name(self) -> str:
        name = str(self.cleaned_data["full_name"]).strip()
        if not name:
            raise forms.ValidationError(_("Nama lengkap wajib diisi."), code="required")
        return name

    def clean_identifier(self) -> tuple[str, str]:
        return parse_identifier(self.cleaned_data["identifier"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif p1 and "identifier" in data:
            channel, destination = data["identifier"]
            candidate = User(
                full_name=data.get("full_name", ""),
                email=destination if channel == SignupRequest.Channel.EMAIL else None,
                phone=destination if channel == SignupRequest.Channel.SMS else None,
            )
            try:
                validate_password(p1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ConfirmCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=12,
        widget=NoEchoTextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )

    def clean_code(self) -> str:
        code = otp.normalize_code(self.cleaned_data["code"])
        if len(code) != otp.CODE_DIGITS:
            raise forms.ValidationError(_("Kode terdiri dari 6 angka."), code="code_format")
        return code


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=_("Bahasa"), choices=[("id", "Bahasa Indonesia"), ("en", "English")]
    )
    notify_email = forms.BooleanField(label=_("Kabari saya lewat email"), required=False)
    notify_sms = forms.BooleanField(label=_("Kabari saya lewat SMS"), required=False)
    notify_whatsapp = forms.BooleanField(label=_("Kabari saya lewat WhatsApp"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.email:
            self.fields["notify_email"].disabled = True
            self.fields["notify_email"].help_text = _("Akun ini tidak punya email.")
        if not user.phone:
            for name in ("notify_sms", "notify_whatsapp"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Akun ini tidak punya nomor ponsel.")

    def clean_full_name(self) -> str:
        name = str(self.cleaned_data["full_name"]).strip()
        if not name:
            raise forms.ValidationError(_("Nama lengkap wajib diisi."), code="required")
        return name


class NikForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK (Nomor Induk Kependudukan)"),
        max_length=24,
        help_text=_("16 angka seperti pada KTP-el. Disimpan terenkripsi dan ditampilkan tersamar."),
        widget=NoEchoTextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_nik(self) -> str:
        return nik_codec.validate(self.cleaned_data["nik"])


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("Saya mengerti: data pribadi saya dihapus dan akun tidak bisa dipulihkan."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Kata sandi salah."), code="wrong_password")
        return str(password)
