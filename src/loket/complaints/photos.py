"""Report photos: storing them through core.files and deciding who may see them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile

from loket.complaints.geo import inside_indonesia
from loket.core.files import Kind, register_file_policy, store_upload
from loket.core.models import StoredFile

if TYPE_CHECKING:
    from loket.accounts.models import User

PHOTO_PURPOSE = "complaint.photo"
MAX_PHOTOS = 5  # per kind: five "before" photos from the reporter, five "after" from officers
IMAGE_ONLY = frozenset({Kind.IMAGE})


@dataclass(frozen=True)
class PhotoUpload:
    """A stored photo and the pin its GPS suggests (None when it has none or it lies outside
    Indonesia). The GPS itself was stripped from the stored bytes."""

    file: StoredFile
    pin_suggestion: tuple[float, float] | None


def store_photo(*, uploaded: UploadedFile[bytes], owner: User | None) -> PhotoUpload:
    """Validate, clean and store one photo (ValidationError when refused); returns the pin
    suggestion of its GPS so the form can place the map pin before the report is sent."""
    stored = store_upload(uploaded=uploaded, purpose=PHOTO_PURPOSE, owner=owner, allowed=IMAGE_ONLY)
    pin = None
    if stored.gps is not None and inside_indonesia(stored.gps.latitude, stored.gps.longitude):
        pin = (round(stored.gps.latitude, 6), round(stored.gps.longitude, 6))
    return PhotoUpload(file=stored.file, pin_suggestion=pin)


def photo_policy(user: Any, stored_file: StoredFile) -> bool:
    """A report photo is visible to everyone when its report is publicly listed; otherwise to
    the reporter and to officers who may read the report. A photo not yet attached to a report
    is visible to its uploader only."""
    from loket.complaints.models import ComplaintPhoto
    from loket.complaints.selectors import is_publicly_listed
    from loket.core.permissions import COMPLAINT_READ, officer_scope

    photo = (
        ComplaintPhoto.objects.select_related("complaint", "complaint__reporter")
        .filter(file_id=stored_file.pk)
        .first()
    )
    authenticated = bool(getattr(user, "is_authenticated", False))
    if photo is None:
        return authenticated and stored_file.owner_id == user.pk
    complaint = photo.complaint
    if is_publicly_listed(complaint):
        return True
    if not authenticated:
        return False
    reporter = getattr(complaint, "reporter", None)
    if reporter is not None and reporter.user_id == user.pk:
        return True
    return officer_scope(user).can(
        COMPLAINT_READ, government_id=complaint.government_id, agency_id=complaint.agency_id
    )


def register_photo_policy() -> None:
    register_file_policy(PHOTO_PURPOSE, photo_policy)
