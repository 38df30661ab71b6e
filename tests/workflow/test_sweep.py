"""The SLA sweep: breaches once, escalates supervisor → coordinator, expires citizen clocks."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loket.core.models import AuditEvent
from loket.core.permissions import OfficerScope
from loket.core.tasks import periodic_jobs
from loket.notifications.models import Notification
from loket.workflow.scopes import owner_scope
from loket.workflow.selectors import at_risk, overdue, timeline, timers_for
from loket.workflow.services import apply_transition, start_timer, sweep_sla
from tests.workflow.conftest import wib
from tests.workflow_testapp.models import Ticket
from tests.workflow_testapp.states import TICKET

pytestmark = pytest.mark.django_db
ALMIGHTY = OfficerScope(user_id=None, is_superuser=True)


def _verified(ticket_factory, at):
    subject = ticket_factory("received")
    apply_transition(
        workflow=TICKET, subject=subject, name="verify", actor=None, scope=ALMIGHTY, now=at
    )
    return subject


def _told(user):
    return list(Notification.objects.filter(recipient=user, kind="workflow.sla_escalation"))


def test_breach_then_supervisor_then_coordinator_each_once(org, ticket, escalation):
    # Triage: 3 working days from Mon 30 March → Thu 2 April 2026 (Good Friday 3 April off).
    subject = _verified(ticket, wib(2026, 3, 30, 9))
    assert sweep_sla(wib(2026, 4, 2, 22)).breached == 0

    first = sweep_sla(wib(2026, 4, 3, 10))
    assert (first.breached, first.escalated) == (1, 1)
    [timer] = timers_for(subject)
    assert timer.breached_at == wib(2026, 4, 3, 10) and timer.escalation_level == 1
    [note] = _told(org.supervisor)
    assert str(subject) in note.title and note.url == f"/backoffice/tiket/{subject.pk}/"
    assert "Verifikasi dan disposisi" in note.body
    assert _told(org.coordinator) == [] and _told(org.other_supervisor) == []

    again = sweep_sla(wib(2026, 4, 3, 10, 15))
    assert (again.breached, again.escalated) == (0, 0)
    # The next level waits one whole working day: until the end of Mon 6 April.
    assert sweep_sla(wib(2026, 4, 6, 16)).escalated == 0

    second = sweep_sla(wib(2026, 4, 7, 8))
    assert (second.breached, second.escalated) == (0, 1)
    assert len(_told(org.coordinator)) == 1 and len(_told(org.supervisor)) == 1
    assert sweep_sla(wib(2026, 4, 7, 8)).escalated == 0

    # The policy has two levels; after that the clock stays breached without more messages.
    assert sweep_sla(wib(2026, 4, 9, 8)).escalated == 0
    timer.refresh_from_db()
    assert timer.escalation_level == 2 and timer.next_escalation_at is None
    assert AuditEvent.objects.filter(action="workflow.sla_breached").count() == 1
    levels = [
        e.payload["level"]
        for e in AuditEvent.objects.filter(action="workflow.sla_escalated").order_by("sequence")
    ]
    assert levels == [1, 2]


def test_breach_without_policy_is_marked_but_not_escalated(org, ticket):
    subject = _verified(ticket, wib(2026, 3, 30, 9))
    result = sweep_sla(wib(2026, 4, 3, 10))
    assert (result.breached, result.escalated) == (1, 0)
    [timer] = timers_for(subject)
    assert timer.breached_at is not None and timer.escalation_level == 0
    assert not Notification.objects.filter(kind="workflow.sla_escalation").exists()


def test_paused_clock_is_not_breached_nor_escalated(org, ticket, escalation):
    subject = ticket("in_progress")
    start_timer(subject=subject, stage="follow_up", budget_working_days=1, at=wib(2026, 4, 6, 9))
    apply_transition(
        workflow=TICKET,
        subject=subject,
        name="ask_reporter",
        actor=None,
        scope=ALMIGHTY,
        note="Mohon foto.",
        now=wib(2026, 4, 6, 10),
    )
    assert sweep_sla(wib(2026, 5, 4, 9)).breached == 0
    apply_transition(
        workflow=TICKET,
        subject=subject,
        name="reporter_replies",
        actor=org.reporter,
        scope=owner_scope(),
        now=wib(2026, 5, 4, 10),
    )
    # Resumed Mon 4 May with the one working day still owed: due by the end of Tue 5 May.
    assert sweep_sla(wib(2026, 5, 5, 20)).breached == 0
    assert sweep_sla(wib(2026, 5, 6, 8)).breached == 1


def test_silent_reporter_auto_closes_after_ten_working_days(org, ticket, escalation):
    subject = ticket("in_progress")
    apply_transition(
        workflow=TICKET,
        subject=subject,
        name="resolve",
        actor=None,
        scope=ALMIGHTY,
        note="Jalan sudah ditambal.",
        now=wib(2026, 5, 11, 9),
    )
    [timer] = timers_for(subject, running_only=True)
    # 10 working days from Mon 11 May 2026; 14–15 May and 27–28 May are holidays.
    assert timer.deadline == wib(2026, 5, 29, 23, 59, 59, 999999)
    assert sweep_sla(wib(2026, 5, 29, 23)).expired == 0
    result = sweep_sla(wib(2026, 5, 30, 0, 10))
    assert (result.expired, result.breached, result.escalated) == (1, 0, 0)
    subject.refresh_from_db()
    assert subject.state == "closed"
    last = list(timeline(subject, public_only=True))[-1]
    assert (last.transition, last.actor, last.actor_role) == ("auto_close", None, "system")
    assert not timers_for(subject, running_only=True).exists()
    assert sweep_sla(wib(2026, 6, 2, 9)).expired == 0
    assert not Notification.objects.filter(kind="workflow.sla_escalation").exists()


def test_expiry_after_the_reporter_already_confirmed_does_nothing(org, ticket):
    subject = ticket("in_progress")
    apply_transition(
        workflow=TICKET,
        subject=subject,
        name="resolve",
        actor=None,
        scope=ALMIGHTY,
        note="Selesai.",
        now=wib(2026, 5, 11, 9),
    )
    apply_transition(
        workflow=TICKET,
        subject=subject,
        name="confirm",
        actor=org.reporter,
        scope=owner_scope(),
        now=wib(2026, 5, 12, 9),
    )
    assert sweep_sla(wib(2026, 6, 30, 9)).expired == 0
    assert [e.transition for e in timeline(subject, public_only=True)] == ["resolve", "confirm"]


def test_sweep_is_registered_as_a_periodic_job():
    assert "workflow.sweep_sla" in {job.name for job in periodic_jobs()}


def _queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_selector_query_counts_stay_flat(place, ticket):
    now = wib(2026, 4, 2, 12)  # triage deadlines of tickets verified on 30 March: at risk

    def grow(n):
        for _ in range(n):
            subject = _verified(ticket, wib(2026, 3, 30, 9))
            late = ticket("received")
            start_timer(subject=late, stage="triage", budget_working_days=1, at=wib(2026, 3, 25, 9))
        return subject

    tickets = Ticket.objects.filter(government=place.gov)

    def read_all(subject):
        list(at_risk(tickets, now=now))
        list(overdue(tickets, now=now))
        list(timeline(subject, public_only=False))
        list(timers_for(subject))

    small = grow(2)
    read_all(small)  # warm the content-type cache
    counts_small = _queries(lambda: read_all(small))
    assert len(list(at_risk(tickets, now=now))) == 2
    big = grow(20)
    counts_big = _queries(lambda: read_all(big))
    assert len(list(at_risk(tickets, now=now))) == 22
    assert len(list(overdue(tickets, now=now))) == 22
    assert counts_small == counts_big == 4


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_escalate_each_clock_once(org, ticket, escalation):
    import threading

    subjects = [_verified(ticket, wib(2026, 3, 30, 9)) for _ in range(6)]
    barrier = threading.Barrier(2)
    results = []

    def work() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(sweep_sla(wib(2026, 4, 3, 10), batch_size=2))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(r.breached for r in results) == len(subjects)
    assert sum(r.escalated for r in results) == len(subjects)
    assert len(_told(org.supervisor)) == len(subjects)
    assert AuditEvent.objects.filter(action="workflow.sla_breached").count() == len(subjects)
