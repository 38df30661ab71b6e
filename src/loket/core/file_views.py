"""Serving stored uploads: only through the access policy of the file's purpose.

A file the viewer may not see answers exactly like a file that does not exist (404), so ids
leak nothing. Included from the root URLconf under ``berkas/``.
"""

from __future__ import annotations

import uuid

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.urls import path
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from loket.core.files import can_view_file
from loket.core.models import StoredFile

# Stored files are never rendered as documents: even if a browser ignored the content type,
# a sandboxed, script-less policy applies to whatever it shows.
_FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'none'; sandbox"


def _serve(request: HttpRequest, file_id: uuid.UUID, *, thumbnail: bool) -> FileResponse:
    stored = StoredFile.objects.filter(pk=file_id).first()
    if stored is None or not can_view_file(user=request.user, stored_file=stored):
        raise Http404
    key = stored.thumbnail_key if thumbnail else stored.storage_key
    if not key:
        raise Http404
    try:
        handle = default_storage.open(key, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    is_image = stored.kind == StoredFile.Kind.IMAGE
    content_type = "image/jpeg" if thumbnail else stored.content_type
    response = FileResponse(handle, content_type=content_type)
    name = stored.original_name or f"berkas.{key.rsplit('.', 1)[-1]}"
    if thumbnail:
        name = name.rsplit(".", 1)[0] + "-kecil.jpg"
    response["Content-Disposition"] = content_disposition_header(not is_image, name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Vary"] = "Cookie"
    response["Content-Security-Policy"] = _FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_safe
def file(request: HttpRequest, file_id: uuid.UUID) -> FileResponse:
    """The stored file itself: images inline, PDFs as a download."""
    return _serve(request, file_id, thumbnail=False)


@require_safe
def thumbnail(request: HttpRequest, file_id: uuid.UUID) -> FileResponse:
    """The JPEG thumbnail of an image (404 for PDFs, which have none)."""
    return _serve(request, file_id, thumbnail=True)


app_name = "files"
urlpatterns = [
    path("<uuid:file_id>/", file, name="file"),
    path("<uuid:file_id>/thumb/", thumbnail, name="thumbnail"),
]
