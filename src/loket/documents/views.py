"""The public verification page of an issued document and the download of its PDF.

Anyone holding the QR link sees the document's masked facts and whether it is valid, and can
upload a PDF to learn whether it is byte-identical to the one issued (compared by SHA-256; the
upload is hashed while it streams in and never stored). The PDF itself is served only to those
the subject's module allows (see ``loket.documents.access``).
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from loket.core.files import can_view_file
from loket.documents import selectors
from loket.documents.masking import mask_name
from loket.documents.models import IssuedDocument
from loket.documents.rendering import format_date_id
from loket.documents.uploads import HashedUpload, HashingUploadHandler

DEFAULT_VERIFY_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_FIELD = "berkas"


def _max_bytes() -> int:
    return int(getattr(settings, "LOKET_VERIFY_UPLOAD_MAX_BYTES", DEFAULT_VERIFY_UPLOAD_MAX_BYTES))


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "documents/not_found.html", status=404)


def _page(
    request: HttpRequest,
    document: IssuedDocument,
    *,
    status: int = 200,
    result: str = "",
    error: str = "",
) -> HttpResponse:
    tz = ZoneInfo(document.government.time_zone)
    revoked_on = (
        format_date_id(document.revoked_at.astimezone(tz).date()) if document.revoked_at else ""
    )
    response = render(
        request,
        "documents/verify.html",
        {
            "document": document,
            "issued_on": format_date_id(document.issued_at.astimezone(tz).date()),
            "revoked_on": revoked_on,
            "applicant_masked": mask_name(document.applicant_name),
            "result": result,
            "error": error,
            "upload_field": UPLOAD_FIELD,
            "max_megabytes": _max_bytes() // (1024 * 1024) or 1,
            "can_download": request.user.is_authenticated
            and can_view_file(user=request.user, stored_file=document.file),
        },
        status=status,
    )
    # The validity can change at any time (revocation): never serve it from a cache.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, public_id: str) -> HttpResponse:
    """The page the QR code opens. POST: compare an uploaded PDF with the issued one."""
    # The handler must be in place before anything reads request.POST (CSRF check included),
    # hence csrf_exempt here and csrf_protect on the inner view.
    handler = HashingUploadHandler(request, max_bytes=_max_bytes())
    request.upload_handlers = [handler]
    return _verify(request, public_id, handler)


@csrf_protect
def _verify(request: HttpRequest, public_id: str, handler: HashingUploadHandler) -> HttpResponse:
    document = selectors.document_by_public_id(public_id=public_id)
    if document is None:
        return _not_found(request)
    if request.method != "POST":
        return _page(request, document)
    upload = request.FILES.get(UPLOAD_FIELD)
    if handler.too_large:
        message = _("Berkas terlalu besar (maks. %(size)s MB).") % {
            "size": _max_bytes() // (1024 * 1024) or 1
        }
        return _page(request, document, status=400, error=message)
    if not isinstance(upload, HashedUpload) or upload.size == 0:
        return _page(
            request, document, status=400, error=_("Pilih berkas PDF yang akan diperiksa.")
        )
    result = "identical" if upload.sha256 == document.sha256 else "different"
    return _page(request, document, result=result)


@require_safe
def download(request: HttpRequest, public_id: str) -> HttpResponseBase:
    """The issued PDF, for those the subject's module allows; others get 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = selectors.document_by_public_id(public_id=public_id)
    if document is None or not can_view_file(user=request.user, stored_file=document.file):
        raise Http404
    try:
        handle = default_storage.open(document.file.storage_key, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="application/pdf")
    # The number carries no personal data and is what people file the document under.
    filename = (re.sub(r"[^A-Za-z0-9_-]+", "-", document.number).strip("-") or "dokumen") + ".pdf"
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
