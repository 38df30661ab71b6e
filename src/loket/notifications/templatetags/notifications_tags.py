from __future__ import annotations

from typing import Any

from django import template

from loket.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag
def unread_notification_count(user: Any) -> int:
    """Number of unread notifications of ``user`` (0 when signed out)."""
    return unread_count(user=user)
