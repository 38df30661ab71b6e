"""SLA timers on the government's working calendar (2026 dates: weekends, Lebaran, Easter)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError

from loket.core.permissions import OfficerScope
from loket.organizations.models import RegionalHoliday
from loket.workflow.models import SlaTimer
from loket.workflow.scopes import owner_scope
from loket.workflow.selectors import at_risk, overdue, timers_for, with_deadline
from loket.workflow.services import (
    apply_transition,
    extend_timer,
    pause_timer,
    resume_timer,
    start_timer,
    stop_timer,
)
from tests.workflow.conftest import wib
from tests.workflow_testapp.models import Ticket
from tests.workflow_testapp.states import TICKET

pytestmark = pytest.mark.django_db
ALMIGHTY = OfficerScope(user_id=None, is_superuser=True)
END = (23, 59, 59, 999999)


def test_deadline_skips_weekend_and_cuti_bersama(ticket):
    # Mon 16 March 2026; 18–20 and 23–24 March are Nyepi, Idul Fitri and cuti bersama.
    timer = start_timer(
        subject=ticket(), stage="follow_up", budget_working_days=5, at=wib(2026, 3, 16, 10)
    )
    assert timer.deadline == wib(2026, 3, 30, *END)  # 17, 25, 26, 27, 30


def test_pause_over_a_weekend_moves_the_deadline_by_working_days_only(ticket):
    subject = ticket()
    start_timer(subject=subject, stage="follow_up", budget_working_days=5, at=wib(2026, 3, 16, 10))
    [paused] = pause_timer(subject=subject, stage="follow_up", at=wib(2026, 3, 25, 9))
    assert paused.deadline is None and paused.at_risk_at is None
    assert paused.paused_at == wib(2026, 3, 25, 9)
    [resumed] = resume_timer(subject=subject, stage="follow_up", at=wib(2026, 3, 30, 10))
    # Paused Wed 25 → resumed Mon 30 gives back Thu 26, Fri 27 and Mon 30: three working days.
    assert resumed.deadline == wib(2026, 4, 2, *END)
    assert resumed.paused_at is None
    assert resumed.pauses == [["2026-03-25T09:00:00+07:00", "2026-03-30T10:00:00+07:00"]]


def test_regional_holiday_of_the_government_counts(place, ticket):
    RegionalHoliday.objects.create(government=place.gov, date="2026-03-17", name="HUT Kota")
    timer = start_timer(
        subject=ticket(), stage="follow_up", budget_working_days=5, at=wib(2026, 3, 16, 10)
    )
    assert timer.deadline == wib(2026, 3, 31, *END)


def test_one_running_timer_per_stage_and_restart_keeps_history(ticket):
    subject = ticket()
    first = start_timer(
        subject=subject, stage="triage", budget_working_days=3, at=wib(2026, 4, 6, 8)
    )
    second = start_timer(
        subject=subject, stage="triage", budget_working_days=3, at=wib(2026, 4, 7, 8)
    )
    first.refresh_from_db()
    assert first.stopped_at == wib(2026, 4, 7, 8)
    assert list(timers_for(subject, running_only=True)) == [second]
    assert list(timers_for(subject)) == [first, second]
    with pytest.raises(IntegrityError):
        SlaTimer.objects.create(
            subject_type=second.subject_type,
            subject_id=second.subject_id,
            government=second.government,
            stage="triage",
            started_at=second.started_at,
            budget_working_days=1,
        )


def test_stop_and_extend(ticket):
    subject = ticket()
    start_timer(subject=subject, stage="answer", budget_working_days=10, at=wib(2026, 8, 3, 9))
    [timer] = extend_timer(subject=subject, stage="answer", days=7)
    # 10 + 7 working days from Mon 3 Aug 2026; 17 Aug (Independence Day) and 25 Aug (Maulid)
    # are holidays.
    assert timer.budget_working_days == 17
    assert timer.deadline == wib(2026, 8, 28, *END)
    [stopped] = stop_timer(subject=subject, stage="answer", at=wib(2026, 8, 10, 9))
    assert stopped.stopped_at == wib(2026, 8, 10, 9)
    assert stop_timer(subject=subject, stage="answer") == []


def test_transitions_drive_the_clocks(org, ticket):
    subject = ticket("received")

    def do(name, at, scope=ALMIGHTY):
        apply_transition(
            workflow=TICKET,
            subject=subject,
            name=name,
            actor=None,
            scope=scope,
            note="Catatan",
            now=at,
        )

    do("verify", wib(2026, 3, 30, 9))
    [triage] = timers_for(subject, running_only=True)
    assert (triage.stage, triage.deadline) == ("triage", wib(2026, 4, 2, *END))
    do("dispatch", wib(2026, 3, 31, 9))
    [follow_up] = timers_for(subject, running_only=True)
    # 5 working days from Tue 31 March: 1, 2, 6, 7, 8 April (Good Friday 3 April is off).
    assert (follow_up.stage, follow_up.deadline) == ("follow_up", wib(2026, 4, 8, *END))
    do("assign", wib(2026, 4, 1, 9))
    do("ask_reporter", wib(2026, 4, 2, 9))
    follow_up.refresh_from_db()
    assert follow_up.deadline is None
    do("reporter_replies", wib(2026, 4, 7, 15), scope=owner_scope())
    follow_up.refresh_from_db()
    # Paused Thu 2 → resumed Tue 7: Mon 6 and Tue 7 given back.
    assert follow_up.deadline == wib(2026, 4, 10, *END)
    do("resolve", wib(2026, 4, 8, 9))
    follow_up.refresh_from_db()
    assert follow_up.stopped_at == wib(2026, 4, 8, 9)
    [confirmation] = timers_for(subject, running_only=True)
    assert confirmation.stage == "confirmation" and confirmation.budget_working_days == 10


def test_government_setting_overrides_the_stage_budget(place, ticket):
    place.gov.settings = {"sla": {"test_ticket.triage": 1}}
    place.gov.save()
    subject = Ticket.objects.select_related("government").get(pk=ticket().pk)
    apply_transition(
        workflow=TICKET,
        subject=subject,
        name="verify",
        actor=None,
        scope=ALMIGHTY,
        now=wib(2026, 3, 30, 9),
    )
    [timer] = timers_for(subject)
    assert timer.budget_working_days == 1 and timer.deadline == wib(2026, 3, 31, *END)


def test_terminal_state_stops_every_clock(ticket):
    subject = ticket("received")
    apply_transition(
        workflow=TICKET,
        subject=subject,
        name="verify",
        actor=None,
        scope=ALMIGHTY,
        now=wib(2026, 3, 30, 9),
    )
    start_timer(subject=subject, stage="extra", budget_working_days=2, at=wib(2026, 3, 30, 9))
    apply_transition(
        workflow=TICKET,
        subject=subject,
        name="reject",
        actor=None,
        scope=ALMIGHTY,
        note="Bukan wewenang",
        now=wib(2026, 3, 31, 9),
    )
    assert not timers_for(subject, running_only=True).exists()


def test_at_risk_and_overdue_selectors_agree_with_the_clock(place, ticket):
    # Budget 3 from Mon 30 March → Thu 2 April; Good Friday 3 April is a holiday.
    subject = ticket()
    timer = start_timer(
        subject=subject, stage="triage", budget_working_days=3, at=wib(2026, 3, 30, 9)
    )
    assert timer.at_risk_at == wib(2026, 4, 1)
    from loket.core.calendar import calendar_for_government

    clock = timer.clock(calendar_for_government(place.gov))
    tickets = Ticket.objects.filter(government=place.gov)
    moment = wib(2026, 3, 30, 10)
    while moment < wib(2026, 4, 7):
        risky = at_risk(tickets, now=moment).exists()
        late = overdue(tickets, now=moment).exists()
        assert risky == clock.at_risk(moment), moment
        assert late == clock.is_breached(moment), moment
        moment += timedelta(hours=5)


def test_at_risk_when_the_deadline_falls_on_a_day_off(ticket):
    # A budget of 0 on a Saturday ends that Saturday: at risk at once.
    subject = ticket()
    start_timer(subject=subject, stage="triage", budget_working_days=0, at=wib(2026, 4, 4, 9))
    assert at_risk(Ticket, now=wib(2026, 4, 4, 10)).get() == subject


def test_paused_timers_are_neither_at_risk_nor_overdue(ticket):
    subject = ticket()
    start_timer(subject=subject, stage="triage", budget_working_days=1, at=wib(2026, 4, 6, 9))
    pause_timer(subject=subject, stage="triage", at=wib(2026, 4, 6, 10))
    later = wib(2026, 5, 4, 9)
    assert not at_risk(Ticket, now=later).exists()
    assert not overdue(Ticket, now=later).exists()


def test_with_deadline_annotates_the_earliest_running_deadline(ticket):
    subject, idle = ticket(), ticket()
    start_timer(subject=subject, stage="triage", budget_working_days=3, at=wib(2026, 4, 6, 9))
    start_timer(subject=subject, stage="follow_up", budget_working_days=1, at=wib(2026, 4, 6, 9))
    rows = {t.pk: t for t in with_deadline(Ticket.objects.all())}
    assert rows[subject.pk].sla_deadline == wib(2026, 4, 7, *END)
    assert rows[subject.pk].sla_escalation_level == 0
    assert rows[idle.pk].sla_deadline is None
