"""notify(): inbox row and deliveries in the caller's transaction; delivery through providers
that fail, recover or stay down; idempotent re-runs; the recipient's language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from loket.core.models import AuditEvent, TaskGiveUp
from loket.core.tasks import run_pending_tasks
from loket.notifications.models import Delivery, DeliveryAttempt, Notification
from loket.notifications.rendering import LANGUAGES, UnknownKind, render_notification
from loket.notifications.services import notify
from loket.notifications.tasks import MAX_ATTEMPTS, deliver_notification

pytestmark = pytest.mark.django_db

DELIVER = "loket.notifications.tasks.deliver_notification"
SEND_NEW = "loket.notifications.tasks.send_new_deliveries"
TEMPLATES = Path(__file__).resolve().parents[2] / "src/loket/templates/notifications"


class Boom(Exception):
    pass


def deliveries(notification: Notification) -> dict[str, Delivery]:
    return {d.channel: d for d in Delivery.objects.filter(notification=notification)}


def play_forward(rounds: int = 12) -> None:
    """Run every task, including retries that are not due yet, until none is left."""
    for _ in range(rounds):
        if not run_pending_tasks(include_deferred=True):
            return


def test_notify_writes_inbox_row_deliveries_and_tasks(make_user, gateway):
    user = make_user(full_name="Siti", notify_whatsapp=True)
    notification = notify(
        recipient=user, kind="account.welcome", context={"name": "Siti"}, url="/akun/"
    )
    assert notification.title == "Selamat datang di Loket"
    assert "Halo Siti" in notification.body
    assert notification.read_at is None
    assert set(deliveries(notification)) == {"email", "sms", "whatsapp"}
    assert all(d.status == Delivery.Status.PENDING for d in deliveries(notification).values())
    # One sending run queued for all three (and for whatever else is notified meanwhile).
    run = DBTaskResult.objects.get(task_path=SEND_NEW)
    assert run.queue_name == "notifications"
    assert not DBTaskResult.objects.filter(task_path=DELIVER).exists()
    event = AuditEvent.objects.get(action="notification.create")
    assert event.payload["kind"] == "account.welcome"
    assert "@" not in json.dumps(event.payload)
    # Nothing went out yet: the request never talks to a provider.
    assert gateway.requests == 0
    assert mail.outbox == []

    play_forward()
    sent = deliveries(notification)
    assert {d.status for d in sent.values()} == {Delivery.Status.SENT}
    assert sent["sms"].provider_message_id.startswith("fake-")
    assert sorted(m.channel for m in gateway.messages) == ["sms", "whatsapp"]
    sms = next(m for m in gateway.messages if m.channel == "sms")
    assert sms.to == user.phone
    assert "Selamat datang di Loket" in sms.text
    assert sms.text.endswith("/akun/")
    assert sms.idempotency_key == f"loket-delivery-{sent['sms'].pk}"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert mail.outbox[0].subject == "Selamat datang di Loket"
    assert DeliveryAttempt.objects.filter(ok=True).count() == 3


def test_channels_follow_preferences_and_addresses(make_user):
    no_phone = make_user(phone=None, notify_sms=True)
    assert set(deliveries(notify(recipient=no_phone, kind="test.hello", context={}))) == {"email"}
    quiet = make_user(notify_email=False, notify_sms=False)
    assert deliveries(notify(recipient=quiet, kind="test.hello", context={})) == {}
    # An explicit list (e.g. a one-time code the user asked for) is the caller's choice.
    code = notify(
        recipient=quiet, kind="account.code", context={"code": "123456"}, channels=["sms"]
    )
    assert set(deliveries(code)) == {"sms"}
    with pytest.raises(ValueError):
        notify(recipient=quiet, kind="test.hello", context={}, channels=["pigeon"])


def test_many_notifications_one_sending_run_each_message_once(make_user, gateway):
    users = [make_user(notify_email=False) for _ in range(5)]
    for user in users:
        notify(recipient=user, kind="test.hello", context={})
    assert DBTaskResult.objects.filter(task_path=SEND_NEW).count() == 1
    assert run_pending_tasks() == 1
    assert len(gateway.messages) == 5
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}
    # Once that run has started, the next notification queues the next run.
    notify(recipient=users[0], kind="test.hello", context={})
    assert DBTaskResult.objects.filter(task_path=SEND_NEW, status="READY").count() == 1
    play_forward()
    assert len(gateway.messages) == 6


def test_a_run_that_died_mid_send_is_taken_over_once_stale(make_user, gateway, settings):
    from datetime import timedelta

    from django.utils import timezone

    from loket.notifications.tasks import send_new_deliveries

    user = make_user(notify_email=False)
    notification = notify(recipient=user, kind="test.hello", context={})
    sms = deliveries(notification)["sms"]
    # A run claimed it (attempt counted) and its worker was killed before marking it sent.
    Delivery.objects.filter(pk=sms.pk).update(attempts=1, tried_at=timezone.now())
    assert send_new_deliveries.call() == 0  # a live claim is left alone
    assert gateway.requests == 0
    Delivery.objects.filter(pk=sms.pk).update(
        tried_at=timezone.now() - timedelta(seconds=settings.LOKET_TASK_STALE_SECONDS + 1)
    )
    assert send_new_deliveries.call() == 1
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("sent", 2)
    assert gateway.messages[0].idempotency_key == f"loket-delivery-{sms.pk}"
    assert send_new_deliveries.call() == 0  # nothing twice
    assert len(gateway.messages) == 1


def test_the_periodic_run_sends_what_no_queueing_covered(make_user, gateway):
    from loket.core.tasks import periodic_jobs

    job = next(j for j in periodic_jobs() if j.name == "notifications.send_new")
    assert job.task.module_path == SEND_NEW
    user = make_user(notify_email=False)
    notify(recipient=user, kind="test.hello", context={})
    DBTaskResult.objects.all().delete()  # as if the queueing had been lost
    job.task.call()
    assert len(gateway.messages) == 1


def test_rollback_leaves_nothing_behind(make_user):
    user = make_user()
    with pytest.raises(Boom), transaction.atomic():
        notify(recipient=user, kind="test.hello", context={})
        raise Boom
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_run_queued_in_a_rolled_back_transaction_is_queued_again(make_user, gateway):
    user = make_user(notify_email=False)
    with pytest.raises(Boom), transaction.atomic():
        notify(recipient=user, kind="test.hello", context={})
        raise Boom
    notify(recipient=user, kind="test.hello", context={})
    assert DBTaskResult.objects.filter(task_path=SEND_NEW).count() == 1
    run_pending_tasks()
    assert len(gateway.messages) == 1


def test_language_follows_the_recipient(make_user, gateway):
    english = make_user(language="en", notify_sms=False)
    indonesian = make_user(language="id", notify_sms=False)
    en = notify(recipient=english, kind="account.code", context={"code": "424242"})
    idn = notify(recipient=indonesian, kind="account.code", context={"code": "424242"})
    assert en.title == "Loket verification code"
    assert "Valid for 10 minutes" in en.body
    assert idn.title == "Kode verifikasi Loket"
    assert "Berlaku 10 menit" in idn.body
    play_forward()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {english.email: en.title, indonesian.email: idn.title}


def test_provider_down_then_back_delivers_once(make_user, gateway):
    user = make_user(notify_email=False)
    gateway.go_down()
    notification = notify(recipient=user, kind="test.hello", context={"note": "uji"})
    assert Notification.objects.filter(pk=notification.pk).exists()  # the caller succeeded

    run_pending_tasks()
    sms = deliveries(notification)["sms"]
    assert sms.status == Delivery.Status.RETRYING
    assert sms.attempts == 1
    assert "unreachable" in sms.last_error
    assert user.phone not in sms.last_error
    failed = DeliveryAttempt.objects.get(delivery=sms)
    assert not failed.ok
    retry = DBTaskResult.objects.get(task_path=DELIVER, status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"]["_attempt"] == 2

    gateway.come_back()
    play_forward()
    sms.refresh_from_db()
    assert sms.status == Delivery.Status.SENT
    assert sms.attempts == 2
    assert len(gateway.messages) == 1
    assert "Ini pesan uji: uji" in gateway.messages[0].text
    assert not TaskGiveUp.objects.exists()


def test_provider_failing_a_few_times_then_accepting(make_user, gateway):
    user = make_user(notify_email=False)
    gateway.fail_next = 2
    notification = notify(recipient=user, kind="test.hello", context={})
    play_forward()
    sms = deliveries(notification)["sms"]
    assert sms.status == Delivery.Status.SENT
    assert sms.attempts == 3
    assert list(DeliveryAttempt.objects.filter(delivery=sms).values_list("ok", flat=True)) == [
        False,
        False,
        True,
    ]
    assert sms.last_error == ""  # cleared once sent
    assert "HTTP 500" in DeliveryAttempt.objects.filter(delivery=sms).first().detail
    assert len(gateway.messages) == 1


def test_provider_down_for_good_gives_up_visibly(make_user, gateway):
    user = make_user(notify_email=False)
    gateway.go_down()
    notification = notify(recipient=user, kind="test.hello", context={})
    play_forward(rounds=MAX_ATTEMPTS + 3)
    sms = deliveries(notification)["sms"]
    assert sms.status == Delivery.Status.GAVE_UP
    assert sms.attempts == MAX_ATTEMPTS
    assert DeliveryAttempt.objects.filter(delivery=sms, ok=False).count() == MAX_ATTEMPTS
    give_up = TaskGiveUp.objects.get()
    assert give_up.task_path == DELIVER
    assert give_up.arguments == {"delivery_id": sms.pk}
    assert give_up.attempts == MAX_ATTEMPTS
    assert AuditEvent.objects.filter(action="notification.delivery_gave_up").count() == 1
    assert not DBTaskResult.objects.filter(task_path=DELIVER, status="READY").exists()


def test_rerunning_a_sent_delivery_sends_nothing_twice(make_user, gateway):
    user = make_user(notify_email=False)
    notification = notify(recipient=user, kind="test.hello", context={})
    play_forward()
    sms = deliveries(notification)["sms"]
    assert sms.status == Delivery.Status.SENT
    # A worker killed after sending has its task put back to READY: it runs again.
    deliver_notification.enqueue(delivery_id=sms.pk)
    DBTaskResult.objects.filter(task_path=DELIVER).update(status=TaskResultStatus.READY)
    play_forward()
    assert len(gateway.messages) == 1
    sms.refresh_from_db()
    assert sms.attempts == 1
    assert DeliveryAttempt.objects.filter(delivery=sms).count() == 1


def test_of_two_runs_of_one_delivery_at_once_one_sends(make_user, gateway, monkeypatch):
    from loket.notifications import tasks

    user = make_user(notify_email=False)
    notification = notify(recipient=user, kind="test.hello", context={})
    sms = deliveries(notification)["sms"]
    original = tasks._outgoing

    def other_run_takes_it_first(delivery):
        # Between this run's read and its count, another run counts its attempt.
        Delivery.objects.filter(pk=delivery.pk).update(attempts=delivery.attempts + 1)
        return original(delivery)

    monkeypatch.setattr(tasks, "_outgoing", other_run_takes_it_first)
    assert deliver_notification.call(delivery_id=sms.pk) == "pending"
    assert gateway.requests == 0
    assert deliver_notification.call(delivery_id=10**9) == "missing"


def test_delivery_to_a_removed_address_is_skipped(make_user, gateway):
    user = make_user(notify_email=False)
    notification = notify(recipient=user, kind="test.hello", context={})
    user.phone = None
    user.save(update_fields=["phone"])
    play_forward()
    assert deliveries(notification)["sms"].status == Delivery.Status.SKIPPED
    assert gateway.requests == 0


def test_every_kind_exists_in_indonesian_and_english():
    kinds = {p.name.rsplit(".", 2)[0] for p in TEMPLATES.glob("*.txt")}
    assert {"account.welcome", "account.code", "test.hello"} <= kinds
    for kind in kinds:
        titles = {
            language: render_notification(kind=kind, language=language, context={}).title
            for language in LANGUAGES
        }
        assert all(titles.values())
        assert titles["id"] != titles["en"], kind


def test_unknown_kind_and_text_is_not_html_escaped():
    with pytest.raises(UnknownKind):
        render_notification(kind="no.such_kind", language="id", context={})
    with pytest.raises(UnknownKind):
        render_notification(kind="../base", language="id", context={})
    rendered = render_notification(kind="test.hello", language="xx", context={"note": "A & B"})
    assert rendered.title == "Halo dari Loket"  # unknown language falls back to Indonesian
    assert "A & B" in rendered.body


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_message_once(gateway, monkeypatch):
    """Two workers' runs claim disjoint batches (rows locked by one are skipped by the other)."""
    import threading

    from django.db import connection

    from loket.accounts.models import User
    from loket.notifications import tasks

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; this needs PostgreSQL connections")
    for n in range(30):
        user = User.objects.create_user(
            email=f"paralel{n}@example.test", password="x-1234567", phone=f"+628120000{n:04d}"
        )
        user.notify_email, user.notify_sms = False, True
        user.save()
        notify(recipient=user, kind="test.hello", context={})
    barrier = threading.Barrier(2)
    tried: list[int] = []

    def run() -> None:
        try:
            barrier.wait()
            tried.append(tasks.send_new_deliveries.call())
        finally:
            connection.close()

    monkeypatch.setattr(tasks, "BATCH_SIZE", 5)  # several claims each, interleaved
    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(tried) == 30
    assert len(gateway.messages) == 30
    assert len({m.idempotency_key for m in gateway.messages}) == 30
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_a_run_out_of_time_hands_back_what_it_did_not_try(make_user, gateway, monkeypatch):
    """A slow provider: the run stops at its time budget, the untried rest of its batch is
    released (attempt not counted) and the next run, already queued, sends it."""
    from loket.notifications import tasks

    for _ in range(4):
        notify(recipient=make_user(notify_email=False), kind="test.hello", context={})
    now = [0.0]
    first_attempt = tasks._first_attempt

    def slow_attempt(delivery):
        result = first_attempt(delivery)
        if len(gateway.messages) == 2:
            now[0] += 10**6  # the provider took all of the run's time
        return result

    monkeypatch.setattr(tasks, "monotonic", lambda: now[0])
    monkeypatch.setattr(tasks, "_first_attempt", slow_attempt)
    assert tasks.send_new_deliveries.call() == 2
    monkeypatch.undo()
    assert len(gateway.messages) == 2
    waiting = Delivery.objects.filter(status="pending")
    assert [d.attempts for d in waiting] == [0, 0]
    assert DBTaskResult.objects.filter(task_path=SEND_NEW, status="READY").exists()
    play_forward()
    assert len(gateway.messages) == 4
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}
