"""Delivery of notifications on email, SMS and WhatsApp, one retrying task per Delivery.

The task is idempotent: it locks the Delivery, does nothing when it is already final (SENT,
GAVE_UP, SKIPPED), sends outside any transaction (no lock is held while a provider thinks)
and marks the Delivery SENT with a compare-and-set. Every attempt leaves a DeliveryAttempt
row. A failure raises, so ``reliable_task`` schedules the next attempt; after the last one the
Delivery becomes GAVE_UP and a TaskGiveUp row appears for administrators.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from loket.core.audit import log_action
from loket.core.tasks import reliable_task
from loket.notifications.models import Delivery, DeliveryAttempt
from loket.notifications.providers import send_email_now, send_text
from loket.notifications.services import address_for

Status = Delivery.Status
FINAL = (Status.SENT, Status.GAVE_UP, Status.SKIPPED)
OPEN = (Status.PENDING, Status.RETRYING)
MAX_ATTEMPTS = 8  # 30 s, 1, 2, 4, 8, 16, 32 min: a provider may be away for about an hour


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + (url if url.startswith("/") else "/" + url)


def _mark_gave_up(kwargs: dict[str, Any], exc: BaseException) -> None:
    delivery_id = int(kwargs["delivery_id"])
    changed = Delivery.objects.filter(pk=delivery_id, status__in=OPEN).update(status=Status.GAVE_UP)
    if changed:
        delivery = Delivery.objects.only("channel", "attempts").get(pk=delivery_id)
        log_action(
            "notification.delivery_gave_up",
            object_type="notifications.delivery",
            object_id=delivery_id,
            payload={"channel": delivery.channel, "attempts": delivery.attempts},
        )


def _send(delivery: Delivery, address: str) -> str:
    notification = delivery.notification
    link = _absolute(notification.url)
    body = notification.body + (f"\n\n{link}" if link else "")
    if delivery.channel == Delivery.Channel.EMAIL:
        return send_email_now(address, notification.title, body)
    return send_text(
        delivery.channel,
        address,
        f"{notification.title}\n{body}",
        idempotency_key=f"loket-delivery-{delivery.pk}",
    )


@reliable_task(
    queue_name="notifications",
    max_attempts=MAX_ATTEMPTS,
    backoff=timedelta(seconds=30),
    max_backoff=timedelta(hours=1),
    on_give_up=_mark_gave_up,
)
def deliver_notification(*, delivery_id: int) -> str:
    """Send one Delivery through its channel's adapter; returns the Delivery's status."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("notification__recipient")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "missing"
        if delivery.status in FINAL:
            return str(delivery.status)
        address = address_for(delivery.notification.recipient, delivery.channel)
        if not address:
            # The user removed the address since; nothing to retry.
            delivery.status = Status.SKIPPED
            delivery.last_error = "no address"
            delivery.save(update_fields=["status", "last_error"])
            return str(delivery.status)
        delivery.attempts += 1
        delivery.save(update_fields=["attempts"])

    try:
        message_id = _send(delivery, address)
    except Exception as exc:
        detail = str(exc)[:500] or type(exc).__name__
        with transaction.atomic():
            Delivery.objects.filter(pk=delivery_id, status__in=OPEN).update(
                status=Status.RETRYING, last_error=detail
            )
            DeliveryAttempt.objects.create(delivery_id=delivery_id, ok=False, detail=detail)
        raise

    with transaction.atomic():
        Delivery.objects.filter(pk=delivery_id, status__in=OPEN).update(
            status=Status.SENT,
            sent_at=timezone.now(),
            provider_message_id=message_id[:100],
            last_error="",
        )
        DeliveryAttempt.objects.create(delivery_id=delivery_id, ok=True, detail=message_id[:500])
    return str(Status.SENT)
