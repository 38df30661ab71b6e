"""Reads of the documents module."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from loket.documents.models import IssuedDocument


def document_by_public_id(*, public_id: str) -> IssuedDocument | None:
    """The document a QR code points to, or None."""
    if not public_id or len(public_id) > 40:
        return None
    return (
        IssuedDocument.objects.select_related("government", "agency", "subject_type", "file")
        .filter(public_id=public_id)
        .first()
    )


def documents_for_subject(*, subject: models.Model) -> QuerySet[IssuedDocument]:
    """Every document issued for ``subject``, newest first."""
    return IssuedDocument.objects.filter(
        subject_type=ContentType.objects.get_for_model(type(subject)), subject_id=str(subject.pk)
    ).order_by("-issued_at", "-id")
