"""notify_contact(): a notification to someone without an account (a guest's email and/or
phone) through the same Delivery rows, task, retries and providers as notify(); no inbox row,
the address sealed until the deliveries end, never in the audit trail or a log."""

from __future__ import annotations

import json
import logging

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from loket.core.models import AuditEvent, TaskGiveUp
from loket.core.tasks import run_pending_tasks
from loket.notifications.models import ContactNotification, Delivery, Notification
from loket.notifications.sealing import unseal
from loket.notifications.services import contact_channels, notify_contact
from loket.notifications.tasks import MAX_ATTEMPTS
from tests.notifications.test_notify import DELIVER, SEND_NEW, play_forward

pytestmark = pytest.mark.django_db

EMAIL = "tamu.pelapor@example.test"
PHONE = "+6281298765432"


class Boom(Exception):
    pass


def deliveries(contact: ContactNotification) -> dict[str, Delivery]:
    return {d.channel: d for d in Delivery.objects.filter(contact=contact)}


def test_contact_gets_email_and_sms_without_an_inbox_row(gateway, caplog):
    caplog.set_level(logging.DEBUG)
    contact = notify_contact(
        email=EMAIL,
        phone=PHONE,
        kind="test.hello",
        context={"note": "uji"},
        url="/pengaduan/tamu/X-1/rahasia/",
    )
    assert contact is not None
    assert contact.language == "id" and contact.title
    assert set(deliveries(contact)) == {"email", "sms"}
    assert not Notification.objects.exists()
    assert DBTaskResult.objects.filter(task_path=SEND_NEW).count() == 1
    # Sealed at rest: neither the address nor the secret link is stored in clear.
    assert EMAIL not in contact.sealed and PHONE not in contact.sealed
    assert "rahasia" not in contact.sealed
    assert unseal(contact.sealed) == {
        "email": EMAIL,
        "phone": PHONE,
        "url": "/pengaduan/tamu/X-1/rahasia/",
    }
    event = AuditEvent.objects.get(action="notification.contact_create")
    assert event.payload == {"kind": "test.hello", "channels": ["email", "sms"]}
    assert event.object_type == "notifications.contactnotification"
    assert gateway.requests == 0 and mail.outbox == []

    play_forward()
    sent = deliveries(contact)
    assert {d.status for d in sent.values()} == {Delivery.Status.SENT}
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    link = mail.outbox[0].body.rsplit("\n", 1)[1]
    assert link.startswith("http") and link.endswith("/pengaduan/tamu/X-1/rahasia/")
    [sms] = gateway.messages
    assert sms.to == PHONE and sms.channel == "sms"
    assert sms.idempotency_key == f"loket-delivery-{sent['sms'].pk}"
    # Every delivery ended: the address and link are forgotten.
    contact.refresh_from_db()
    assert contact.sealed == ""
    everything = " ".join(r.getMessage() for r in caplog.records)
    everything += json.dumps(list(AuditEvent.objects.values_list("payload", flat=True)))
    everything += " ".join(Delivery.objects.values_list("last_error", flat=True))
    assert EMAIL not in everything and PHONE not in everything and "81298765432" not in everything


def test_only_a_phone_gets_only_sms():
    contact = notify_contact(phone=PHONE, kind="test.hello", context={})
    assert contact is not None
    assert set(deliveries(contact)) == {"sms"}
    assert "email" not in unseal(contact.sealed)


def test_channels_for_a_contact():
    assert contact_channels(email=EMAIL) == ["email"]
    assert contact_channels(phone=PHONE) == ["sms"]
    assert contact_channels(email=EMAIL, phone=PHONE, channels=["whatsapp"]) == ["whatsapp"]
    assert contact_channels(email=EMAIL, channels=["sms"]) == []
    with pytest.raises(ValueError):
        contact_channels(email=EMAIL, channels=["pigeon"])


def test_no_reachable_channel_writes_nothing_and_no_contact_is_an_error():
    assert notify_contact(email=EMAIL, kind="test.hello", context={}, channels=["sms"]) is None
    assert not ContactNotification.objects.exists()
    with pytest.raises(ValueError):
        notify_contact(email=" ", phone="", kind="test.hello", context={})


def test_english_contact_gets_the_english_text():
    contact = notify_contact(
        email=EMAIL, language="en", kind="account.code", context={"code": "424242"}
    )
    assert contact is not None and contact.title == "Loket verification code"


def test_rollback_leaves_nothing_behind():
    with pytest.raises(Boom), transaction.atomic():
        notify_contact(email=EMAIL, phone=PHONE, kind="test.hello", context={})
        raise Boom
    assert not ContactNotification.objects.exists()
    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.filter(task_path=DELIVER).exists()


def test_provider_down_retries_then_gives_up_and_forgets(gateway):
    gateway.go_down()
    contact = notify_contact(phone=PHONE, kind="test.hello", context={})
    assert contact is not None
    play_forward(rounds=MAX_ATTEMPTS + 2)
    delivery = Delivery.objects.get(contact=contact)
    assert delivery.status == Delivery.Status.GAVE_UP
    assert delivery.attempts == MAX_ATTEMPTS
    assert PHONE not in delivery.last_error
    assert TaskGiveUp.objects.filter(task_path=DELIVER).exists()
    contact.refresh_from_db()
    assert contact.sealed == ""


def test_provider_recovers_and_the_message_goes_once(gateway):
    gateway.fail_next = 2
    contact = notify_contact(phone=PHONE, kind="test.hello", context={})
    assert contact is not None
    play_forward()
    delivery = Delivery.objects.get(contact=contact)
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 3
    assert len(gateway.messages) == 1
    play_forward()
    assert len(gateway.messages) == 1


def test_address_kept_while_a_sibling_delivery_is_still_open(gateway):
    gateway.go_down()
    contact = notify_contact(email=EMAIL, phone=PHONE, kind="test.hello", context={})
    assert contact is not None
    run_pending_tasks()  # email sent, SMS failed once and waits for its retry
    email = Delivery.objects.get(contact=contact, channel="email")
    sms = Delivery.objects.get(contact=contact, channel="sms")
    assert email.status == Delivery.Status.SENT
    assert sms.status == Delivery.Status.RETRYING
    contact.refresh_from_db()
    assert unseal(contact.sealed)["phone"] == PHONE
    gateway.come_back()
    play_forward()
    contact.refresh_from_db()
    assert contact.sealed == ""
    assert [m.to for m in gateway.messages] == [PHONE]


def test_unreadable_contact_is_skipped_not_retried(gateway):
    contact = notify_contact(phone=PHONE, kind="test.hello", context={})
    assert contact is not None
    ContactNotification.objects.filter(pk=contact.pk).update(sealed="not-a-sealed-value")
    play_forward()
    delivery = Delivery.objects.get(contact=contact)
    assert delivery.status == Delivery.Status.SKIPPED
    assert gateway.requests == 0
