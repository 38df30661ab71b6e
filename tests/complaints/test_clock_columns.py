"""The report's own clock columns (sla_deadline, sla_at_risk_at, sla_escalation_level) follow
its running clocks through every step, and the queues that read them agree with the clocks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from loket.complaints import selectors, services
from loket.complaints.models import Complaint
from loket.workflow.models import SlaTimer
from loket.workflow.selectors import timers_for
from loket.workflow.services import sweep_sla

from .conftest import wib

pytestmark = pytest.mark.django_db


def columns(c: Complaint) -> tuple:
    row = Complaint.objects.values_list(
        "sla_deadline", "sla_at_risk_at", "sla_escalation_level"
    ).get(pk=c.pk)
    return tuple(row)


def running(c: Complaint) -> tuple:
    timers = list(timers_for(c, running_only=True))
    deadlines = [t.deadline for t in timers if t.deadline is not None]
    at_risk = [t.at_risk_at for t in timers if t.at_risk_at is not None]
    return (
        min(deadlines, default=None),
        min(at_risk, default=None),
        max((t.escalation_level for t in timers), default=0),
    )


def test_columns_follow_the_clocks_through_the_whole_life(org, submit):
    c = submit(category=org.trash, now=wib(2026, 7, 6, 9))
    # Filing starts the 3-working-day triage clock: end of Thursday 9 July.
    assert columns(c)[0] == wib(2026, 7, 9, 23, 59, 59, 999999)
    assert columns(c) == running(c)
    services.complaint_verify(complaint=c, actor=org.coordinator)
    services.complaint_dispatch(complaint=c, actor=org.coordinator, agency=org.dlh)
    assert columns(c) == running(c) and columns(c)[0] is not None
    services.complaint_start_work(
        complaint=c, actor=org.dlh_handler, estimate_date=date.today() + timedelta(days=7)
    )
    assert columns(c) == running(c)
    services.complaint_ask_reporter(complaint=c, actor=org.dlh_handler, question="Di mana?")
    # Waiting for the reporter: the clock is paused, so no deadline runs.
    assert columns(c) == (None, None, 0) == running(c)
    services.complaint_reporter_reply(complaint=c, user=org.reporter, body="Depan pasar")
    assert columns(c)[0] is not None and columns(c) == running(c)
    c.refresh_from_db()
    services.complaint_resolve(complaint=c, actor=org.dlh_handler, answer="Sudah diangkut.")
    assert columns(c) == running(c)  # the reporter's confirmation clock
    services.complaint_confirm(complaint=c, user=org.reporter, rating=5)
    assert columns(c) == (None, None, 0)
    assert not SlaTimer.objects.filter(subject_id=str(c.pk), stopped_at__isnull=True).exists()


def test_escalation_level_reaches_the_column_and_the_queue(org, submit):
    c = submit(now=wib(2026, 7, 6, 9))
    sweep_sla(now=wib(2026, 7, 10, 9))  # triage breached: level 1
    assert columns(c)[2] == 1 == running(c)[2]
    overdue = selectors.officer_queue(
        officer=org.coordinator, queue="overdue", now=wib(2026, 7, 10, 9)
    )
    assert [r.pk for r in overdue.items] == [c.pk]
    assert overdue.items[0].sla_escalation_level == 1


def test_queues_read_the_columns_most_urgent_first(org, submit):
    monday = submit(now=wib(2026, 7, 6, 9))  # triage ends Thu 9 July
    tuesday = submit(now=wib(2026, 7, 7, 9))  # triage ends Fri 10 July
    no_clock = submit(category=org.trash, now=wib(2026, 7, 8, 9))
    services.complaint_verify(complaint=no_clock, actor=org.coordinator)
    services.complaint_reject(complaint=no_clock, actor=org.coordinator, reason="Bukan laporan")
    queue = selectors.officer_queue(officer=org.coordinator, queue="all", now=wib(2026, 7, 8, 9))
    order = [r.pk for r in queue.items]
    # Running clocks first, earliest deadline first; a report with no clock last.
    assert order == [monday.pk, tuesday.pk, no_clock.pk]
    # Wednesday 8 July: Monday's report has one working day left (Thursday), Tuesday's two.
    at_risk = selectors.officer_queue(
        officer=org.coordinator, queue="at_risk", now=wib(2026, 7, 8, 9)
    )
    assert [r.pk for r in at_risk.items] == [monday.pk]
    thursday = selectors.officer_queue(
        officer=org.coordinator, queue="at_risk", now=wib(2026, 7, 9, 9)
    )
    assert [r.pk for r in thursday.items] == [monday.pk, tuesday.pk]
    friday = wib(2026, 7, 10, 9)
    overdue = selectors.officer_queue(officer=org.coordinator, queue="overdue", now=friday)
    assert [r.pk for r in overdue.items] == [monday.pk]
    # Once overdue, a report leaves the at-risk queue.
    at_risk = selectors.officer_queue(officer=org.coordinator, queue="at_risk", now=friday)
    assert [r.pk for r in at_risk.items] == [tuesday.pk]


def test_queue_query_count_does_not_grow_with_the_queue(org, submit, django_assert_max_num_queries):
    for day in (6, 7, 8):
        submit(now=wib(2026, 7, day, 9))
    selectors.officer_queue(officer=org.coordinator, queue="at_risk")  # scope cached
    with django_assert_max_num_queries(2):
        list(selectors.officer_queue(officer=org.coordinator, queue="at_risk").items)
    for day in (9, 10, 13, 14):
        submit(now=wib(2026, 7, day, 9))
    with django_assert_max_num_queries(2):
        list(selectors.officer_queue(officer=org.coordinator, queue="at_risk").items)
