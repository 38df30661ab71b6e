"""The public verification page, the byte-identity check and the PDF download."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from loket.documents.rendering import format_date_id
from loket.documents.services import revoke_document
from tests import factories as f
from tests.documents.conftest import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(gov, agency):
    return issue(gov, agency)


def pdf_of(document) -> bytes:
    with default_storage.open(document.file.storage_key, "rb") as handle:
        return handle.read()


def url(document) -> str:
    return reverse("documents:verify", args=[document.public_id])


def upload(client, document, data: bytes, name="dokumen.pdf"):
    return client.post(url(document), {"berkas": SimpleUploadedFile(name, data)})


def test_valid_document_page_without_login(client, document):
    response = client.get(url(document))
    assert response.status_code == 200
    body = response.content.decode()
    assert "DOKUMEN SAH DAN BERLAKU" in body
    assert document.number in body and "Surat Keterangan Domisili" in body
    local = document.issued_at.astimezone(ZoneInfo(document.government.time_zone))
    assert format_date_id(local.date()) in body
    assert document.agency.name in body
    assert "B*** S******" in body and "Budi Santoso" not in body
    assert "3515**********02" in body and "3515144508680002" not in body
    assert "081234567890" not in body and "Nomor telepon" not in body
    assert response["Cache-Control"] == "no-store"


def test_revoked_document_page_says_so_with_reason(client, document, officer):
    revoke_document(document=document, reason="Diterbitkan dengan data keliru.", actor=officer)
    body = client.get(url(document)).content.decode()
    assert "DOKUMEN DICABUT" in body
    assert "Diterbitkan dengan data keliru." in body
    assert "SAH DAN BERLAKU" not in body


def test_unknown_id_is_a_404_page(client):
    response = client.get(reverse("documents:verify", args=["tidak-ada-dokumen-seperti-ini"]))
    assert response.status_code == 404
    assert "Dokumen tidak ditemukan" in response.content.decode()


def test_identical_pdf_is_recognised(client, document):
    response = upload(client, document, pdf_of(document))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Berkas identik." in body and "tidak identik" not in body


def test_one_changed_byte_is_not_identical(client, document):
    data = bytearray(pdf_of(document))
    data[len(data) // 2] ^= 0x01
    body = upload(client, document, bytes(data)).content.decode()
    assert "Berkas tidak identik." in body and "Berkas identik." not in body


def test_identical_but_revoked_says_both(client, document, officer):
    revoke_document(document=document, reason="Dicabut.", actor=officer)
    body = upload(client, document, pdf_of(document)).content.decode()
    assert "Berkas identik." in body and "sudah dicabut" in body


def test_oversized_upload_is_a_400_with_a_message(client, document):
    response = upload(client, document, b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert response.status_code == 400
    assert "Berkas terlalu besar (maks. 10 MB)." in response.content.decode()


def test_missing_file_is_a_400(client, document):
    response = client.post(url(document), {})
    assert response.status_code == 400
    assert "Pilih berkas PDF" in response.content.decode()


def test_upload_is_never_stored(client, document, settings):
    from loket.core.models import StoredFile

    before = StoredFile.objects.count()
    upload(client, document, pdf_of(document))
    upload(client, document, b"%PDF-1.4 lain")
    assert StoredFile.objects.count() == before


def test_upload_needs_the_csrf_token(document):
    client = Client(enforce_csrf_checks=True)
    response = upload(client, document, pdf_of(document))
    assert response.status_code == 403


def test_download_follows_the_subject_modules_policy(client, document, owner_access):
    download = reverse("documents:download", args=[document.public_id])
    assert client.get(download).status_code == 302  # sign in first

    stranger, owner = f.citizen(), f.citizen()
    owner_access["user_id"] = owner.pk
    client.force_login(stranger)
    assert client.get(download).status_code == 404
    assert client.get(reverse("files:file", args=[document.file.pk])).status_code == 404
    assert "Unduh PDF" not in client.get(url(document)).content.decode()

    client.force_login(owner)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_of(document)
    assert "attachment" in response["Content-Disposition"]
    assert document.number.replace("/", "-") in response["Content-Disposition"]
    assert client.get(reverse("files:file", args=[document.file.pk])).status_code == 200
    assert "Unduh PDF" in client.get(url(document)).content.decode()


def test_without_a_registered_policy_nobody_downloads(client, document):
    client.force_login(f.citizen())
    assert client.get(reverse("documents:download", args=[document.public_id])).status_code == 404
