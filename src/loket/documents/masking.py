"""What the public verification page may show of a person: masked names and values."""

from __future__ import annotations

import re

_LONG_DIGITS = re.compile(r"\+?\d[\d\s.-]{8,}\d")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+)")


def mask_name(name: str) -> str:
    """``Budi Santoso`` → ``B*** S******``: enough to recognise one's own document, not to
    learn a stranger's name from a leaked QR code."""
    return " ".join(word[:1] + "*" * (len(word) - 1) for word in name.split())


def _mask_digits(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if len(digits) < 10:
        return match.group(0)
    return digits[:4] + "*" * (len(digits) - 6) + digits[-2:]


def mask_personal(value: str) -> str:
    """Mask NIK, phone numbers and other long digit runs (first four and last two digits
    kept, as NIK is shown everywhere) and e-mail addresses (first character and domain)."""
    value = _LONG_DIGITS.sub(_mask_digits, value)
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", value)
