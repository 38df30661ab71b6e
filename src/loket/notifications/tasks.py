"""Delivery of notifications on email, SMS and WhatsApp.

A Delivery belongs to an inbox Notification (the address is the user's at sending time) or to
a ContactNotification (the sealed address of someone without an account, emptied once every
delivery of it has ended).

First attempts go out in batches: :func:`queue_first_attempts` (called by ``notify`` in the
caller's transaction) makes sure one :func:`send_new_deliveries` run is waiting, and that run
claims every delivery not yet tried, in batches, and sends them. Queueing one run for many
filings rather than one task per delivery cuts what a worker spends per message to about a
quarter. A delivery
whose first attempt fails gets its own retrying task, :func:`deliver_notification`; after the
last attempt the Delivery becomes GAVE_UP and a TaskGiveUp row appears for administrators.

Both paths count the attempt before sending (a claim, or a compare-and-set), send outside any
transaction (no lock is held while a provider thinks) and mark the Delivery SENT with a
compare-and-set; every attempt leaves a DeliveryAttempt row. A claimed delivery whose run died
(a killed worker) is claimed again once it is ``LOKET_TASK_STALE_SECONDS`` old; the provider
drops the repeat by its idempotency key. The periodic job ``notifications.send_new`` runs the
batch every minute, so no delivery is left behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from time import monotonic
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from loket.core.audit import log_action
from loket.core.tasks import is_waiting, reliable_task
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


def _sending() -> Any:
    return Delivery.objects.select_related("notification__recipient", "contact").only(
        *_SENDING_FIELDS
    )


def _skip(delivery: Delivery, open_row: Any) -> str:
    """The user removed the address since (or a contact's is gone); nothing to retry."""
    if open_row.update(status=Status.SKIPPED, last_error="no address"):
        _ended(delivery)
        return str(Status.SKIPPED)
    return _status_now(delivery.pk)


def _failed(delivery_id: int, exc: BaseException) -> None:
    detail = str(exc)[:500] or type(exc).__name__
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery_id, status__in=OPEN).update(
            status=Status.RETRYING, last_error=detail
        )
        DeliveryAttempt.objects.create(delivery_id=delivery_id, ok=False, detail=detail)


def _sent(delivery: Delivery, message_id: str) -> str:
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk, status__in=OPEN).update(
            status=Status.SENT,
            sent_at=timezone.now(),
            provider_message_id=message_id[:100],
            last_error="",
        )
        DeliveryAttempt.objects.create(delivery_id=delivery.pk, ok=True, detail=message_id[:500])
    _ended(delivery)
    return str(Status.SENT)


@reliable_task(
    queue_name="notifications",
    max_attempts=MAX_ATTEMPTS,
    backoff=timedelta(seconds=30),
    max_backoff=timedelta(hours=1),
    on_give_up=_mark_gave_up,
)
def deliver_notification(*, delivery_id: int) -> str:
    """Send one Delivery through its channel's adapter; returns the Delivery's status.

    The retrying path: a first attempt that failed in :func:`send_new_deliveries` continues
    here, one task per delivery."""
    delivery = _sending().filter(pk=delivery_id).first()
    if delivery is None:
        return "missing"
    if delivery.status in FINAL:
        return str(delivery.status)
    outgoing = _outgoing(delivery)
    # Compare-and-set on what was read: of two runs of one delivery at the same moment
    # (a task recovered as stale while its first run still sends), one goes ahead.
    open_row = Delivery.objects.filter(pk=delivery_id, status__in=OPEN, attempts=delivery.attempts)
    if not outgoing.address:
        return _skip(delivery, open_row)
    # The attempt is counted before sending (one statement, no transaction): a worker killed
    # mid-send still leaves it counted. A run that finds the row ended or taken meanwhile
    # stops here.
    if not open_row.update(attempts=F("attempts") + 1, tried_at=timezone.now()):
        return _status_now(delivery_id)
    try:
        message_id = _send(delivery, outgoing)
    except Exception as exc:
        _failed(delivery_id, exc)
        raise
    return _sent(delivery, message_id)


# --- first attempts, in batches -------------------------------------------------------------
BATCH_SIZE = 50


def queue_first_attempts() -> None:
    """Make sure a :func:`send_new_deliveries` run is queued (in the caller's transaction).

    One read of the queue's waiting rows: the first caller after a run has been taken by a
    worker queues the next one; the others find it waiting. A delivery committed just as the
    waiting run was taken is sent by the next run, at the latest by the periodic one a minute
    later."""
    if not is_waiting(send_new_deliveries):
        send_new_deliveries.enqueue()


def _claim(now: Any) -> list[Delivery]:
    """Claim up to BATCH_SIZE deliveries not yet tried (or claimed by a run that died) and
    count their attempt. Rows locked by a concurrent claim are skipped."""
    stale = now - timedelta(seconds=settings.LOKET_TASK_STALE_SECONDS)
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(status=Status.PENDING)
            .filter(Q(attempts=0) | Q(tried_at__lt=stale))
            .order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:BATCH_SIZE]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1, tried_at=now)
    return list(_sending().filter(pk__in=ids).order_by("pk"))


def _first_attempt(delivery: Delivery) -> str | None:
    """Send one claimed delivery; the provider's message id once accepted, else None (it was
    skipped, or failed and now has its retrying task)."""
    outgoing = _outgoing(delivery)
    if not outgoing.address:
        _skip(delivery, Delivery.objects.filter(pk=delivery.pk, status__in=OPEN))
        return None
    try:
        return _send(delivery, outgoing)
    except Exception as exc:
        _failed(delivery.pk, exc)
        # The next attempts are the retrying task's: the same backoff and give-up as ever.
        deliver_notification.handle_failure(
            kwargs={"delivery_id": delivery.pk}, attempt=delivery.attempts, exc=exc
        )
        return None


def _all_sent(accepted: list[tuple[Delivery, str]]) -> None:
    """Mark a batch's accepted deliveries SENT in one transaction (one update, one insert).
    A run killed before this resends them once its claim is stale; the provider drops the
    repeats by their idempotency keys."""
    if not accepted:
        return
    now = timezone.now()
    with transaction.atomic():
        still_open = set(
            Delivery.objects.filter(
                pk__in=[d.pk for d, _ in accepted], status__in=OPEN
            ).values_list("pk", flat=True)
        )
        rows = [d for d, _ in accepted if d.pk in still_open]
        Delivery.objects.filter(pk__in=still_open).update(
            status=Status.SENT, sent_at=now, last_error=""
        )
        # Only the message ids differ from row to row (a bulk update of every column would
        # cost more than the separate updates it replaces).
        for delivery, message_id in accepted:
            delivery.provider_message_id = message_id[:100]
        Delivery.objects.bulk_update(rows, ["provider_message_id"])
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(delivery_id=d.pk, ok=True, detail=message_id[:500])
            for d, message_id in accepted
        )
    for delivery in rows:
        _ended(delivery)


@reliable_task(queue_name="notifications", max_attempts=3, backoff=timedelta(seconds=10))
def send_new_deliveries() -> int:
    """Send every delivery not yet tried, BATCH_SIZE at a time; returns how many were tried.

    A run stops after a third of ``LOKET_TASK_STALE_SECONDS`` (at most a minute) and queues
    the next, so another worker can share a long backlog and a run is never taken for dead."""
    budget = min(60.0, settings.LOKET_TASK_STALE_SECONDS / 3)
    deadline = monotonic() + budget
    tried = 0
    while monotonic() < deadline:
        batch = _claim(timezone.now())
        if not batch:
            return tried
        accepted = []
        for n, delivery in enumerate(batch):
            if monotonic() >= deadline:
                # A slow provider: hand back what this run has not tried, so that no claim
                # gets old enough to be taken for a dead run's while it waits here.
                _release(batch[n:])
                batch = batch[:n]
                break
            message_id = _first_attempt(delivery)
            if message_id is not None:
                accepted.append((delivery, message_id))
        _all_sent(accepted)
        tried += len(batch)
        if len(batch) < BATCH_SIZE and monotonic() < deadline:
            # All there was: a delivery committed since has queued the next run.
            return tried
    send_new_deliveries.enqueue()
    return tried


def _release(untried: list[Delivery]) -> None:
    """Undo the claim of deliveries a run did not get to: the attempt it counted was not
    made, and the claim reads as stale, so the next run takes them at once."""
    long_ago = timezone.now() - timedelta(seconds=settings.LOKET_TASK_STALE_SECONDS + 1)
    Delivery.objects.filter(pk__in=[d.pk for d in untried], status=Status.PENDING).update(
        attempts=F("attempts") - 1, tried_at=long_ago
    )
