"""The life of a report through the services: permissions, forwarding, merging, evidence,
rating, reopening, clocks with holidays and pauses, escalation and auto-close."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from loket.complaints import services
from loket.complaints.models import Complaint, ComplaintFollower, ComplaintPhoto
from loket.core.models import AuditEvent
from loket.notifications.models import Notification
from loket.organizations.models import RegionalHoliday
from loket.workflow.errors import IllegalTransition, NotPermitted
from loket.workflow.models import WorkflowEvent
from loket.workflow.selectors import timers_for
from loket.workflow.services import sweep_sla
from tests.complaints.conftest import wib
from tests.complaints.test_submit import jpeg

SOON = date.today() + timedelta(days=10)

# action: (state the report is in, call)
ACTIONS = {
    "verify": ("received", lambda o, c, a: services.complaint_verify(complaint=c, actor=a)),
    "dispatch": (
        "verification",
        lambda o, c, a: services.complaint_dispatch(complaint=c, actor=a, agency=o.pupr),
    ),
    "assign": (
        "dispatched",
        lambda o, c, a: services.complaint_assign(complaint=c, actor=a, handler=o.handler),
    ),
    "start_work": (
        "dispatched",
        lambda o, c, a: services.complaint_start_work(complaint=c, actor=a, estimate_date=SOON),
    ),
    "resolve": (
        "in_progress",
        lambda o, c, a: services.complaint_resolve(
            complaint=c, actor=a, answer="Sudah diperbaiki", after_photos=[jpeg()]
        ),
    ),
    "reveal": (
        "dispatched",
        lambda o, c, a: services.complaint_reveal_reporter(complaint=c, actor=a),
    ),
}
# role: actions it may take on a report of its own government (and, for agency roles, agency).
ALLOWED = {
    "coordinator": {"verify", "dispatch", "reveal"},
    "liaison": {"assign", "start_work", "resolve", "reveal"},
    "handler": {"start_work", "resolve", "reveal"},
    "supervisor": {"assign", "reveal"},
    "dlh_handler": set(),  # another agency of the same government
    "dlh_liaison": set(),
    "foreign_coordinator": set(),  # another government
    "foreign_handler": set(),
    "leader": set(),
    "counter": set(),
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_permission_matrix(org, drive, role, action):
    state, call = ACTIONS[action]
    complaint = drive(state, identity="shown")
    actor = getattr(org, role)
    before = (complaint.state, complaint.agency_id, complaint.handler_id)
    audit_before = AuditEvent.objects.count()
    if action in ALLOWED[role]:
        call(org, complaint, actor)
    else:
        with pytest.raises(NotPermitted) as exc:
            call(org, complaint, actor)
        assert exc.value.status == 404
        fresh = Complaint.objects.get(pk=complaint.pk)
        assert (fresh.state, fresh.agency_id, fresh.handler_id) == before
        assert AuditEvent.objects.count() == audit_before
        assert not ComplaintPhoto.objects.filter(complaint=complaint, kind="after").exists()


def test_forward_to_another_government_keeps_the_number(org, drive):
    c = drive("verification")
    number = c.tracking_number
    services.complaint_forward(
        complaint=c,
        actor=org.coordinator,
        to_government=org.other_gov,
        reason="Jalan nasional di wilayah kabupaten tetangga",
        category=org.foreign_cat,
    )
    fresh = Complaint.objects.get(pk=c.pk)
    assert fresh.tracking_number == number
    assert fresh.government_id == org.other_gov.pk and fresh.state == "received"
    assert fresh.category_id == org.foreign_cat.pk
    assert [t.stage for t in timers_for(fresh, running_only=True)] == ["triage"]
    with pytest.raises(NotPermitted):
        services.complaint_verify(complaint=fresh, actor=org.coordinator)
    services.complaint_verify(complaint=fresh, actor=org.foreign_coordinator)
    steps = list(
        WorkflowEvent.objects.filter(subject_id=str(c.pk)).values_list("transition", flat=True)
    )
    assert steps[-3:] == ["forward", "receive", "verify"]


def test_agency_declines_and_coordinator_redirects(org, drive):
    c = drive("dispatched")
    services.complaint_decline(complaint=c, actor=org.liaison, reason="Bukan wewenang PUPR")
    assert c.state == "verification" and c.agency_id is None
    services.complaint_dispatch(complaint=c, actor=org.coordinator, agency=org.dlh)
    services.complaint_redirect(complaint=c, actor=org.coordinator, agency=org.pupr)
    assert Complaint.objects.get(pk=c.pk).agency_id == org.pupr.pk


def test_merge_makes_reporters_follow_the_survivor(org, drive, submit):
    survivor = drive("dispatched", visibility="public")
    duplicate = submit(reporter=org.other_citizen)
    services.complaint_verify(complaint=duplicate, actor=org.coordinator)
    services.complaint_merge(complaint=duplicate, into=survivor, actor=org.coordinator)
    duplicate.refresh_from_db()
    assert duplicate.state == "merged" and duplicate.merged_into_id == survivor.pk
    assert ComplaintFollower.objects.filter(complaint=survivor, user=org.other_citizen).exists()
    assert Notification.objects.filter(
        recipient=org.other_citizen, kind="complaint.merged"
    ).exists()
    before = Notification.objects.filter(recipient=org.other_citizen).count()
    services.complaint_start_work(complaint=survivor, actor=org.handler, estimate_date=SOON)
    assert Notification.objects.filter(recipient=org.other_citizen).count() == before + 1


def test_after_photo_rule(org, drive):
    c = drive("in_progress")
    with pytest.raises(ValidationError) as exc:
        services.complaint_resolve(complaint=c, actor=org.handler, answer="Selesai")
    assert "photos" in exc.value.message_dict
    assert Complaint.objects.get(pk=c.pk).state == "in_progress"
    services.complaint_resolve(
        complaint=c, actor=org.handler, answer="Sudah ditambal", after_photos=[jpeg()]
    )
    fresh = Complaint.objects.get(pk=c.pk)
    assert fresh.state == "resolved" and fresh.public_answer == "Sudah ditambal"
    assert ComplaintPhoto.objects.filter(complaint=c, kind="after").count() == 1
    # a category without the rule resolves without a photo
    other = drive("in_progress", category=org.trash)
    services.complaint_resolve(complaint=other, actor=org.handler, answer="Diangkut")
    assert other.state == "resolved"


def test_rating_rules(org, drive):
    open_report = drive("in_progress")
    with pytest.raises(IllegalTransition) as exc:
        services.complaint_confirm(complaint=open_report, user=org.reporter, rating=4)
    assert exc.value.status == 409
    resolved = drive("resolved")
    for bad in (0, 6, True, "5"):
        with pytest.raises(ValidationError):
            services.complaint_confirm(complaint=resolved, user=org.reporter, rating=bad)
    with pytest.raises(NotPermitted):
        services.complaint_confirm(complaint=resolved, user=org.other_citizen, rating=5)
    services.complaint_confirm(complaint=resolved, user=org.reporter, rating=4, comment="Cepat")
    fresh = Complaint.objects.get(pk=resolved.pk)
    assert (fresh.state, fresh.rating, fresh.closed_at is not None) == ("closed", 4, True)
    with pytest.raises(ValidationError):
        services.complaint_confirm(complaint=fresh, user=org.reporter, rating=3)


def test_reopen_window(org, drive):
    c = drive("in_progress", category=org.trash)
    resolved_at = timezone.now()
    services.complaint_resolve(complaint=c, actor=org.handler, answer="Selesai", now=resolved_at)
    with pytest.raises(ValidationError) as exc:
        services.complaint_reopen(
            complaint=c,
            user=org.reporter,
            reason="Masih ada",
            now=resolved_at + timedelta(hours=73),
        )
    assert "72" in exc.value.messages[0]
    assert Complaint.objects.get(pk=c.pk).state == "resolved"
    with pytest.raises(ValidationError):
        services.complaint_reopen(complaint=c, user=org.reporter, reason="  ")
    services.complaint_reopen(
        complaint=c, user=org.reporter, reason="Masih ada", now=resolved_at + timedelta(hours=71)
    )
    assert c.state == "reopened"
    stages = {t.stage for t in timers_for(c, running_only=True)}
    assert stages == {"follow_up", "settle"}


def test_reopen_window_is_configurable(org, drive):
    org.gov.settings = {"complaints": {"reopen_window_hours": 24}}
    org.gov.save()
    c = drive("in_progress", category=org.trash)
    at = timezone.now()
    services.complaint_resolve(complaint=c, actor=org.handler, answer="Selesai", now=at)
    with pytest.raises(ValidationError):
        services.complaint_reopen(
            complaint=c, user=org.reporter, reason="x", now=at + timedelta(hours=25)
        )


def test_auto_close_after_ten_working_days(org, drive):
    c = drive("in_progress", category=org.trash)
    resolved_at = wib(2026, 7, 1, 10)  # Wednesday
    services.complaint_resolve(complaint=c, actor=org.handler, answer="Selesai", now=resolved_at)
    timer = timers_for(c, running_only=True).get(stage="confirmation")
    assert timer.budget_working_days == 10
    assert timer.deadline == wib(2026, 7, 15, 23, 59, 59, 999999)
    assert sweep_sla(now=wib(2026, 7, 15, 20)).expired == 0
    before = Notification.objects.filter(recipient=org.reporter).count()
    result = sweep_sla(now=wib(2026, 7, 16, 1))
    assert result.expired == 1
    fresh = Complaint.objects.get(pk=c.pk)
    assert fresh.state == "closed" and fresh.closed_at == wib(2026, 7, 16, 1)
    assert Notification.objects.filter(recipient=org.reporter).count() == before + 1
    assert WorkflowEvent.objects.filter(subject_id=str(c.pk), transition="auto_close").exists()
    # an auto-closed report can still be rated once
    services.complaint_confirm(complaint=fresh, user=org.reporter, rating=3)
    assert Complaint.objects.get(pk=c.pk).rating == 3


def test_triage_clock_counts_working_days_with_holidays(org, submit):
    RegionalHoliday.objects.create(government=org.gov, date=date(2026, 7, 7), name="HUT Kota")
    c = submit(now=wib(2026, 7, 3, 10))  # Friday
    timer = timers_for(c, running_only=True).get(stage="triage")
    # Mon 6, (Tue 7 holiday), Wed 8, Thu 9
    assert timer.deadline == wib(2026, 7, 9, 23, 59, 59, 999999)


def test_clock_overrides_category_then_government(org, submit):
    org.gov.settings = {"sla": {"complaint.triage": 5}}
    org.gov.save()
    c = submit(category=org.trash, now=wib(2026, 7, 6, 9))  # Monday
    assert timers_for(c, running_only=True).get(stage="triage").budget_working_days == 5
    org.road.sla_overrides = {"triage": 1}
    org.road.save()
    d = submit(category=org.road, now=wib(2026, 7, 6, 9))
    timer = timers_for(d, running_only=True).get(stage="triage")
    assert timer.budget_working_days == 1 and timer.deadline == wib(2026, 7, 7, 23, 59, 59, 999999)


def test_settle_is_sixty_calendar_days_and_pauses_while_waiting(org, submit):
    c = submit(category=org.trash, now=wib(2026, 7, 6, 9))
    services.complaint_verify(complaint=c, actor=org.coordinator)
    c._clock_at = wib(2026, 7, 6, 10)
    from loket.complaints.states import COMPLAINT
    from loket.core.permissions import officer_scope
    from loket.workflow.services import apply_transition

    apply_transition(
        workflow=COMPLAINT,
        subject=c,
        name="dispatch",
        actor=org.coordinator,
        scope=officer_scope(org.coordinator),
        extra={"agency": org.dlh},
        now=wib(2026, 7, 6, 10),
    )
    settle = timers_for(c, running_only=True).get(stage="settle")
    assert settle.deadline.astimezone(wib(2026, 1, 1).tzinfo).date() <= date(2026, 9, 4)
    assert settle.deadline.astimezone(wib(2026, 1, 1).tzinfo).date() >= date(2026, 8, 28)
    original = settle.deadline
    apply_transition(
        workflow=COMPLAINT,
        subject=c,
        name="start_work",
        actor=org.dlh_handler,
        scope=officer_scope(org.dlh_handler),
        now=wib(2026, 7, 7, 9),
    )
    apply_transition(
        workflow=COMPLAINT,
        subject=c,
        name="ask_reporter",
        actor=org.dlh_handler,
        scope=officer_scope(org.dlh_handler),
        note="Alamat persis?",
        now=wib(2026, 7, 8, 9),
    )
    assert timers_for(c, running_only=True).get(stage="settle").deadline is None  # paused
    c.refresh_from_db()
    from loket.workflow.scopes import owner_scope

    apply_transition(
        workflow=COMPLAINT,
        subject=c,
        name="reporter_replies",
        actor=None,
        scope=owner_scope("reporter"),
        now=wib(2026, 7, 10, 9),  # Wed → Fri: 2 working days
    )
    resumed = timers_for(c, running_only=True).get(stage="settle")
    assert resumed.deadline > original
    from loket.core.calendar import calendar_for_government

    cal = calendar_for_government(org.gov)
    assert cal.working_days_between(original, resumed.deadline) == 2


def test_reporter_reply_resumes_and_has_no_actor(org, drive):
    c = drive("waiting")
    services.complaint_reporter_reply(complaint=c, user=org.reporter, body="Di depan SD 2")
    assert Complaint.objects.get(pk=c.pk).state == "in_progress"
    step = WorkflowEvent.objects.get(subject_id=str(c.pk), transition="reporter_replies")
    assert step.actor_id is None and step.actor_role == "reporter"
    assert Notification.objects.filter(
        recipient=org.handler, kind="complaint.reporter_replied"
    ).exists()


def test_escalation_goes_to_supervisor_then_coordinator(org, submit):
    c = submit(category=org.trash, now=wib(2026, 7, 6, 9))
    services.complaint_verify(complaint=c, actor=org.coordinator)
    from loket.complaints.states import COMPLAINT
    from loket.core.permissions import officer_scope
    from loket.workflow.services import apply_transition

    c._clock_at = wib(2026, 7, 6, 10)
    apply_transition(
        workflow=COMPLAINT,
        subject=c,
        name="dispatch",
        actor=org.coordinator,
        scope=officer_scope(org.coordinator),
        extra={"agency": org.pupr},
        now=wib(2026, 7, 6, 10),
    )
    # follow_up: 5 working days → end of Mon 13 July
    sweep_sla(now=wib(2026, 7, 14, 9))
    kind = "workflow.sla_escalation"
    assert Notification.objects.filter(recipient=org.supervisor, kind=kind).count() == 1
    assert not Notification.objects.filter(recipient=org.coordinator, kind=kind).exists()
    sweep_sla(now=wib(2026, 7, 15, 23, 59, 59, 999999) + timedelta(seconds=1))
    assert Notification.objects.filter(recipient=org.coordinator, kind=kind).count() == 1
    levels = list(
        AuditEvent.objects.filter(action="workflow.sla_escalated", object_id=str(c.pk)).values_list(
            "payload__level", "payload__role"
        )
    )
    assert levels == [(1, "supervisor"), (2, "coordinator")]


def test_triage_breach_goes_to_the_coordinator(org, submit):
    submit(now=wib(2026, 7, 6, 9))
    sweep_sla(now=wib(2026, 7, 10, 9))
    assert (
        Notification.objects.filter(
            recipient=org.coordinator, kind="workflow.sla_escalation"
        ).count()
        == 1
    )
    assert not Notification.objects.filter(recipient=org.supervisor).exists()
