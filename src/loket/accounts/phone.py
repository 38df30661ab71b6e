"""Indonesian mobile numbers, kept in one form: ``+628…``."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"^\+628\d{7,11}$")


def normalize_phone(raw: str) -> str | None:
    """Return ``+628…`` for an Indonesian mobile number typed in any usual way, else None.

    Accepts ``0812…``, ``812…``, ``62812…`` and ``+62 812-…`` with spaces, dashes, dots or
    brackets between the digits.
    """
    text = re.sub(r"[\s\-.()]", "", raw or "")
    if text.startswith("+"):
        if not text.startswith("+62"):
            return None
        digits = text[3:]
    elif text.startswith("62"):
        digits = text[2:]
    elif text.startswith("0"):
        digits = text[1:]
    else:
        digits = text
    candidate = "+62" + digits
    if not (digits.isascii() and digits.isdigit()) or not _MOBILE.match(candidate):
        return None
    return candidate
