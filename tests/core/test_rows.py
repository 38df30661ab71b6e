"""``insert`` writes the same row as ``save(force_insert=True)``, or falls back to it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loket.core.models import IdempotencyKey
from loket.core.rows import insert
from loket.notifications.models import Delivery, Notification
from loket.organizations.models import Government
from loket.workflow.models import SlaTimer
from tests import factories

pytestmark = pytest.mark.django_db


def _columns(obj) -> dict:
    row = type(obj).objects.filter(pk=obj.pk).values().get()
    row.pop("id")
    return row


def test_the_row_matches_the_one_save_writes():
    user = factories.citizen()
    fast = insert(Notification(recipient=user, kind="k", title="Judul", body="Isi", url="/u"))
    slow = Notification(recipient=user, kind="k", title="Judul", body="Isi", url="/u")
    slow.save(force_insert=True)

    assert fast.pk is not None and fast.pk != slow.pk
    assert not fast._state.adding and fast._state.db == "default"
    fast_row, slow_row = _columns(fast), _columns(slow)
    # auto_now_add filled in by pre_save, as save does
    assert fast_row.pop("created_at") == fast.created_at
    slow_row.pop("created_at")
    assert fast_row == slow_row
    assert Notification.objects.get(pk=fast.pk).recipient == user


def test_foreign_keys_json_and_time_zones_round_trip():
    government = factories.government()
    started = timezone.now() - timedelta(days=3)
    timer = insert(
        SlaTimer(
            subject_type=ContentType.objects.get_for_model(Government),
            subject_id=str(government.pk),
            government=government,
            workflow="uji",
            stage="triage",
            started_at=started,
            budget_working_days=3,
            pauses=[{"from": "2026-11-20T01:00:00+00:00", "to": None}],
        )
    )
    stored = SlaTimer.objects.get(pk=timer.pk)
    assert stored.started_at == started
    assert stored.government_id == government.pk
    assert stored.pauses == [{"from": "2026-11-20T01:00:00+00:00", "to": None}]


def test_a_related_row_saved_after_assignment_is_linked():
    user = factories.citizen()
    notification = Notification(recipient=user, kind="k", title="t", body="b")
    delivery = Delivery(notification=notification, channel="sms")
    insert(notification)  # saved after the delivery was given it
    insert(delivery)
    assert Delivery.objects.get(pk=delivery.pk).notification_id == notification.pk


def test_an_unsaved_related_row_is_refused_as_save_refuses_it():
    user = factories.citizen()
    notification = Notification(recipient=user, kind="k", title="t", body="b")
    with pytest.raises(ValueError, match="unsaved related object"):
        insert(Delivery(notification=notification, channel="sms"))


def test_one_statement_per_row_once_built():
    user = factories.citizen()
    insert(Notification(recipient=user, kind="k", title="t", body="b"))
    with CaptureQueriesContext(connection) as queries:
        insert(Notification(recipient=user, kind="k", title="t", body="b"))
    assert len(queries.captured_queries) == 1
    assert "RETURNING" in queries.captured_queries[0]["sql"].upper()


def test_models_with_their_own_save_or_receivers_go_through_save(monkeypatch):
    # Government rows have receivers (their cached copies are dropped when one is saved).
    calls = []
    original = Government.save

    def spy(self, *args, **kwargs):
        calls.append(kwargs)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Government, "save", spy)
    insert(
        Government(
            region=factories.region("18.72"), name="Kota Uji", slug="kota-uji",
            tracking_prefix="UJI",
        )
    )  # fmt: skip
    assert calls and calls[-1].get("force_insert") is True
    assert Government.objects.filter(slug="kota-uji").exists()


def test_only_plain_models_get_a_built_statement():
    from loket.complaints.models import Category
    from loket.core.rows import _build

    assert _build(Notification, "default") is not None
    assert _build(Category, "default") is None  # its own save() keeps the tree's paths


def test_a_primary_key_set_by_the_caller_goes_through_save():
    user = factories.citizen()
    chosen = 987654
    insert(Notification(pk=chosen, recipient=user, kind="k", title="t", body="b"))
    assert Notification.objects.filter(pk=chosen).exists()


def test_a_failed_insert_marks_the_transaction_for_rollback():
    IdempotencyKey.objects.create(scope="s", key="k1234567", fingerprint="f")
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert(IdempotencyKey(scope="s", key="k1234567", fingerprint="f"))
        assert transaction.get_rollback()
    assert IdempotencyKey.objects.filter(key="k1234567").count() == 1
