"""NIK (Nomor Induk Kependudukan): validation, parsing, encryption at rest and blind index.

Layout ``PP KK CC DDMMYY SSSS``: province, kabupaten/kota and kecamatan of first registration,
date of birth (40 added to the day for women) and a serial from 0001. There is no checksum.

A NIK is personal data: it is stored encrypted (Fernet, key derived from ``DATA_KEY``), found
through a keyed HMAC ("blind index") and shown masked. Error messages explain what is wrong
without repeating the number.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40


@dataclass(frozen=True)
class ParsedNik:
    province: str  # 2 digits
    regency: str  # 4 digits (province + kab/kota)
    district: str  # 6 digits (province + kab/kota + kecamatan)
    sex: str  # "M" or "F"
    birth_date: dt.date
    serial: str

    @property
    def district_code(self) -> str:
        """The kecamatan in dotted Kemendagri form, e.g. ``18.71.01``."""
        d = self.district
        return f"{d[:2]}.{d[2:4]}.{d[4:6]}"


def normalize(raw: str) -> str:
    """Remove the spaces, dots and dashes people type between digit groups."""
    return "".join(ch for ch in raw if ch not in " .-\t")


def _birth_date(day_part: int, month: int, year2: int, today: dt.date) -> dt.date | None:
    day = day_part - FEMALE_DAY_OFFSET if day_part > FEMALE_DAY_OFFSET else day_part
    # Two-digit years: a year later than this year's two digits belongs to the last century.
    century = 1900 if year2 > today.year % 100 else 2000
    try:
        return dt.date(century + year2, month, day)
    except ValueError:
        return None


def parse(raw: str) -> ParsedNik:
    """Check a NIK and return its parts; raise ``ValidationError`` naming what is wrong."""
    nik = normalize(raw)
    if nik and not (nik.isascii() and nik.isdigit()):
        raise ValidationError(_("NIK hanya boleh berisi angka."), code="nik_digits")
    if len(nik) != NIK_LENGTH:
        raise ValidationError(
            _("NIK harus 16 angka; yang dimasukkan %(n)d angka.") % {"n": len(nik)},
            code="nik_length",
        )
    day_part, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    valid_day = 1 <= day_part <= 31 or 41 <= day_part <= 71
    birth = _birth_date(day_part, month, year2, timezone.localdate()) if valid_day else None
    if birth is None:
        raise ValidationError(
            _(
                "Angka ke-7 sampai ke-12 NIK harus tanggal lahir yang ada (TTBBTT; "
                "tanggal ditambah 40 untuk perempuan)."
            ),
            code="nik_birth_date",
        )
    if nik[12:] == "0000":
        raise ValidationError(
            _("Empat angka terakhir NIK (nomor urut) tidak boleh 0000."), code="nik_serial"
        )
    from loket.organizations.selectors import is_known_nik_region

    if not is_known_nik_region(nik[:6]):
        raise ValidationError(
            _("Enam angka pertama NIK bukan kode kecamatan yang dikenal."), code="nik_region"
        )
    return ParsedNik(
        province=nik[:2],
        regency=nik[:4],
        district=nik[:6],
        sex="F" if day_part > FEMALE_DAY_OFFSET else "M",
        birth_date=birth,
        serial=nik[12:],
    )


def validate(raw: str) -> str:
    """Return the normalised NIK, or raise ``ValidationError``."""
    parse(raw)
    return normalize(raw)


def mask(nik: str) -> str:
    """``1871**********02``: the first four and the last two digits."""
    return nik[:4] + "*" * (len(nik) - 6) + nik[-2:]


@lru_cache(maxsize=4)
def _derive(data_key: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
        data_key.encode()
    )


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(settings.DATA_KEY, b"nik-encryption")))


def encrypt(nik: str) -> str:
    return _fernet().encrypt(nik.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a changed DATA_KEY or a damaged row
        raise ValueError("NIK ciphertext cannot be decrypted with the current DATA_KEY") from exc


def blind_index(nik: str) -> str:
    """Keyed HMAC-SHA256 of the NIK: equal NIKs give equal values, and nothing else leaks."""
    key = _derive(settings.DATA_KEY, b"nik-blind-index")
    return hmac.new(key, normalize(nik).encode(), hashlib.sha256).hexdigest()
