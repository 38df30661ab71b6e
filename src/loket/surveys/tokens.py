"""Invitation tokens: a signed, expiring link naming what the respondent is asked about.

Format ``<subject type>-<id, base 36>-<issue day, base 36>-<signature>``, for example
``application-2s-k1x-…``. The signature is an HMAC-SHA256 (first 130 bits, base 32) of the first
three parts under a key derived from ``settings.DATA_KEY``, so nobody can forge a link for
another subject or move the issue day. A token is valid for ``SURVEY_INVITATION_DAYS`` days
(default 30) from its issue day. Any subject type works (an application today, a closed
complaint later); :mod:`loket.surveys.subjects` turns the type and id into a service.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

DEFAULT_VALID_DAYS = 30
_EPOCH = dt.date(2000, 1, 1)
_TYPE = re.compile(r"^[a-z][a-z_]{0,29}$")
_TOKEN = re.compile(r"^([a-z][a-z_]{0,29})-([0-9a-z]{1,13})-([0-9a-z]{1,4})-([a-z2-7]{26})$")


@dataclass(frozen=True)
class InvitationRef:
    """What a valid token names."""

    subject_type: str
    subject_id: int
    issued_on: dt.date

    @property
    def ticket(self) -> str:
        """The key under which the answer is stored: one response per subject, whichever of
        its tokens is used."""
        return f"invite:{self.subject_type}:{self.subject_id}"


def _key() -> bytes:
    return hashlib.sha256(b"loket-survey-invitation:" + str(settings.DATA_KEY).encode()).digest()


def _b36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        value, rest = divmod(value, 36)
        out = digits[rest] + out
        if value == 0:
            return out


def _sign(body: str) -> str:
    digest = hmac.new(_key(), body.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:17]).decode().lower()[:26]


def valid_days() -> int:
    return int(getattr(settings, "SURVEY_INVITATION_DAYS", DEFAULT_VALID_DAYS))


def invitation_token(
    *, subject_type: str, subject_id: int, issued_on: dt.date | None = None
) -> str:
    """The token inviting the respondent of ``subject_type`` #``subject_id`` to the survey."""
    if not _TYPE.match(subject_type):
        raise ValueError("subject type must be lower-case letters")
    if subject_id < 0:
        raise ValueError("subject id must not be negative")
    day = issued_on or timezone.localdate()
    body = f"{subject_type}-{_b36(subject_id)}-{_b36((day - _EPOCH).days)}"
    return f"{body}-{_sign(body)}"


def read_invitation_token(token: str, *, today: dt.date | None = None) -> InvitationRef | None:
    """What ``token`` names, or None when it is malformed, forged, expired or from the future."""
    match = _TOKEN.match(token or "")
    if match is None:
        return None
    kind, raw_id, raw_day, signature = match.groups()
    body = f"{kind}-{raw_id}-{raw_day}"
    if not hmac.compare_digest(_sign(body), signature):
        return None
    issued_on = _EPOCH + dt.timedelta(days=int(raw_day, 36))
    today = today or timezone.localdate()
    if issued_on > today + dt.timedelta(days=1):
        return None
    if today > issued_on + dt.timedelta(days=valid_days()):
        return None
    return InvitationRef(subject_type=kind, subject_id=int(raw_id, 36), issued_on=issued_on)
