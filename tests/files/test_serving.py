"""GET /berkas/<uuid>/ and /thumb/: served only through the purpose's access policy."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from loket.core import files
from loket.core.files import file_url, register_file_policy, store_upload
from tests import factories
from tests.files.test_store_upload import PLAIN_PDF, jpeg_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def policies():
    saved = dict(files._POLICIES)
    yield
    files._POLICIES.clear()
    files._POLICIES.update(saved)


def _photo(owner=None, *, is_public=False, purpose="complaint"):
    upload = SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")
    return store_upload(uploaded=upload, purpose=purpose, owner=owner, is_public=is_public).file


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_owner_gets_the_image_inline_with_safe_headers(client):
    owner = factories.citizen()
    stored = _photo(owner)
    client.force_login(owner)
    response = client.get(file_url(stored))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert "private" in response["Cache-Control"]
    assert _body(response)[:3] == b"\xff\xd8\xff"

    thumb = client.get(file_url(stored, thumbnail=True))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert thumb.request["PATH_INFO"].endswith("/thumb/")


def test_other_user_and_anonymous_get_404_like_a_missing_file(client):
    stored = _photo(factories.citizen())
    missing = client.get(f"/berkas/{uuid.uuid4()}/")
    assert missing.status_code == 404

    assert client.get(file_url(stored)).status_code == 404
    assert client.get(file_url(stored, thumbnail=True)).status_code == 404
    client.force_login(factories.citizen())
    assert client.get(file_url(stored)).status_code == 404
    assert client.get(file_url(stored, thumbnail=True)).status_code == 404


def test_public_file_is_visible_to_anyone(client):
    stored = _photo(factories.citizen(), is_public=True)
    assert client.get(file_url(stored)).status_code == 200


def test_pdf_is_an_attachment_with_a_safe_name(client):
    owner = factories.citizen()
    upload = SimpleUploadedFile('../../"surat"\r\n.pdf', PLAIN_PDF, content_type="text/html")
    stored = store_upload(uploaded=upload, purpose="test-attachment", owner=owner).file
    client.force_login(owner)
    response = client.get(file_url(stored))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="surat.pdf"'
    assert _body(response) == PLAIN_PDF
    # A PDF has no thumbnail.
    assert client.get(f"/berkas/{stored.pk}/thumb/").status_code == 404


def test_registered_policy_decides_for_its_purpose(client, policies):
    owner = factories.citizen()
    officer = factories.citizen()
    stored = _photo(owner, purpose="test-evidence")
    register_file_policy("test-evidence", lambda user, f: user.pk == officer.pk)

    client.force_login(owner)  # the policy replaces the default: even the owner is refused
    assert client.get(file_url(stored)).status_code == 404
    client.force_login(officer)
    assert client.get(file_url(stored)).status_code == 200
    # Other purposes keep the default policy.
    assert client.get(file_url(_photo(owner))).status_code == 404


def test_bytes_missing_from_storage_is_404_not_500(client):
    from django.core.files.storage import default_storage

    owner = factories.citizen()
    stored = _photo(owner)
    default_storage.delete(stored.storage_key)
    client.force_login(owner)
    assert client.get(file_url(stored)).status_code == 404


def test_only_safe_methods(client):
    owner = factories.citizen()
    stored = _photo(owner)
    client.force_login(owner)
    assert client.post(file_url(stored)).status_code == 405
