"""Hashing an uploaded PDF on the fly, without keeping its bytes anywhere.

The verification page only needs the SHA-256 of what a visitor uploads. This upload handler
digests each chunk as it arrives and drops it, so the upload never reaches memory as a whole
or a temporary file; past the size limit it stops reading.
"""

from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

if TYPE_CHECKING:
    _UploadedBytes = UploadedFile[bytes]
else:  # UploadedFile is generic only in the type stubs
    _UploadedBytes = UploadedFile


class HashedUpload(_UploadedBytes):
    """What the handler leaves in ``request.FILES``: the digest and size, no content."""

    def __init__(self, *, name: str, sha256: str, size: int) -> None:
        super().__init__(file=io.BytesIO(b""), name=name, size=size)
        self.sha256 = sha256


class HashingUploadHandler(FileUploadHandler):
    """Digest every file field; set ``too_large`` and stop once ``max_bytes`` is passed."""

    def __init__(self, request: Any = None, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.too_large = False
        self._digest = hashlib.sha256()
        self._size = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,
        content_length: int,
        boundary: Any,
        encoding: Any = None,
    ) -> None:
        # A multipart body far larger than the limit is refused before reading it; the small
        # margin covers the form's other fields and the multipart boundaries.
        if content_length > self.max_bytes + 64 * 1024:
            self.too_large = True
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.too_large:
            raise StopUpload(connection_reset=False)
        self._digest = hashlib.sha256()
        self._size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._size += len(raw_data)
        if self._size > self.max_bytes:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        self._digest.update(raw_data)
        return None

    def file_complete(self, file_size: int) -> HashedUpload:
        return HashedUpload(
            name=self.file_name or "", sha256=self._digest.hexdigest(), size=self._size
        )
