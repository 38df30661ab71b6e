"""Reads for accounts."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from loket.accounts import nik as nik_codec
from loket.accounts.models import SignupRequest, User
from loket.accounts.phone import normalize_phone


def find_user_by_nik(nik: str) -> User | None:
    """The account holding this NIK, found through the blind index (no decryption)."""
    value = nik_codec.normalize(nik)
    if len(value) != nik_codec.NIK_LENGTH or not value.isdigit():
        return None
    return User.objects.filter(nik_index=nik_codec.blind_index(value)).first()


def find_user_by_login(identifier: str) -> User | None:
    """The account for an email address or an Indonesian mobile number, as typed at login."""
    text = identifier.strip()
    if "@" in text:
        return User.objects.filter(email__iexact=text).first()
    phone = normalize_phone(text)
    if phone is None:
        return None
    return User.objects.filter(phone=phone).first()


def open_signup_request(request_id: str | None) -> SignupRequest | None:
    """The unfinished sign-up with this id (kept in the signer's session), if any."""
    if not request_id:
        return None
    try:
        return SignupRequest.objects.filter(pk=request_id, completed_at__isnull=True).first()
    except (ValueError, ValidationError):  # not a UUID
        return None
