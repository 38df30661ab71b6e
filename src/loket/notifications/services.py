"""Writes of the notification service: :func:`notify`, :func:`notify_contact` and marking
notifications read.

``notify`` runs in the caller's transaction: the inbox row, one Delivery per channel and the
queued sending run commit together with the caller's data, or not at all. No provider is
contacted during the request; the sending tasks (loket.notifications.tasks) do that, retry with
backoff and end either SENT or GAVE_UP, both visible to administrators.

``notify_contact`` does the same for someone without an account (a guest): no inbox row, the
address kept sealed (encrypted) on a ContactNotification until its deliveries have ended, and
never written to the audit trail or a log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from loket.core.audit import log_action
from loket.core.rows import insert
from loket.notifications.models import ContactNotification, Delivery, Notification
from loket.notifications.rendering import DEFAULT_LANGUAGE, LANGUAGES, render_notification
from loket.notifications.sealing import seal, unseal

if TYPE_CHECKING:
    from loket.accounts.models import User

Channel = Delivery.Channel
Status = Delivery.Status
OPEN_STATUSES = (Status.PENDING, Status.RETRYING)


def address_for(user: User, channel: str) -> str:
    """Where ``channel`` reaches ``user``, or "" when it cannot."""
    if channel == Channel.EMAIL:
        return str(user.email or "")
    if channel in (Channel.SMS, Channel.WHATSAPP):
        return str(user.phone or "")
    raise ValueError(f"unknown channel {channel!r}")


def channels_for(user: User, channels: Iterable[str] | None = None) -> list[str]:
    """The channels a notification goes out on.

    ``channels=None``: the user's own choices (notify_email, notify_sms, notify_whatsapp).
    An explicit list is the caller's decision for messages the user asked for (a one-time
    code); either way a channel is dropped when the user has no address for it.
    """
    if not user.is_active:
        return []
    wanted: list[str]
    if channels is None:
        wanted = [
            channel
            for channel, enabled in (
                (Channel.EMAIL, user.notify_email),
                (Channel.SMS, user.notify_sms),
                (Channel.WHATSAPP, user.notify_whatsapp),
            )
            if enabled
        ]
    else:
        wanted = list(dict.fromkeys(channels))
        unknown = set(wanted) - set(Channel.values)
        if unknown:
            raise ValueError(f"unknown channel(s) {sorted(unknown)}")
    return [str(channel) for channel in wanted if address_for(user, channel)]


def notify(
    *,
    recipient: User,
    kind: str,
    context: Mapping[str, Any],
    url: str = "",
    channels: Iterable[str] | None = None,
    audit: bool = True,
) -> Notification:
    """Put a notification in the recipient's inbox and queue its delivery on each channel.

    Title and body are rendered in the recipient's language from
    ``templates/notifications/<kind>.<language>.txt``. Never blocks on a provider and never
    fails because of one. ``url`` is a path inside Loket the notification points to.
    ``audit=False``: the caller's own audit entry names the notification (a filing does).
    """
    from loket.notifications.tasks import queue_first_attempts

    message = render_notification(kind=kind, language=recipient.language, context=context)
    chosen = channels_for(recipient, channels)
    with transaction.atomic(savepoint=False):
        notification = insert(
            Notification(
                recipient=recipient, kind=kind, title=message.title, body=message.body, url=url
            )
        )
        for channel in chosen:
            insert(Delivery(notification=notification, channel=channel))
        if chosen:
            queue_first_attempts()
        # Audited last: the chain stays locked from its first entry until the commit.
        if audit:
            log_action(
                "notification.create",
                obj=notification,
                payload={"kind": kind, "recipient_id": recipient.pk, "channels": chosen},
            )
    return notification


def contact_channels(
    *, email: str = "", phone: str = "", channels: Iterable[str] | None = None
) -> list[str]:
    """The channels a notification to a bare contact goes out on.

    ``channels=None``: email when there is an address, SMS when there is a number (a guest
    has no preferences; WhatsApp only when asked for). An explicit list is kept in its order,
    less the channels the contact has no address for.
    """
    wanted = [Channel.EMAIL, Channel.SMS] if channels is None else list(dict.fromkeys(channels))
    unknown = set(wanted) - set(Channel.values)
    if unknown:
        raise ValueError(f"unknown channel(s) {sorted(unknown)}")
    reach = {Channel.EMAIL: email, Channel.SMS: phone, Channel.WHATSAPP: phone}
    return [str(channel) for channel in wanted if reach[Channel(channel)]]


def notify_contact(
    *,
    email: str = "",
    phone: str = "",
    language: str = DEFAULT_LANGUAGE,
    kind: str,
    context: Mapping[str, Any],
    url: str = "",
    channels: Iterable[str] | None = None,
    audit: bool = True,
) -> ContactNotification | None:
    """Queue a notification to someone without an account: an email address and/or a phone
    number (normalised by the caller), in ``language``.

    The same templates, Delivery rows, delivery task, retries and providers as :func:`notify`,
    in the caller's transaction; no inbox row. ``url`` is sent with the message (a path inside
    Loket or an absolute link) and may carry a secret: it is sealed with the address. The
    address appears in no audit entry and no log. Returns None, writing nothing, when no
    channel reaches the contact. ``audit=False`` as for :func:`notify`.
    """
    from loket.notifications.tasks import queue_first_attempts

    email, phone = (email or "").strip(), (phone or "").strip()
    if not email and not phone:
        raise ValueError("a contact needs an email address or a phone number")
    chosen = contact_channels(email=email, phone=phone, channels=channels)
    if not chosen:
        return None
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    message = render_notification(kind=kind, language=language, context=context)
    sealed: dict[str, str] = {"url": url}
    if Channel.EMAIL in chosen:
        sealed["email"] = email
    if Channel.SMS in chosen or Channel.WHATSAPP in chosen:
        sealed["phone"] = phone
    with transaction.atomic(savepoint=False):
        contact = insert(
            ContactNotification(
                kind=kind,
                language=language,
                title=message.title,
                body=message.body,
                sealed=seal(sealed),
            )
        )
        for channel in chosen:
            insert(Delivery(contact=contact, channel=channel))
        queue_first_attempts()
        if audit:
            log_action(
                "notification.contact_create",
                obj=contact,
                payload={"kind": kind, "channels": chosen},
            )
    return contact


def contact_target(contact: ContactNotification, channel: str) -> tuple[str, str]:
    """Where ``channel`` reaches the contact, and the link to send: ("", "") once forgotten."""
    values = unseal(contact.sealed)
    if channel == Channel.EMAIL:
        address = values.get("email", "")
    elif channel in (Channel.SMS, Channel.WHATSAPP):
        address = values.get("phone", "")
    else:
        raise ValueError(f"unknown channel {channel!r}")
    return address, values.get("url", "") if address else ""


def contact_forget(*, contact_id: int) -> bool:
    """Empty the sealed address and link of a contact notification once none of its
    deliveries is still pending or retrying. True when it did."""
    changed = (
        ContactNotification.objects.filter(pk=contact_id)
        .exclude(sealed="")
        .exclude(deliveries__status__in=OPEN_STATUSES)
        .update(sealed="")
    )
    return bool(changed)


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read. Someone else's raises DoesNotExist."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(
            pk=notification_id, recipient_id=user.pk
        )
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            log_action("notification.read", actor=user, obj=notification)
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    with transaction.atomic():
        count = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if count:
            log_action(
                "notification.read_all",
                actor=user,
                object_type="accounts.user",
                object_id=user.pk,
                payload={"count": count},
            )
    return count
