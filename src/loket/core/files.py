"""Uploads: validate, clean and store a citizen's or officer's file, and decide who may see it.

Every upload goes through :func:`store_upload`:

1. The size is checked against ``LOKET_UPLOAD_MAX_BYTES`` (or the caller's limit) while reading,
   so a lying ``Content-Length`` or ``UploadedFile.size`` does not matter.
2. The type is decided by magic bytes only (JPEG, PNG, WebP, PDF); the client's file name and
   content type are never trusted.
3. Images must be cleanly one image: the container is walked to its end marker and neither its
   metadata segments nor bytes appended after the end may carry HTML, script, SVG, PDF or ZIP
   signatures (the JPEG+ZIP / JPEG+HTML polyglot rule). Other appended bytes (phones append
   motion-photo video or vendor trailers) are tolerated because re-encoding drops them.
   Images are then decoded by Pillow under a decompression-bomb guard, turned upright
   (EXIF orientation), converted to sRGB, scaled down to ``IMAGE_MAX_SIDE`` and re-encoded from
   pixels, which strips EXIF, GPS, XMP, ICC profiles and comments. GPS coordinates are read from
   the EXIF before stripping and returned to the caller, never stored with the bytes.
4. PDFs must start with ``%PDF-`` and are refused when they name active content (JavaScript,
   launch actions, embedded files); they are stored as uploaded.

Storage and the database stay consistent: the bytes are written first under a random key
(``u/2026/11/<uuid>.jpg``); if writing fails nothing is created and the caller gets a
ValidationError. If creating the row fails the bytes are deleted at once. Django has no hook
for "the surrounding transaction rolled back", so bytes whose row was rolled back later by the
caller's transaction are removed by :func:`sweep_orphan_files`, a periodic sweep that deletes
stored keys older than a grace period that no row refers to.

Bytes Loket produces itself (issued PDFs) are stored unchanged through :func:`store_generated`.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import unicodedata
import uuid
import warnings
from collections.abc import Callable, Set
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError

from loket.core.audit import log_action
from loket.core.models import StoredFile

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from loket.accounts.models import User

logger = logging.getLogger(__name__)

Kind = StoredFile.Kind
IMAGE_MAX_SIDE = 2560
THUMB_SIDE = 480
JPEG_QUALITY = 82
THUMB_QUALITY = 78
KEY_PREFIX = "u"

_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"

# Signatures of content that browsers, archive tools or PDF readers would act on. Looked for
# (case-insensitively) only in metadata and after the image's end, never in compressed pixel
# data, where random bytes could match by chance.
_FOREIGN_SIGNATURES = (
    b"<script",
    b"<html",
    b"<!doctype",
    b"<svg",
    b"<iframe",
    b"<body",
    b"<?php",
    b"javascript:",
    b"%pdf-",
    b"pk\x03\x04",
    b"pk\x05\x06",
    b"pk\x01\x02",
)

# PDF names that start scripts, launch programs or carry files. A plain byte scan over the
# document (with #xx escapes in names decoded): it does not look inside compressed object
# streams, which is acceptable because PDFs are only ever offered as downloads (attachment),
# never rendered inline by us.
_PDF_FORBIDDEN_NAMES = frozenset(
    {"javascript", "js", "launch", "embeddedfile", "embeddedfiles", "richmedia"}
)
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_HEX = re.compile(rb"#([0-9a-fA-F]{2})")


class GpsPoint(NamedTuple):
    latitude: float
    longitude: float


@dataclass(frozen=True)
class StoredUpload:
    """What :func:`store_upload` returns: the saved row and the photo's GPS position, if any."""

    file: StoredFile
    gps: GpsPoint | None = None


FilePolicy = Callable[["AbstractBaseUser | AnonymousUser", StoredFile], bool]
_POLICIES: dict[str, FilePolicy] = {}


class _Rejected(Exception):
    """An image container that is not cleanly one image."""


# --- Access --------------------------------------------------------------------------------


def default_file_policy(user: AbstractBaseUser | AnonymousUser, stored_file: StoredFile) -> bool:
    """Public files for everyone; otherwise only the uploader."""
    if stored_file.is_public:
        return True
    return bool(
        user.is_authenticated
        and stored_file.owner_id is not None
        and stored_file.owner_id == user.pk
    )


def register_file_policy(purpose: str, policy: FilePolicy) -> None:
    """Let the module that owns ``purpose`` decide who may see its files.

    Call it from the module's ``AppConfig.ready``. The policy replaces the default (owner or
    public) for that purpose entirely.
    """
    _POLICIES[purpose] = policy


def can_view_file(*, user: AbstractBaseUser | AnonymousUser, stored_file: StoredFile) -> bool:
    """Whether ``user`` may see ``stored_file``, according to its purpose's policy."""
    policy = _POLICIES.get(stored_file.purpose, default_file_policy)
    return bool(policy(user, stored_file))


def file_url(stored_file: StoredFile, *, thumbnail: bool = False) -> str:
    """The URL that serves the file (or its thumbnail) through the access check."""
    if thumbnail and stored_file.thumbnail_key:
        return reverse("files:thumbnail", args=[stored_file.pk])
    return reverse("files:file", args=[stored_file.pk])


# --- Validation helpers ---------------------------------------------------------------------


def _kinds_message(allowed: Set[str]) -> str:
    if allowed == {Kind.PDF}:
        return _("Jenis berkas tidak didukung: unggah PDF.")
    if Kind.PDF not in allowed:
        return _("Jenis berkas tidak didukung: unggah JPG, PNG atau WebP.")
    return _("Jenis berkas tidak didukung: unggah JPG, PNG, WebP atau PDF.")


def _too_large(max_bytes: int) -> ValidationError:
    megabytes = max_bytes / (1024 * 1024)
    shown = formats.number_format(megabytes, 0 if megabytes.is_integer() else 1)
    return ValidationError(
        _("Berkas terlalu besar (maks. %(size)s MB).") % {"size": shown}, code="too_large"
    )


def _read_limited(uploaded: UploadedFile[bytes], max_bytes: int) -> bytes:
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise _too_large(max_bytes)
    uploaded.seek(0)
    chunks: list[bytes] = []
    total = 0
    for chunk in uploaded.chunks():
        total += len(chunk)
        if total > max_bytes:
            raise _too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _sniff(data: bytes) -> str | None:
    """The format by magic bytes: 'jpeg', 'png', 'webp', 'pdf' or None."""
    if data.startswith(_JPEG):
        return "jpeg"
    if data.startswith(_PNG):
        return "png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"%PDF-"):
        return "pdf"
    return None


def _jpeg_layout(data: bytes) -> tuple[int, list[tuple[int, int]]]:
    """End offset (after EOI) and the metadata segments (APPn, COM) of a JPEG."""
    n = len(data)
    i = 2
    meta: list[tuple[int, int]] = []
    while i < n:
        if data[i] != 0xFF:
            raise _Rejected
        while i < n and data[i] == 0xFF:
            i += 1
        if i >= n:
            raise _Rejected
        marker = data[i]
        i += 1
        if marker == 0xD9:
            return i, meta
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue
        if i + 2 > n:
            raise _Rejected
        length = int.from_bytes(data[i : i + 2], "big")
        end = i + length
        if length < 2 or end > n:
            raise _Rejected
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            meta.append((i + 2, end))
        i = end
        if marker == 0xDA:
            # Entropy-coded data: 0xFF is escaped as FF00; FFD0-FFD7 are restart markers.
            while True:
                j = data.find(b"\xff", i)
                if j < 0 or j + 1 >= n:
                    raise _Rejected
                following = data[j + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    i = j + 2
                    continue
                if following == 0xFF:
                    i = j + 1
                    continue
                i = j
                break
    raise _Rejected


def _png_layout(data: bytes) -> tuple[int, list[tuple[int, int]]]:
    n = len(data)
    i = len(_PNG)
    meta: list[tuple[int, int]] = []
    while i + 12 <= n:
        length = int.from_bytes(data[i : i + 4], "big")
        chunk_type = data[i + 4 : i + 8]
        start, end = i + 8, i + 8 + length
        if end + 4 > n:
            raise _Rejected
        if chunk_type == b"IEND":
            return end + 4, meta
        if chunk_type != b"IDAT":
            meta.append((start, end))
        i = end + 4
    raise _Rejected


def _webp_layout(data: bytes) -> tuple[int, list[tuple[int, int]]]:
    n = len(data)
    riff_end = 8 + int.from_bytes(data[4:8], "little")
    if riff_end > n or riff_end < 12:
        raise _Rejected
    i = 12
    meta: list[tuple[int, int]] = []
    while i + 8 <= riff_end:
        fourcc = data[i : i + 4]
        size = int.from_bytes(data[i + 4 : i + 8], "little")
        start, end = i + 8, i + 8 + size
        if end > riff_end:
            raise _Rejected
        if fourcc not in (b"VP8 ", b"VP8L", b"ALPH", b"ANMF"):
            meta.append((start, end))
        i = end + (size & 1)
    return riff_end, meta


def _check_clean_image(data: bytes, fmt: str) -> None:
    layout = {"jpeg": _jpeg_layout, "png": _png_layout, "webp": _webp_layout}[fmt]
    end, meta = layout(data)
    regions = [data[start:stop] for start, stop in meta]
    regions.append(data[end:])
    for region in regions:
        lowered = region.lower()
        if any(signature in lowered for signature in _FOREIGN_SIGNATURES):
            raise _Rejected


def _check_pdf(data: bytes) -> None:
    for match in _PDF_NAME.finditer(data):
        name = _PDF_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        if name.lower().decode("latin-1") in _PDF_FORBIDDEN_NAMES:
            raise ValidationError(
                _("PDF berisi skrip, perintah atau lampiran tersemat yang tidak diizinkan."),
                code="unsafe_pdf",
            )


def _rational(value: Any) -> float:
    if isinstance(value, tuple) and len(value) == 2:
        return float(value[0]) / float(value[1])
    return float(value)


def _read_gps(image: Image.Image) -> GpsPoint | None:
    """The position in the photo's EXIF GPS block, or None if absent or nonsensical."""
    try:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        if not gps or 2 not in gps or 4 not in gps:
            return None
        lat_dms, lng_dms = gps[2], gps[4]
        lat = _rational(lat_dms[0]) + _rational(lat_dms[1]) / 60 + _rational(lat_dms[2]) / 3600
        lng = _rational(lng_dms[0]) + _rational(lng_dms[1]) / 60 + _rational(lng_dms[2]) / 3600
        if str(gps.get(1, "N")).strip().upper().startswith("S"):
            lat = -lat
        if str(gps.get(3, "E")).strip().upper().startswith("W"):
            lng = -lng
    except (KeyError, IndexError, TypeError, ValueError, ZeroDivisionError, SyntaxError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or (lat == 0 and lng == 0):
        return None
    return GpsPoint(round(lat, 7), round(lng, 7))


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert colours to sRGB using the embedded profile, so stripping it keeps the colours."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted if converted is not None else image


def _encode(image: Image.Image, fmt: str, quality: int) -> bytes:
    out = io.BytesIO()
    if fmt == "jpeg":
        image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    elif fmt == "png":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=quality, method=4)
    return out.getvalue()


@dataclass(frozen=True)
class _CleanImage:
    data: bytes
    thumbnail: bytes
    width: int
    height: int
    gps: GpsPoint | None


def _clean_image(data: bytes, fmt: str) -> _CleanImage:
    """Decode under the bomb guard, read GPS, orient, strip and re-encode."""
    max_pixels = settings.LOKET_IMAGE_MAX_PIXELS
    damaged = ValidationError(
        _("Berkas gambar rusak atau tidak dapat dibaca."), code="damaged_image"
    )
    too_big = ValidationError(
        _("Gambar terlalu besar (jumlah piksel melebihi batas)."), code="too_many_pixels"
    )
    # Pillow's own guard uses a module-wide limit; keep it at ours and treat its warning
    # (between 1x and 2x the limit) as an error too.
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt.upper()]) as opened:
                width, height = opened.size
                if width <= 0 or height <= 0 or width * height > max_pixels:
                    raise too_big
                opened.load()
                gps = _read_gps(opened)
                image = ImageOps.exif_transpose(opened)
                image = _to_srgb(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except (OSError, SyntaxError, ValueError, EOFError, UnidentifiedImageError):
        raise damaged from None

    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if fmt == "jpeg" or not has_alpha:
        mode = "L" if fmt == "png" and image.mode == "L" else "RGB"
    else:
        mode = "RGBA"
    try:
        converted = image.convert(mode)
    except (OSError, ValueError):
        raise damaged from None
    # A fresh image carries pixels only: no EXIF, XMP, ICC profile, comments or text chunks.
    clean = Image.new(mode, converted.size)
    clean.paste(converted)
    clean.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE), Image.Resampling.LANCZOS)

    thumb = clean.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    if thumb.mode != "RGB":
        background = Image.new("RGB", thumb.size, (255, 255, 255))
        background.paste(thumb, mask=thumb.getchannel("A") if "A" in thumb.mode else None)
        thumb = background
    return _CleanImage(
        data=_encode(clean, fmt, JPEG_QUALITY),
        thumbnail=_encode(thumb, "jpeg", THUMB_QUALITY),
        width=clean.width,
        height=clean.height,
        gps=gps,
    )


def _safe_name(name: str, extension: str) -> str:
    """A display name without path, odd characters or long digit runs (NIK, phone numbers)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = re.sub(r"\d{6,}", "", base)
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", base).strip("-_")[:80]
    return f"{base or 'berkas'}.{extension}"


def _save_bytes(key: str, content: bytes) -> str:
    try:
        return default_storage.save(key, ContentFile(content))
    except Exception as exc:
        # Disk full, permissions, object storage down: nothing is half-saved.
        logger.exception("storing upload failed: %s", type(exc).__name__)
        raise ValidationError(
            _("Berkas tidak dapat disimpan saat ini. Silakan coba lagi nanti."),
            code="storage_failed",
        ) from None


def _delete_quietly(keys: list[str]) -> None:
    for key in keys:
        try:
            default_storage.delete(key)
        except Exception:
            logger.warning("could not delete stored upload %s", key, exc_info=True)


# --- The service ----------------------------------------------------------------------------


def store_upload(
    *,
    uploaded: UploadedFile[bytes],
    purpose: str,
    owner: User | None = None,
    allowed: Set[str] = frozenset({Kind.IMAGE, Kind.PDF}),
    max_bytes: int | None = None,
    is_public: bool = False,
) -> StoredUpload:
    """Validate, clean and store one upload; return the ``StoredFile`` row and photo GPS.

    Raises ``ValidationError`` (with an Indonesian message) for anything refused: too large,
    an unsupported or disguised type, a polyglot, a decompression bomb, a PDF with active
    content, or storage that cannot take the bytes. Nothing is stored or created then.
    """
    limit = settings.LOKET_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    data = _read_limited(uploaded, limit)
    fmt = _sniff(data)
    kind = Kind.PDF if fmt == "pdf" else Kind.IMAGE
    if fmt is None or kind not in allowed:
        raise ValidationError(_kinds_message(allowed), code="unsupported_type")

    gps: GpsPoint | None = None
    thumbnail: bytes | None = None
    width = height = None
    if fmt == "pdf":
        _check_pdf(data)
        content, extension, content_type = data, "pdf", "application/pdf"
    else:
        try:
            _check_clean_image(data, fmt)
        except _Rejected:
            raise ValidationError(
                _("Berkas gambar tidak utuh atau berisi data lain yang tidak diizinkan."),
                code="not_clean_image",
            ) from None
        cleaned = _clean_image(data, fmt)
        content, thumbnail, gps = cleaned.data, cleaned.thumbnail, cleaned.gps
        width, height = cleaned.width, cleaned.height
        extension = {"jpeg": "jpg", "png": "png", "webp": "webp"}[fmt]
        content_type = f"image/{fmt}"

    stem = f"{KEY_PREFIX}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"
    saved: list[str] = [_save_bytes(f"{stem}.{extension}", content)]
    thumbnail_key = ""
    if thumbnail is not None:
        try:
            thumbnail_key = _save_bytes(f"{stem}-t.jpg", thumbnail)
        except ValidationError:
            _delete_quietly(saved)
            raise
        saved.append(thumbnail_key)

    digest = hashlib.sha256(content).hexdigest()
    try:
        with transaction.atomic():
            row = StoredFile.objects.create(
                kind=kind,
                purpose=purpose,
                storage_key=saved[0],
                thumbnail_key=thumbnail_key,
                original_name=_safe_name(uploaded.name or "", extension),
                content_type=content_type,
                size=len(content),
                sha256=digest,
                width=width,
                height=height,
                owner=owner,
                is_public=is_public,
            )
            log_action(
                "file.stored",
                actor=owner,
                obj=row,
                payload={"purpose": purpose, "kind": str(kind), "size": len(content)},
            )
    except BaseException:
        _delete_quietly(saved)
        raise
    return StoredUpload(file=row, gps=gps)


_GENERATED_KINDS = {
    "application/pdf": (Kind.PDF, "pdf"),
    "image/png": (Kind.IMAGE, "png"),
    "image/jpeg": (Kind.IMAGE, "jpg"),
    "image/webp": (Kind.IMAGE, "webp"),
}


def store_generated(
    *,
    content: bytes,
    content_type: str,
    purpose: str,
    name: str,
    actor: User | None = None,
    owner: User | None = None,
    is_public: bool = False,
) -> StoredFile:
    """Store bytes the platform produced itself (an issued PDF, a chart) as a ``StoredFile``.

    Unlike :func:`store_upload` nothing is validated or re-encoded: the bytes are ours and
    must be kept exactly (their SHA-256 may be published). ``content_type`` must be one of the
    kinds a ``StoredFile`` can hold, otherwise ``ValueError`` (a programming error). The same
    consistency rules hold: bytes first under a random key, the row second, the bytes deleted
    if the row cannot be created, orphans of a later rollback removed by the sweep.
    """
    try:
        kind, extension = _GENERATED_KINDS[content_type]
    except KeyError:
        raise ValueError(f"cannot store generated content of type {content_type!r}") from None
    if not content:
        raise ValueError("cannot store empty generated content")
    key = _save_bytes(
        f"{KEY_PREFIX}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}", content
    )
    try:
        with transaction.atomic():
            row = StoredFile.objects.create(
                kind=kind,
                purpose=purpose,
                storage_key=key,
                original_name=_safe_name(name, extension),
                content_type=content_type,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                owner=owner,
                is_public=is_public,
            )
            log_action(
                "file.stored",
                actor=actor,
                obj=row,
                payload={
                    "purpose": purpose,
                    "kind": str(kind),
                    "size": len(content),
                    "generated": True,
                },
            )
    except BaseException:
        _delete_quietly([key])
        raise
    return row


def sweep_orphan_files(*, older_than: timedelta = timedelta(hours=6)) -> int:
    """Delete stored uploads that no row refers to (their transaction rolled back).

    Only keys older than ``older_than`` are touched, so uploads whose transaction is still
    open are safe. Meant to run as a periodic sweep; returns how many keys were deleted.
    """
    cutoff = timezone.now() - older_than
    deleted = 0
    try:
        years, _files = default_storage.listdir(KEY_PREFIX)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    for year in years:
        months, _files = default_storage.listdir(f"{KEY_PREFIX}/{year}")
        for month in months:
            folder = f"{KEY_PREFIX}/{year}/{month}"
            _dirs, names = default_storage.listdir(folder)
            keys = [f"{folder}/{name}" for name in names]
            if not keys:
                continue
            known = set(
                StoredFile.objects.filter(storage_key__in=keys).values_list(
                    "storage_key", flat=True
                )
            ) | set(
                StoredFile.objects.filter(thumbnail_key__in=keys).values_list(
                    "thumbnail_key", flat=True
                )
            )
            for key in keys:
                if key in known:
                    continue
                if default_storage.get_modified_time(key) > cutoff:
                    continue
                _delete_quietly([key])
                deleted += 1
    return deleted
