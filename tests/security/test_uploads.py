"""The upload corpus: everything hostile is refused by the one public upload service, with a
clear message and nothing stored. (Detailed behaviour per case lives in tests/files.)"""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from loket.core.files import store_upload
from loket.core.models import StoredFile
from tests.files.test_store_upload import PLAIN_PDF, _zip_bytes, jpeg_with_gps, png_bytes


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")  # ~20 KB, 144 M pixels declared
    return out.getvalue()


def _jpeg_with_html_comment() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG", comment=b"<script>alert(1)</script>")
    return out.getvalue()


def _pdf(action: bytes) -> bytes:
    return PLAIN_PDF.replace(b"/Type /Catalog", b"/Type /Catalog " + action)


# (id, file name, declared content type, bytes factory)
CORPUS = [
    ("html-as-jpg", "foto.jpg", "image/jpeg", lambda: b"<!doctype html><script>alert(1)</script>"),
    ("html-no-doctype", "foto.jpg", "image/jpeg", lambda: b"<html><body onload=alert(1)>"),
    (
        "svg-as-jpg",
        "foto.jpg",
        "image/jpeg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    ("svg-as-svg", "gambar.svg", "image/svg+xml", lambda: b"<svg onload=alert(1)></svg>"),
    ("polyglot-jpeg-zip", "foto.jpg", "image/jpeg", lambda: jpeg_with_gps() + _zip_bytes()),
    ("polyglot-jpeg-html", "foto.jpg", "image/jpeg", lambda: jpeg_with_gps() + b"<script>x"),
    ("polyglot-png-svg", "foto.png", "image/png", lambda: png_bytes() + b"<svg onload=alert(1)>"),
    ("html-in-jpeg-comment", "foto.jpg", "image/jpeg", _jpeg_with_html_comment),
    ("decompression-bomb", "bom.png", "image/png", _bomb),
    ("oversized", "besar.jpg", "image/jpeg", lambda: jpeg_with_gps() + b"\0" * 2_100_000),
    ("truncated", "foto.jpg", "image/jpeg", lambda: jpeg_with_gps()[:-200]),
    (
        "pdf-javascript",
        "a.pdf",
        "application/pdf",
        lambda: _pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
    ),
    (
        "pdf-js-hex-escaped",
        "a.pdf",
        "application/pdf",
        lambda: _pdf(b"/OpenAction << /S /J#61vaScript >>"),
    ),
    (
        "pdf-launch",
        "a.pdf",
        "application/pdf",
        lambda: _pdf(b"/AA << /O << /S /Launch /F (cmd.exe) >> >>"),
    ),
    (
        "pdf-embedded-file",
        "a.pdf",
        "application/pdf",
        lambda: _pdf(b"/Names << /EmbeddedFiles 3 0 R >>"),
    ),
    ("exe-as-pdf", "a.pdf", "application/pdf", lambda: b"MZ\x90\x00" + b"\0" * 64),
    ("empty", "kosong.jpg", "image/jpeg", lambda: b""),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content_type", "make"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS]
)
def test_hostile_upload_is_refused_and_nothing_is_stored(settings, name, content_type, make):
    settings.LOKET_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    settings.LOKET_IMAGE_MAX_PIXELS = 40_000_000
    uploaded = SimpleUploadedFile(name, make(), content_type=content_type)
    with pytest.raises(ValidationError) as excinfo:
        store_upload(uploaded=uploaded, purpose="security-test")
    message = " ".join(excinfo.value.messages)
    assert message and "Traceback" not in message
    assert StoredFile.objects.count() == 0


@pytest.mark.django_db
def test_the_corpus_is_not_refusing_everything():
    """A plain photo and a plain PDF still pass, so the refusals above mean something."""
    for name, data in (("foto.jpg", jpeg_with_gps()), ("surat.pdf", PLAIN_PDF)):
        store_upload(uploaded=SimpleUploadedFile(name, data), purpose="security-test")
    assert StoredFile.objects.count() == 2
