"""Delivery of notifications on email, SMS and WhatsApp, one retrying task per Delivery.

A Delivery belongs to an inbox Notification (the address is the user's at sending time) or to
a ContactNotification (the sealed address of someone without an account, emptied once every
delivery of it has ended).

The task is idempotent: it does nothing when the Delivery is already final (SENT, GAVE_UP,
SKIPPED), counts the attempt with a compare-and-set before sending, sends outside any
transaction (no lock is held while a provider thinks) and marks the Delivery SENT with a
compare-and-set. Every attempt leaves a DeliveryAttempt
row. A failure raises, so ``reliable_task`` schedules the next attempt; after the last one the
Delivery becomes GAVE_UP and a TaskGiveUp row appears for administrators.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from loket.core.audit import log_action
from loket.core.tasks import reliable_task
from loket.notifications.models import Delivery, DeliveryAttempt
from loket.notifications.providers import send_email_now, send_text
from loket.notifications.services import address_for, contact_forget, contact_target

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
        delivery = Delivery.objects.only("channel", "attempts", "contact_id").get(pk=delivery_id)
        _ended(delivery)
        log_action(
            "notification.delivery_gave_up",
            object_type="notifications.delivery",
            object_id=delivery_id,
            payload={"channel": delivery.channel, "attempts": delivery.attempts},
        )


@dataclass(frozen=True)
class _Outgoing:
    """What one Delivery sends, and where."""

    address: str
    title: str
    body: str
    url: str


def _outgoing(delivery: Delivery) -> _Outgoing:
    contact = delivery.contact
    if contact is not None:
        address, url = contact_target(contact, delivery.channel)
        return _Outgoing(address=address, title=contact.title, body=contact.body, url=url)
    notification = delivery.notification
    assert notification is not None  # exactly one parent (constraint delivery_one_parent)
    return _Outgoing(
        address=address_for(notification.recipient, delivery.channel),
        title=notification.title,
        body=notification.body,
        url=notification.url,
    )


def _send(delivery: Delivery, outgoing: _Outgoing) -> str:
    link = _absolute(outgoing.url)
    body = outgoing.body + (f"\n\n{link}" if link else "")
    if delivery.channel == Delivery.Channel.EMAIL:
        return send_email_now(outgoing.address, outgoing.title, body)
    return send_text(
        delivery.channel,
        outgoing.address,
        f"{outgoing.title}\n{body}",
        idempotency_key=f"loket-delivery-{delivery.pk}",
    )


def _status_now(delivery_id: int) -> str:
    status = Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
    return "missing" if status is None else str(status)


def _ended(delivery: Delivery) -> None:
    """A delivery has ended: a contact's sealed address goes once its last delivery ended."""
    if delivery.contact_id is not None:
        contact_forget(contact_id=delivery.contact_id)


# What a run reads: the delivery, and its message and address (not whole user rows).
_SENDING_FIELDS = (
    "status", "attempts", "channel", "notification_id", "contact_id",
    "notification__title", "notification__body", "notification__url",
    "notification__recipient_id", "notification__recipient__email",
    "notification__recipient__phone",
    "contact__title", "contact__body", "contact__sealed",
)  # fmt: skip


@reliable_task(
    queue_name="notifications",
    max_attempts=MAX_ATTEMPTS,
    backoff=timedelta(seconds=30),
    max_backoff=timedelta(hours=1),
    on_give_up=_mark_gave_up,
)
def deliver_notification(*, delivery_id: int) -> str:
    """Send one Delivery through its channel's adapter; returns the Delivery's status."""
    delivery = (
        Delivery.objects.select_related("notification__recipient", "contact")
        .only(*_SENDING_FIELDS)
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        return "missing"
    if delivery.status in FINAL:
        return str(delivery.status)
    outgoing = _outgoing(delivery)
    # Compare-and-set on what was read: of two runs of one delivery at the same moment
    # (a task recovered as stale while its first run still sends), one goes ahead.
    open_row = Delivery.objects.filter(pk=delivery_id, status__in=OPEN, attempts=delivery.attempts)
    if not outgoing.address:
        # The user removed the address since (or a contact's is gone); nothing to retry.
        if open_row.update(status=Status.SKIPPED, last_error="no address"):
            _ended(delivery)
            return str(Status.SKIPPED)
        return _status_now(delivery_id)
    # The attempt is counted before sending (one statement, no transaction): a worker killed
    # mid-send still leaves it counted. A run that finds the row ended or taken meanwhile
    # stops here.
    if not open_row.update(attempts=F("attempts") + 1):
        return _status_now(delivery_id)

    try:
        message_id = _send(delivery, outgoing)
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
    _ended(delivery)
    return str(Status.SENT)
