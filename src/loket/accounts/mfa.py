"""Second-factor helpers on top of allauth.mfa: officers must keep their authenticator app."""

from __future__ import annotations

from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.utils.translation import gettext_lazy as _


def needs_second_factor(user: Any) -> bool:
    """Officers and platform staff must use a second factor."""
    return bool(getattr(user, "is_officer", False) or getattr(user, "is_staff", False))


def has_second_factor(user: Any) -> bool:
    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Akun petugas wajib memakai verifikasi dua langkah; aplikasi autentikator tidak "
            "bisa dimatikan."
        ),
        "incorrect_code": _("Kode salah."),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and needs_second_factor(
            authenticator.user
        ):
            return False
        return bool(super().can_delete_authenticator(authenticator))
