"""Reads for the inbox."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from loket.notifications.models import Notification


def inbox_for(*, user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first (only the fields the inbox shows)."""
    return (
        Notification.objects.filter(recipient_id=user.pk)
        .only("id", "kind", "title", "body", "url", "created_at", "read_at")
        .order_by("-created_at", "-id")
    )


def unread_count(*, user: Any) -> int:
    """How many of the user's notifications are unread (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
