"""Password rules. Officers follow BSSN: at least 12 characters mixing lower and upper case,
digits and symbols. Citizens get Django's default validators (length 8, not common)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OFFICER_MIN_LENGTH = 12


def officer_password_problems(password: str) -> list[str]:
    problems = []
    if len(password) < OFFICER_MIN_LENGTH:
        problems.append(_("Kata sandi petugas minimal %(n)d karakter.") % {"n": OFFICER_MIN_LENGTH})
    kinds = [
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    if not all(kinds):
        problems.append(
            _("Kata sandi petugas harus memuat huruf kecil, huruf kapital, angka dan simbol.")
        )
    return problems


class OfficerPasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not (getattr(user, "is_officer", False) or user.is_staff):
            return
        problems = officer_password_problems(password)
        if problems:
            raise ValidationError(problems, code="officer_password_weak")

    def get_help_text(self) -> str:
        return _(
            "Petugas: minimal 12 karakter dengan huruf kecil, huruf kapital, angka dan simbol."
        )
