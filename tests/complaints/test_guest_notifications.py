"""Guest reporters (no account) hear about every public change on the email and/or phone they
left, with their private link; officers never see that contact and no log or audit entry
carries it."""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from loket.complaints import selectors, services
from loket.complaints.models import ComplaintFollower
from loket.core.models import AuditEvent
from loket.core.tasks import run_pending_tasks
from loket.notifications.models import ContactNotification, Delivery, Notification
from loket.notifications.sealing import unseal
from tests.factories import file_as_guest

EMAIL = "tamu.lapor@example.test"
PHONE_INPUT = "0813-1111-2222"
PHONE = "+6281311112222"


@pytest.fixture(autouse=True)
def _outbox(settings, tmp_path):
    settings.LOKET_OUTBOX_DIR = tmp_path
    settings.LOKET_SMS_PROVIDER = "console"
    return tmp_path


def resolve(org, complaint):
    services.complaint_verify(complaint=complaint, actor=org.coordinator)
    services.complaint_dispatch(complaint=complaint, actor=org.coordinator, agency=org.pupr)
    services.complaint_start_work(
        complaint=complaint,
        actor=org.handler,
        estimate_date=date.today() + timedelta(days=7),
        note="Armada dijadwalkan besok pagi.",
    )
    services.complaint_resolve(complaint=complaint, actor=org.handler, answer="Sudah diangkut.")


def guest_messages() -> list[ContactNotification]:
    return list(ContactNotification.objects.order_by("pk"))


def play() -> None:
    for _ in range(5):
        if not run_pending_tasks(include_deferred=True):
            return


def sms_sent(outbox: Path) -> list[dict]:
    path = outbox / "sms.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_guest_gets_email_and_sms_at_every_public_step(org, _outbox):
    complaint, token = file_as_guest(org, guest_email=EMAIL, guest_phone=PHONE_INPUT)
    before = len(guest_messages())
    resolve(org, complaint)
    messages = guest_messages()[before:]
    kinds = [m.kind for m in messages]
    # dispatch, start of work, resolution (starting verification is not a public step)
    assert kinds == ["complaint.status_changed"] * 2 + ["complaint.resolved"]
    for message in messages:
        assert {d.channel for d in message.deliveries.all()} == {"email", "sms"}
        assert message.language == "id"
        assert complaint.tracking_number in message.title + message.body
        assert "Ibu Tamu" not in message.title + message.body
    assert "Sudah diangkut." in messages[-1].body
    private_link = f"/pengaduan/tamu/{complaint.tracking_number}/{token}/"
    assert unseal(messages[-1].sealed)["url"] == private_link
    # No inbox row: nobody's inbox holds a guest's message.
    assert not Notification.objects.filter(kind="complaint.resolved").exists()

    play()
    assert {d.status for d in Delivery.objects.filter(contact__in=messages)} == {"sent"}
    to_guest = [m for m in mail.outbox if m.to == [EMAIL]]
    assert len(to_guest) == 4  # the filing's "received" and the three steps
    assert to_guest[-1].body.rstrip().endswith(private_link)
    texts = [s for s in sms_sent(_outbox) if s["to"] == PHONE]
    assert len(texts) == 4 and texts[-1]["text"].endswith(private_link)
    # Once delivered, the contact and the secret link are no longer kept.
    assert set(ContactNotification.objects.values_list("sealed", flat=True)) == {""}

    # The link in the message opens the guest's own report page.
    browser = Client()
    path = private_link
    response = browser.get(path)
    assert response.status_code == 302
    page = browser.get(response["Location"])
    assert page.status_code == 200
    assert complaint.tracking_number in page.content.decode()


def test_guest_hears_exactly_what_a_signed_in_reporter_hears(org, submit):
    signed_in = submit(category=org.trash, visibility="public")
    complaint, token = file_as_guest(org, guest_email=EMAIL)
    inbox_before = Notification.objects.filter(recipient=org.reporter).count()
    guest_before = len(guest_messages())
    for report, who in ((signed_in, {"user": org.reporter}), (complaint, {"guest_token": token})):
        resolve(org, report)
        services.complaint_reopen(complaint=report, reason="Masih ada sisa sampah.", **who)
        services.complaint_start_work(
            complaint=report, actor=org.handler, estimate_date=date.today() + timedelta(days=3)
        )
        services.complaint_resolve(complaint=report, actor=org.handler, answer="Tuntas.")
        services.complaint_confirm(complaint=report, rating=5, **who)
    inbox = Notification.objects.filter(recipient=org.reporter).order_by("pk")[inbox_before:]
    assert [n.kind for n in inbox] == [m.kind for m in guest_messages()[guest_before:]]
    assert len(inbox) >= 7


def test_guest_with_only_a_phone_gets_only_sms(org):
    complaint, _token = file_as_guest(org, guest_phone=PHONE_INPUT)
    before = len(guest_messages())
    resolve(org, complaint)
    messages = guest_messages()[before:]
    assert len(messages) == 3
    channels = set(Delivery.objects.filter(contact__in=messages).values_list("channel", flat=True))
    assert channels == {"sms"}
    assert all("email" not in unseal(m.sealed) for m in messages)


def test_guest_gets_private_messages_and_public_answers(org):
    complaint, _token = file_as_guest(org, guest_email=EMAIL)
    services.complaint_verify(complaint=complaint, actor=org.coordinator)
    services.complaint_dispatch(complaint=complaint, actor=org.coordinator, agency=org.pupr)
    before = len(guest_messages())
    services.complaint_message_reporter(
        complaint=complaint, actor=org.handler, body="Di sisi mana tumpukannya?"
    )
    services.complaint_add_note(
        complaint=complaint, actor=org.handler, body="Sudah kami cek.", public=True
    )
    kinds = [m.kind for m in guest_messages()[before:]]
    assert kinds == ["complaint.message", "complaint.status_changed"]
    # The officer's private text itself stays on the report page, behind the private link.
    assert "Di sisi mana" not in guest_messages()[before].body


def test_merged_guest_report_tells_the_guest_without_making_a_follower(org, submit):
    survivor = submit(category=org.trash)
    complaint, _token = file_as_guest(org, guest_email=EMAIL)
    services.complaint_verify(complaint=complaint, actor=org.coordinator)
    services.complaint_merge(complaint=complaint, into=survivor, actor=org.coordinator)
    merged = ContactNotification.objects.get(kind="complaint.merged")
    assert survivor.tracking_number in merged.body
    assert "Anda kini mengikuti" not in merged.body
    assert (
        not ComplaintFollower.objects.filter(complaint=survivor).exclude(user=org.reporter).exists()
    )


def test_an_officers_own_step_does_not_skip_the_guest(org):
    complaint, _token = file_as_guest(org, guest_email=EMAIL)
    services.complaint_verify(complaint=complaint, actor=org.coordinator)
    before = len(guest_messages())
    services.complaint_dispatch(complaint=complaint, actor=org.coordinator, agency=org.pupr)
    assert len(guest_messages()) == before + 1


def test_rolled_back_step_queues_nothing_for_the_guest(org):
    complaint, _token = file_as_guest(org, guest_email=EMAIL, guest_phone=PHONE_INPUT)
    services.complaint_verify(complaint=complaint, actor=org.coordinator)
    before = ContactNotification.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.complaint_dispatch(complaint=complaint, actor=org.coordinator, agency=org.pupr)
        raise RuntimeError("stop")
    assert ContactNotification.objects.count() == before


def test_officers_logs_and_audit_never_see_the_guest_contact(org, caplog):
    caplog.set_level(logging.DEBUG)
    complaint, token = file_as_guest(org, guest_email=EMAIL, guest_phone=PHONE_INPUT)
    resolve(org, complaint)
    services.complaint_confirm(complaint=complaint, rating=4, guest_token=token)
    play()
    view = selectors.officer_view(complaint)
    audit = json.dumps(list(AuditEvent.objects.values("payload", "object_id")), default=str)
    logs = " ".join(r.getMessage() for r in caplog.records)
    stored = json.dumps(
        list(ContactNotification.objects.values("title", "body", "sealed")), default=str
    )
    errors = " ".join(Delivery.objects.values_list("last_error", flat=True))
    for text in (json.dumps(view, default=str), audit, logs, stored, errors):
        assert EMAIL not in text
        assert PHONE not in text and "81311112222" not in text
        assert token not in text


def test_a_guest_is_told_the_number_when_filing(org):
    complaint, _token = file_as_guest(org, guest_phone="0812-3456-7890")
    deliveries = Delivery.objects.filter(contact__isnull=False)
    assert [d.channel for d in deliveries] == ["sms"]
    assert complaint.tracking_number in deliveries[0].contact.title


def test_a_guest_who_filed_in_english_is_written_to_in_english(org):
    file_as_guest(org, guest_email=EMAIL, guest_language="en")
    message = ContactNotification.objects.get()
    assert message.language == "en"
    assert message.title.startswith("We received report")


def test_an_unknown_guest_language_falls_back_to_indonesian(org):
    file_as_guest(org, guest_email=EMAIL, guest_language="xx")
    assert ContactNotification.objects.get().language == "id"
