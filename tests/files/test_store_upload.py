"""store_upload: sniffing, cleaning, limits and storage consistency, with generated files."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import ExifTags, Image

from loket.core.files import StoredUpload, store_upload, sweep_orphan_files
from loket.core.models import AuditEvent, StoredFile
from tests import factories

pytestmark = pytest.mark.django_db


class FullStorage(FileSystemStorage):
    """A storage whose disk is full."""

    def _save(self, name, content):
        raise OSError(28, "No space left on device")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    degrees = int(value)
    minutes_float = (value - degrees) * 60
    minutes = int(minutes_float)
    seconds = Fraction(round((minutes_float - minutes) * 60 * 1000), 1000)
    return Fraction(degrees), Fraction(minutes), seconds


def jpeg_with_gps(lat: float = -5.4292, lng: float = 105.2610, size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "KameraUji"
    exif[ExifTags.Base.Orientation] = 6  # rotate 90° clockwise to display
    gps = {
        ExifTags.GPS.GPSLatitudeRef: "S" if lat < 0 else "N",
        ExifTags.GPS.GPSLatitude: _dms(abs(lat)),
        ExifTags.GPS.GPSLongitudeRef: "E" if lng > 0 else "W",
        ExifTags.GPS.GPSLongitude: _dms(abs(lng)),
    }
    exif[ExifTags.IFD.GPSInfo] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"komentar rahasia")
    return out.getvalue()


def png_bytes(size=(40, 30), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 200, 128) if mode == "RGBA" else (10, 120, 200)).save(
        out, "PNG"
    )
    return out.getvalue()


def upload(data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_bytes(result: StoredUpload, thumbnail: bool = False) -> bytes:
    key = result.file.thumbnail_key if thumbnail else result.file.storage_key
    with default_storage.open(key, "rb") as handle:
        return handle.read()


def test_jpeg_gps_is_returned_and_all_metadata_is_stripped():
    owner = factories.citizen()
    original = jpeg_with_gps()
    assert b"Exif" in original and b"komentar rahasia" in original

    result = store_upload(
        uploaded=upload(original, "KTP 3271012345678901.JPG"), purpose="complaint", owner=owner
    )

    assert result.gps is not None
    assert result.gps.latitude == pytest.approx(-5.4292, abs=1e-4)
    assert result.gps.longitude == pytest.approx(105.2610, abs=1e-4)
    row = StoredFile.objects.get(pk=result.file.pk)
    assert row.kind == StoredFile.Kind.IMAGE and row.content_type == "image/jpeg"
    assert row.owner == owner and row.purpose == "complaint"
    # Random key, never the user's file name; the name kept for display has no digit runs.
    assert row.storage_key.startswith("u/") and row.storage_key.endswith(".jpg")
    assert "KTP" not in row.storage_key
    assert "3271012345678901" not in row.original_name

    data = stored_bytes(result)
    assert b"Exif" not in data and b"komentar rahasia" not in data and b"KameraUji" not in data
    cleaned = Image.open(io.BytesIO(data))
    assert cleaned.format == "JPEG"
    assert len(cleaned.getexif()) == 0
    assert "icc_profile" not in cleaned.info and "comment" not in cleaned.info
    # Orientation 6 was applied: 64x48 becomes 48x64 upright.
    assert cleaned.size == (48, 64) == (row.width, row.height)
    import hashlib

    assert row.sha256 == hashlib.sha256(data).hexdigest() and row.size == len(data)
    thumb = Image.open(io.BytesIO(stored_bytes(result, thumbnail=True)))
    assert thumb.format == "JPEG"
    assert AuditEvent.objects.filter(action="file.stored", object_id=str(row.pk)).exists()


def test_png_stays_png_with_alpha_and_gets_a_thumbnail():
    result = store_upload(
        uploaded=upload(png_bytes(), "gambar.png", "image/png"), purpose="complaint"
    )
    assert result.gps is None
    assert result.file.storage_key.endswith(".png")
    cleaned = Image.open(io.BytesIO(stored_bytes(result)))
    assert cleaned.format == "PNG" and cleaned.mode == "RGBA"
    assert result.file.thumbnail_key.endswith("-t.jpg")


def test_webp_is_kept_as_webp():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(out, "WEBP")
    result = store_upload(uploaded=upload(out.getvalue(), "x.webp"), purpose="p")
    assert result.file.content_type == "image/webp"
    assert Image.open(io.BytesIO(stored_bytes(result))).format == "WEBP"


def test_large_images_are_scaled_down():
    out = io.BytesIO()
    Image.new("RGB", (3000, 1000), (5, 5, 5)).save(out, "JPEG")
    result = store_upload(uploaded=upload(out.getvalue()), purpose="p")
    assert (result.file.width, result.file.height) == (2560, 853)
    thumb = Image.open(io.BytesIO(stored_bytes(result, thumbnail=True)))
    assert max(thumb.size) == 480


def test_oversized_file_is_refused_with_the_limit_in_the_message(settings):
    settings.LOKET_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    data = png_bytes() + b"\0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError) as excinfo:
        store_upload(uploaded=upload(data, "besar.png"), purpose="p")
    assert excinfo.value.messages == ["Berkas terlalu besar (maks. 10 MB)."]
    with pytest.raises(ValidationError):
        store_upload(uploaded=upload(png_bytes()), purpose="p", max_bytes=100)
    assert StoredFile.objects.count() == 0


UNSUPPORTED = "Jenis berkas tidak didukung: unggah JPG, PNG, WebP atau PDF."


@pytest.mark.parametrize(
    "data",
    [
        b"<!doctype html><html><script>alert(1)</script></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(1)</script></svg>",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"",
    ],
    ids=["html-renamed-jpg", "svg-with-script", "gif", "empty"],
)
def test_disguised_or_unknown_types_are_refused(data):
    with pytest.raises(ValidationError) as excinfo:
        store_upload(uploaded=upload(data, "foto.jpg", "image/jpeg"), purpose="p")
    assert excinfo.value.messages == [UNSUPPORTED]
    assert StoredFile.objects.count() == 0


def test_kind_outside_allowed_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        store_upload(
            uploaded=upload(b"%PDF-1.7\n%%EOF\n", "a.pdf"),
            purpose="p",
            allowed={StoredFile.Kind.IMAGE},
        )
    assert excinfo.value.messages == ["Jenis berkas tidak didukung: unggah JPG, PNG atau WebP."]


def _zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    return out.getvalue()


@pytest.mark.parametrize(
    "make",
    [
        lambda: jpeg_with_gps() + _zip_bytes(),
        lambda: jpeg_with_gps() + b"<html><script>alert(1)</script></html>",
        lambda: png_bytes() + b"<svg onload=alert(1)>",
    ],
    ids=["jpeg+zip", "jpeg+html", "png+svg"],
)
def test_polyglots_are_refused(make):
    with pytest.raises(ValidationError) as excinfo:
        store_upload(uploaded=upload(make()), purpose="p")
    assert excinfo.value.code == "not_clean_image"
    assert StoredFile.objects.count() == 0


def test_html_hidden_in_a_jpeg_comment_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG", comment=b"<script>alert(1)</script>")
    with pytest.raises(ValidationError):
        store_upload(uploaded=upload(out.getvalue()), purpose="p")


def test_harmless_trailing_bytes_are_dropped_by_reencoding():
    # Phones append motion-photo video or vendor trailers after the image.
    data = jpeg_with_gps() + b"\x00\x00\x00\x18ftypmp42" + b"\x11" * 64
    result = store_upload(uploaded=upload(data), purpose="p")
    assert b"ftypmp42" not in stored_bytes(result)


def test_decompression_bomb_is_refused(settings):
    settings.LOKET_IMAGE_MAX_PIXELS = 1_000_000
    out = io.BytesIO()
    Image.new("1", (1200, 1200)).save(out, "PNG")  # small file, 1.44 M pixels declared
    data = out.getvalue()
    assert len(data) < 5000
    with pytest.raises(ValidationError) as excinfo:
        store_upload(uploaded=upload(data, "bom.png"), purpose="p")
    assert excinfo.value.code == "too_many_pixels"
    # Far beyond Pillow's own hard limit as well.
    settings.LOKET_IMAGE_MAX_PIXELS = 100_000
    with pytest.raises(ValidationError) as excinfo:
        store_upload(uploaded=upload(data, "bom.png"), purpose="p")
    assert excinfo.value.code == "too_many_pixels"
    assert StoredFile.objects.count() == 0


def test_truncated_image_is_refused():
    data = jpeg_with_gps()[:-200]
    with pytest.raises(ValidationError):
        store_upload(uploaded=upload(data), purpose="p")


PLAIN_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def test_plain_pdf_is_kept_as_is():
    result = store_upload(
        uploaded=upload(PLAIN_PDF, "Surat Pengantar.pdf", "application/pdf"), purpose="application"
    )
    assert result.file.kind == StoredFile.Kind.PDF and result.file.thumbnail_key == ""
    assert stored_bytes(result) == PLAIN_PDF
    assert result.file.original_name == "Surat-Pengantar.pdf"


@pytest.mark.parametrize(
    "action",
    [
        b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        b"/OpenAction << /S /J#61vaScript >>",
        b"/AA << /O << /S /Launch /F (cmd.exe) >> >>",
        b"/Names << /EmbeddedFiles 3 0 R >>",
    ],
    ids=["javascript", "hex-escaped", "launch", "embedded-file"],
)
def test_pdf_with_active_content_is_refused(action):
    data = PLAIN_PDF.replace(b"/Type /Catalog", b"/Type /Catalog " + action)
    with pytest.raises(ValidationError) as excinfo:
        store_upload(uploaded=upload(data, "a.pdf"), purpose="p")
    assert excinfo.value.code == "unsafe_pdf"
    assert StoredFile.objects.count() == 0


def test_full_storage_gives_a_clear_error_and_no_row(settings, media):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.FullStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    with pytest.raises(ValidationError) as excinfo:
        store_upload(uploaded=upload(jpeg_with_gps()), purpose="p")
    assert excinfo.value.code == "storage_failed"
    assert "disimpan" in excinfo.value.messages[0]
    assert StoredFile.objects.count() == 0


def _files_on_disk(media) -> set[str]:
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}


@pytest.mark.django_db(transaction=True)
def test_bytes_of_a_rolled_back_upload_are_swept(media):
    kept = store_upload(uploaded=upload(jpeg_with_gps()), purpose="p")
    with pytest.raises(RuntimeError), transaction.atomic():
        store_upload(uploaded=upload(png_bytes(), "b.png"), purpose="p")
        raise RuntimeError("the caller's transaction fails")
    assert StoredFile.objects.count() == 1
    assert len(_files_on_disk(media)) == 4  # two files and two thumbnails

    # Within the grace period nothing is touched (a transaction might still be open).
    assert sweep_orphan_files() == 0
    assert sweep_orphan_files(older_than=timedelta(0)) == 2
    assert _files_on_disk(media) == {kept.file.storage_key, kept.file.thumbnail_key}


@pytest.mark.django_db(transaction=True)
def test_row_failure_removes_the_bytes(media):
    # An owner that does not exist breaks the foreign key when the row's transaction commits.
    from django.db import IntegrityError

    from loket.accounts.models import User

    ghost = User(email="hantu@contoh.id", pk=987654)
    with pytest.raises(IntegrityError):
        store_upload(uploaded=upload(jpeg_with_gps()), purpose="p", owner=ghost)
    assert StoredFile.objects.count() == 0
    assert _files_on_disk(media) == set()
