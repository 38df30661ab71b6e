"""Writes of the workflow engine: transitions, SLA timers and the SLA sweep.

Every write runs in one transaction: change → WorkflowEvent / SlaTimer rows → ``log_action``
→ notifications (which enqueue their delivery tasks in the same transaction).

Personal data: a transition's note is free text an officer or citizen typed and may name
people; it is stored on the WorkflowEvent (shown only through the module's access rules) and
never copied into the audit trail, which records its length and the event id instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.audit import log_action
from loket.core.calendar import WorkingCalendar, calendar_for_government
from loket.core.permissions import GOVERNMENT_WIDE_ROLES, ROLE_CAPABILITIES, OfficerScope
from loket.core.rows import insert
from loket.organizations.models import Government
from loket.workflow.errors import IllegalTransition, NotPermitted
from loket.workflow.escalation import EscalationPolicy, escalation_policy
from loket.workflow.hooks import run_after_transition
from loket.workflow.models import (
    AT_RISK_FIELD,
    DEADLINE_FIELD,
    LEVEL_FIELD,
    SlaTimer,
    WorkflowEvent,
    keeps_clock_columns,
)
from loket.workflow.scopes import SYSTEM_SCOPE, Scope
from loket.workflow.selectors import timers_for
from loket.workflow.states import ALL, Stage, Transition, Workflow, get_workflow

__all__ = [
    "AT_RISK_WORKING_DAYS",
    "SweepResult",
    "apply_transition",
    "extend_timer",
    "pause_timer",
    "resume_timer",
    "start_timer",
    "stop_timer",
    "sweep_sla",
    "sync_clock_columns",
    "timers_for",
]

logger = logging.getLogger("loket.workflow")

# A running clock is "at risk" once at most this many working days are left (queues, badges).
AT_RISK_WORKING_DAYS = 1
ESCALATION_KIND = "workflow.sla_escalation"
_PROTECTED_FIELDS = frozenset({"state", "id", "pk", "government", "government_id"})


# --- clocks on rows ---------------------------------------------------------------------------
def _subject_ref(subject: models.Model) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(type(subject)), str(subject.pk)


def _government_of(subject: Any) -> Government:
    government = getattr(subject, "government", None)
    if isinstance(government, Government):
        return government
    return Government.objects.get(pk=subject.government_id)


def at_risk_from(calendar: WorkingCalendar, deadline: datetime, threshold: int) -> datetime:
    """The first instant at which a clock ending at ``deadline`` has at most ``threshold``
    working days left, i.e. ``SlaClock.remaining_working_days(now) <= threshold``: the local
    start of the ``threshold``-th working day before the last working day of the budget."""
    last = calendar.local_date(deadline)
    span = 14 * (threshold + 1)
    while True:
        days = calendar.working_days_in(last - timedelta(days=span), last)
        if len(days) > threshold:
            day: date = days[-(threshold + 1)]
            return datetime.combine(day, time.min, tzinfo=calendar.tz)
        span *= 2


def _refresh(timer: SlaTimer, calendar: WorkingCalendar) -> None:
    """Recompute the denormalised columns from the stored clock."""
    clock = timer.clock(calendar)
    deadline = clock.deadline()
    timer.deadline = deadline
    timer.paused_at = clock.pauses[-1].paused_at if clock.is_paused else None
    timer.at_risk_at = (
        at_risk_from(calendar, deadline, AT_RISK_WORKING_DAYS) if deadline is not None else None
    )


def _sync_subject_clock(
    ct: ContentType,
    subject_id: str,
    running: Iterable[SlaTimer] | None = None,
    subject: Any = None,
) -> None:
    """Copy the subject's running clocks into its own columns (when it has them). ``running``:
    the subject's running timers when the caller already holds them (saves a query);
    ``subject``: the caller's instance, whose attributes are kept equal to the row."""
    model = ct.model_class()
    if model is None or not keeps_clock_columns(model):
        return
    rows: Iterable[tuple[datetime | None, datetime | None, int]]
    if running is None:
        rows = SlaTimer.objects.filter(
            subject_type=ct, subject_id=subject_id, stopped_at__isnull=True
        ).values_list("deadline", "at_risk_at", "escalation_level")
    else:
        rows = [(t.deadline, t.at_risk_at, t.escalation_level) for t in running]
    deadlines, at_risk, levels = [], [], [0]
    for deadline, risky_from, level in rows:
        if deadline is not None:
            deadlines.append(deadline)
        if risky_from is not None:
            at_risk.append(risky_from)
        levels.append(level)
    columns = {
        DEADLINE_FIELD: min(deadlines, default=None),
        AT_RISK_FIELD: min(at_risk, default=None),
        LEVEL_FIELD: max(levels),
    }
    model._default_manager.filter(pk=subject_id).update(**columns)
    if isinstance(subject, model):
        for name, value in columns.items():
            setattr(subject, name, value)


def first_clock_columns(
    *, government: Government, budget_working_days: int, at: datetime
) -> dict[str, Any]:
    """The clock columns of a subject about to be created whose first clock starts at ``at``
    with this budget: pass them to its ``create`` and start the clock with
    ``start_timer(..., new_subject=True)``, and the subject is written once."""
    timer = SlaTimer(started_at=at, budget_working_days=budget_working_days, pauses=[])
    _refresh(timer, calendar_for_government(government))
    return {DEADLINE_FIELD: timer.deadline, AT_RISK_FIELD: timer.at_risk_at, LEVEL_FIELD: 0}


def _columns_hold(subject: Any, timer: SlaTimer) -> bool:
    """Whether a new subject's clock columns already hold its only clock."""
    if not keeps_clock_columns(type(subject)):
        return True
    return (
        getattr(subject, DEADLINE_FIELD) == timer.deadline
        and getattr(subject, AT_RISK_FIELD) == timer.at_risk_at
        and getattr(subject, LEVEL_FIELD) == timer.escalation_level
    )


def sync_clock_columns(subject: models.Model) -> None:
    """Recompute ``subject``'s clock columns from its running timers. The engine does this on
    every clock change; this is for repairs after timers were changed by hand."""
    _sync_subject_clock(*_subject_ref(subject), subject=subject)


def _running(ct: ContentType, subject_id: str, stage: str) -> list[SlaTimer]:
    timers = SlaTimer.objects.select_for_update().filter(
        subject_type=ct, subject_id=subject_id, stopped_at__isnull=True
    )
    if stage != ALL:
        timers = timers.filter(stage=stage)
    return list(timers.order_by("id"))


def _start(
    *,
    ct: ContentType,
    subject_id: str,
    government: Government,
    calendar: WorkingCalendar,
    workflow: str,
    stage: str,
    budget: int,
    at: datetime,
    new_subject: bool = False,
) -> tuple[SlaTimer, list[SlaTimer]]:
    """Start a clock; returns it and every clock of the subject still running (it included).
    ``new_subject``: the subject was created in this transaction and has no clocks yet."""
    others = []
    for running in [] if new_subject else _running(ct, subject_id, ALL):
        if running.stage == stage:  # a running stage restarts
            running.stopped_at = at
            running.next_escalation_at = None
            running.save(update_fields=["stopped_at", "next_escalation_at"])
        else:
            others.append(running)
    timer = SlaTimer(
        subject_type=ct,
        subject_id=subject_id,
        government=government,
        workflow=workflow,
        stage=stage,
        started_at=at,
        budget_working_days=budget,
        pauses=[],
    )
    _refresh(timer, calendar)
    insert(timer)
    return timer, [*others, timer]


def _stop(*, ct: ContentType, subject_id: str, stage: str, at: datetime) -> list[SlaTimer]:
    timers = _running(ct, subject_id, stage)
    for timer in timers:
        timer.stopped_at = at
        timer.next_escalation_at = None
        timer.save(update_fields=["stopped_at", "next_escalation_at"])
    return timers


def _set_paused(
    *,
    ct: ContentType,
    subject_id: str,
    stage: str,
    at: datetime,
    calendar: WorkingCalendar,
    paused: bool,
) -> list[SlaTimer]:
    """Pause (``paused``) or resume the running clocks of ``stage``; clocks already so are left
    alone. Returns the clocks that changed."""
    changed = []
    for timer in _running(ct, subject_id, stage):
        if (timer.paused_at is not None) == paused:
            continue
        clock = timer.clock(calendar)
        timer.pauses = (clock.pause(at=at) if paused else clock.resume(at=at)).to_json()["pauses"]
        _refresh(timer, calendar)
        timer.save(update_fields=["pauses", "deadline", "paused_at", "at_risk_at"])
        changed.append(timer)
    return changed


def _extend(
    *, ct: ContentType, subject_id: str, stage: str, days: int, calendar: WorkingCalendar
) -> list[SlaTimer]:
    timers = _running(ct, subject_id, stage)
    for timer in timers:
        timer.budget_working_days += days
        _refresh(timer, calendar)
        timer.save(update_fields=["budget_working_days", "deadline", "paused_at", "at_risk_at"])
    return timers


def _budget(workflow: Workflow, stage: Stage, subject: Any, government: Government) -> int:
    """The stage's budget: ``days(subject)`` when the stage computes it (e.g. per category),
    else the government's override ``settings["sla"]["<workflow>.<stage>"]``, else ``days``."""
    if callable(stage.days):
        days = int(stage.days(subject))
    else:
        days = stage.days
        sla = (government.settings or {}).get("sla")
        override = sla.get(f"{workflow.name}.{stage.code}") if isinstance(sla, dict) else None
        if isinstance(override, int) and not isinstance(override, bool) and override >= 0:
            days = override
    if days < 0:
        raise ValueError(f"negative budget for stage {stage.code!r}")
    return days


def _apply_clock_effects(
    *,
    workflow: Workflow,
    transition: Transition,
    subject: Any,
    ct: ContentType,
    subject_id: str,
    at: datetime,
) -> list[str]:
    """Apply the transition's clock effects; returns a summary for the audit entry."""
    stops = transition.stop
    if workflow.state(transition.target).terminal:
        stops = (ALL,)  # nothing may keep running on a subject that can never move again
    if not (stops or transition.has_clock_effects):
        return []
    government = _government_of(subject)
    calendar = calendar_for_government(government)
    summary: list[str] = []
    common: dict[str, Any] = {"ct": ct, "subject_id": subject_id}
    for code in stops:
        summary += [f"stop {t.stage}" for t in _stop(**common, stage=code, at=at)]
    for verb, codes, paused in (
        ("pause", transition.pause, True),
        ("resume", transition.resume, False),
    ):
        for code in codes:
            summary += [
                f"{verb} {t.stage}"
                for t in _set_paused(**common, stage=code, at=at, calendar=calendar, paused=paused)
            ]
    for code, days in transition.extend:
        summary += [
            f"extend {t.stage} +{days}"
            for t in _extend(**common, stage=code, days=days, calendar=calendar)
        ]
    for code in transition.start:
        stage = workflow.stage(code)
        assert stage is not None  # checked when the table was built
        budget = _budget(workflow, stage, subject, government)
        _start(
            **common,
            government=government,
            calendar=calendar,
            workflow=workflow.name,
            stage=code,
            budget=budget,
            at=at,
        )
        summary.append(f"start {code} {budget}")
    if summary:
        _sync_subject_clock(ct, subject_id, subject=subject)
    return summary


# --- transitions ----------------------------------------------------------------------------
def _actor_role(scope: Scope, capability: str, government_id: int, agency_id: int | None) -> str:
    """The role through which the actor holds ``capability`` here (for timeline and audit)."""
    if isinstance(scope, OfficerScope):
        for grant in scope.grants:
            if (
                capability in ROLE_CAPABILITIES.get(grant.role, frozenset())
                and grant.government_id == government_id
                and (grant.role in GOVERNMENT_WIDE_ROLES or grant.agency_id == agency_id)
            ):
                return str(grant.role)
        return "superuser" if scope.is_superuser else ""
    return str(getattr(scope, "role", ""))


def _extra_fields(subject: models.Model, extra: Mapping[str, Any] | None) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, value in (extra or {}).items():
        if name in _PROTECTED_FIELDS:
            raise ValueError(f"{name!r} cannot be changed through extra")
        try:
            field = subject._meta.get_field(name)
        except FieldDoesNotExist:
            raise ValueError(f"{type(subject).__name__} has no field {name!r}") from None
        if not getattr(field, "concrete", False) or field.many_to_many:
            raise ValueError(f"{name!r} is not a plain column")
        fields[name] = value
    return fields


def _audit_value(value: Any) -> Any:
    # Ids and flags are safe to record; free text might be personal, so only its presence is.
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int):
        return value
    return "(diubah)"


def _illegal_message(workflow: Workflow, transition: Transition, state: str) -> str:
    return _(
        "Tindakan „%(action)s” tidak dapat dilakukan karena statusnya sekarang „%(state)s”."
    ) % {"action": transition.label, "state": workflow.state(state).label}


def apply_transition(
    *,
    workflow: Workflow,
    subject: Any,
    name: str,
    actor: Any,
    scope: Scope,
    note: str = "",
    public: bool = False,
    extra: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> WorkflowEvent:
    """Move ``subject`` (a model instance with ``state``, ``government_id`` and optionally
    ``agency_id``) through transition ``name`` of ``workflow``.

    Checks, in this order: the transition exists (else :class:`IllegalTransition`); the
    actor's ``scope`` holds its capability for the subject's government and agency (else
    :class:`NotPermitted`, shown as 404 — asked before the state so that a forbidden actor
    learns nothing about it); the subject's state is one of its sources (else
    :class:`IllegalTransition`, 409); a note is given when the transition requires one (else
    ``ValidationError``). Then, in one transaction: a compare-and-set ``UPDATE … WHERE pk AND
    state = <old>`` (if another request moved the subject first it matches no row and raises
    :class:`IllegalTransition`: of two officers clicking at once exactly one wins), together
    with the ``extra`` column values (e.g. ``{"agency_id": 7}`` on a dispatch); the
    WorkflowEvent; the clock effects; the audit entry.

    ``public=True`` makes the note a public answer (and the step public). ``now`` defaults to
    the current time. The instance's ``state`` and ``extra`` attributes are updated on success.
    """
    transition = workflow.transition(name)
    if transition is None:
        raise IllegalTransition(_("Tindakan ini tidak dikenal."))
    government_id: int = subject.government_id
    agency_id: int | None = getattr(subject, "agency_id", None)
    if not scope.can(transition.capability, government_id=government_id, agency_id=agency_id):
        raise NotPermitted()
    if isinstance(scope, OfficerScope) and actor is not None and scope.user_id != actor.pk:
        raise ValueError("the scope does not belong to the actor")
    old_state: str = subject.state
    if old_state not in transition.sources:
        raise IllegalTransition(_illegal_message(workflow, transition, old_state))
    note = (note or "").strip()
    if transition.requires_note and not note:
        raise ValidationError({"note": _("Catatan wajib diisi untuk tindakan ini.")})
    fields = _extra_fields(subject, extra)
    at = now or timezone.now()
    role = _actor_role(scope, transition.capability, government_id, agency_id)
    model = type(subject)
    ct, subject_id = _subject_ref(subject)
    with transaction.atomic():
        updated = model._default_manager.filter(pk=subject.pk, state=old_state).update(
            state=transition.target, **fields
        )
        if updated != 1:
            raise IllegalTransition(
                _("Status sudah diubah oleh orang lain. Muat ulang halaman lalu coba lagi.")
            )
        event = WorkflowEvent.objects.create(
            subject_type=ct,
            subject_id=subject_id,
            government_id=government_id,
            workflow=workflow.name,
            transition=transition.name,
            from_state=old_state,
            to_state=transition.target,
            actor=actor,
            actor_role=role,
            note=note,
            is_public=transition.public or public,
            note_is_public=public and bool(note),
            created_at=at,
        )
        clocks = _apply_clock_effects(
            workflow=workflow,
            transition=transition,
            subject=subject,
            ct=ct,
            subject_id=subject_id,
            at=at,
        )
        log_action(
            f"{workflow.name}.{transition.name}",
            actor=actor,
            actor_role=role,
            obj=subject,
            government_id=government_id,
            payload={
                "event_id": event.pk,
                "from": old_state,
                "to": transition.target,
                "note_length": len(note),
                "public": event.is_public,
                "fields": {key: _audit_value(value) for key, value in fields.items()},
                "clocks": clocks,
            },
        )
        previous = {key: getattr(subject, key) for key in ("state", *fields)}
        subject.state = transition.target
        for key, value in fields.items():
            setattr(subject, key, value)
        try:
            run_after_transition(workflow.name, subject, event)
        except BaseException:
            for key, value in previous.items():  # the row rolls back; so does the instance
                setattr(subject, key, value)
            raise
    return event


# --- timers on their own ----------------------------------------------------------------------
def _timer_audit(
    action: str, subject: Any, timers: Iterable[SlaTimer], actor: Any, extra: dict[str, Any]
) -> None:
    ids = [t.pk for t in timers]
    if ids:
        log_action(
            action,
            actor=actor,
            obj=subject,
            government_id=subject.government_id,
            payload={"timers": ids, **extra},
        )


def start_timer(
    *,
    subject: Any,
    stage: str,
    budget_working_days: int,
    workflow: str = "",
    at: datetime | None = None,
    actor: Any = None,
    audit: bool = True,
    new_subject: bool = False,
) -> SlaTimer:
    """Start (or restart) the clock of ``stage`` for ``subject`` with a working-day budget,
    counted with the subject's government calendar from ``at`` (day 0). ``audit=False`` is for
    a caller whose own audit entry records the clock (e.g. a filing's first clock).

    ``new_subject=True``: ``subject`` was created in this transaction and has no clock yet (no
    look for running clocks). When it was created with :func:`first_clock_columns` already
    filled in, its clock columns are not written again."""
    if budget_working_days < 0:
        raise ValueError("the budget must not be negative")
    at = at or timezone.now()
    ct, subject_id = _subject_ref(subject)
    government = _government_of(subject)
    with transaction.atomic(savepoint=False):
        timer, running = _start(
            ct=ct,
            subject_id=subject_id,
            government=government,
            calendar=calendar_for_government(government),
            workflow=workflow,
            stage=stage,
            budget=budget_working_days,
            at=at,
            new_subject=new_subject,
        )
        if not (new_subject and _columns_hold(subject, timer)):
            _sync_subject_clock(ct, subject_id, running, subject=subject)
        if audit:
            _timer_audit(
                "workflow.timer_start",
                subject,
                [timer],
                actor,
                {"stage": stage, "budget": budget_working_days},
            )
    return timer


def _pause_or_resume(
    subject: Any, stage: str, at: datetime | None, actor: Any, *, paused: bool
) -> list[SlaTimer]:
    at = at or timezone.now()
    ct, subject_id = _subject_ref(subject)
    calendar = calendar_for_government(_government_of(subject))
    with transaction.atomic(savepoint=False):
        timers = _set_paused(
            ct=ct, subject_id=subject_id, stage=stage, at=at, calendar=calendar, paused=paused
        )
        if timers:
            _sync_subject_clock(ct, subject_id, subject=subject)
        action = "workflow.timer_pause" if paused else "workflow.timer_resume"
        _timer_audit(action, subject, timers, actor, {"stage": stage})
    return timers


def pause_timer(
    *, subject: Any, stage: str, at: datetime | None = None, actor: Any = None
) -> list[SlaTimer]:
    """Pause the running clock of ``stage`` (or every clock with ``ALL``); paused time does not
    count. Clocks already paused are left alone. Returns the clocks that paused."""
    return _pause_or_resume(subject, stage, at, actor, paused=True)


def resume_timer(
    *, subject: Any, stage: str, at: datetime | None = None, actor: Any = None
) -> list[SlaTimer]:
    """Resume paused clocks of ``stage`` (or ``ALL``); their deadlines move by the working
    days paused. Returns the clocks that resumed."""
    return _pause_or_resume(subject, stage, at, actor, paused=False)


def stop_timer(
    *, subject: Any, stage: str, at: datetime | None = None, actor: Any = None
) -> list[SlaTimer]:
    """Stop the running clock of ``stage`` (or ``ALL``) for good; the row stays as history."""
    at = at or timezone.now()
    ct, subject_id = _subject_ref(subject)
    with transaction.atomic(savepoint=False):
        timers = _stop(ct=ct, subject_id=subject_id, stage=stage, at=at)
        if timers:
            _sync_subject_clock(ct, subject_id, subject=subject)
        _timer_audit("workflow.timer_stop", subject, timers, actor, {"stage": stage})
    return timers


def extend_timer(*, subject: Any, stage: str, days: int, actor: Any = None) -> list[SlaTimer]:
    """Add ``days`` working days to the running clock of ``stage``."""
    if days <= 0:
        raise ValueError("an extension must be at least one working day")
    ct, subject_id = _subject_ref(subject)
    calendar = calendar_for_government(_government_of(subject))
    with transaction.atomic(savepoint=False):
        timers = _extend(ct=ct, subject_id=subject_id, stage=stage, days=days, calendar=calendar)
        if timers:
            _sync_subject_clock(ct, subject_id, subject=subject)
        _timer_audit(
            "workflow.timer_extend", subject, timers, actor, {"stage": stage, "days": days}
        )
    return timers


# --- the SLA sweep ----------------------------------------------------------------------------
@dataclass
class SweepResult:
    breached: int = 0
    escalated: int = 0
    expired: int = 0


class _SweepContext:
    """Per-sweep caches: governments and their calendars."""

    def __init__(self) -> None:
        self.governments: dict[int, Government] = {}
        self.calendars: dict[int, WorkingCalendar] = {}

    def calendar(self, government_id: int) -> tuple[Government, WorkingCalendar]:
        if government_id not in self.governments:
            government = Government.objects.get(pk=government_id)
            self.governments[government_id] = government
            self.calendars[government_id] = calendar_for_government(government)
        return self.governments[government_id], self.calendars[government_id]


def _load_subject(timer: SlaTimer) -> Any:
    model = ContentType.objects.get_for_id(timer.subject_type_id).model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=timer.subject_id).first()


def _stage_of(timer: SlaTimer) -> Stage | None:
    workflow = get_workflow(timer.workflow) if timer.workflow else None
    return workflow.stage(timer.stage) if workflow else None


def _escalate(
    timer: SlaTimer,
    subject: Any,
    now: datetime,
    policy: EscalationPolicy | None,
    calendar: WorkingCalendar,
) -> bool:
    """Raise ``timer`` one escalation level and tell that level's recipients. Returns False
    (and schedules nothing more) when the policy has no further level."""
    from loket.notifications.services import notify

    level = timer.escalation_level + 1
    escalation = policy.handler(subject, timer, level) if policy is not None else None
    if policy is None or escalation is None:
        timer.next_escalation_at = None
        return False
    stage = _stage_of(timer)
    deadline = timer.deadline.astimezone(calendar.tz).date() if timer.deadline else None
    context = {
        "reference": escalation.reference,
        "stage": stage.label if stage else timer.stage,  # lazy: in the recipient's language
        "level": level,
        "deadline": deadline.strftime("%d-%m-%Y") if deadline else "",
    }
    for recipient in escalation.recipients:
        notify(recipient=recipient, kind=ESCALATION_KIND, context=context, url=escalation.url)
    timer.escalation_level = level
    timer.last_escalated_at = now
    timer.next_escalation_at = calendar.add_working_days(now, policy.interval_working_days)
    log_action(
        "workflow.sla_escalated",
        object_type=_label(timer),
        object_id=timer.subject_id,
        government_id=timer.government_id,
        actor_role="system",
        payload={
            "timer_id": timer.pk,
            "stage": timer.stage,
            "level": level,
            "role": escalation.role,
            "recipient_ids": [r.pk for r in escalation.recipients],
        },
    )
    return True


def _sync_timer_subject(timer: SlaTimer) -> None:
    _sync_subject_clock(ContentType.objects.get_for_id(timer.subject_type_id), timer.subject_id)


def _label(timer: SlaTimer) -> str:
    ct = ContentType.objects.get_for_id(timer.subject_type_id)
    return f"{ct.app_label}.{ct.model}"


def _expire(timer: SlaTimer, stage: Stage, now: datetime) -> bool:
    """Apply the stage's ``on_expiry`` transition as the system (e.g. auto-close)."""
    workflow = get_workflow(timer.workflow)
    subject = _load_subject(timer)
    assert workflow is not None
    moved = False
    with transaction.atomic():
        if subject is not None:
            try:
                apply_transition(
                    workflow=workflow,
                    subject=subject,
                    name=stage.on_expiry,
                    actor=None,
                    scope=SYSTEM_SCOPE,
                    now=now,
                )
                moved = True
            except (IllegalTransition, NotPermitted):
                logger.info(
                    "SLA sweep: %s of %s:%s expired but %s no longer applies",
                    timer.stage,
                    _label(timer),
                    timer.subject_id,
                    stage.on_expiry,
                )
        # Whatever happened, this clock has done its job; never try it again.
        SlaTimer.objects.filter(pk=timer.pk, stopped_at__isnull=True).update(
            stopped_at=now, next_escalation_at=None
        )
        _sync_timer_subject(timer)
    return moved


def _breach(timer_id: int, now: datetime, ctx: _SweepContext) -> tuple[bool, bool]:
    """Mark one timer breached and escalate it to level 1. Returns (breached, escalated)."""
    with transaction.atomic():
        timer = (
            SlaTimer.objects.select_for_update(skip_locked=True)
            .filter(
                pk=timer_id,
                stopped_at__isnull=True,
                breached_at__isnull=True,
                deadline__lt=now,
            )
            .first()
        )
        if timer is None:
            return False, False  # done by another worker, or changed since
        _, calendar = ctx.calendar(timer.government_id)
        subject = _load_subject(timer)
        timer.breached_at = now
        escalated = False
        if subject is None:
            timer.stopped_at = now  # the subject is gone: nothing left to escalate
        else:
            escalated = _escalate(timer, subject, now, _policy_for(timer), calendar)
        timer.save(
            update_fields=[
                "breached_at",
                "stopped_at",
                "escalation_level",
                "last_escalated_at",
                "next_escalation_at",
            ]
        )
        _sync_timer_subject(timer)
        log_action(
            "workflow.sla_breached",
            object_type=_label(timer),
            object_id=timer.subject_id,
            government_id=timer.government_id,
            actor_role="system",
            payload={
                "timer_id": timer.pk,
                "stage": timer.stage,
                "deadline": timer.deadline.isoformat() if timer.deadline else None,
            },
        )
    return True, escalated


def _escalate_again(timer_id: int, now: datetime, ctx: _SweepContext) -> bool:
    with transaction.atomic():
        timer = (
            SlaTimer.objects.select_for_update(skip_locked=True)
            .filter(
                pk=timer_id,
                stopped_at__isnull=True,
                paused_at__isnull=True,
                next_escalation_at__lte=now,
            )
            .first()
        )
        if timer is None:
            return False
        _, calendar = ctx.calendar(timer.government_id)
        subject = _load_subject(timer)
        escalated = False
        if subject is None:
            timer.stopped_at = now
            timer.next_escalation_at = None
        else:
            escalated = _escalate(timer, subject, now, _policy_for(timer), calendar)
        timer.save(
            update_fields=[
                "stopped_at",
                "escalation_level",
                "last_escalated_at",
                "next_escalation_at",
            ]
        )
        _sync_timer_subject(timer)
    return escalated


def _policy_for(timer: SlaTimer) -> EscalationPolicy | None:
    return escalation_policy(_label(timer))


def _keyset(
    queryset: models.QuerySet[SlaTimer], field: str, batch_size: int
) -> Iterable[list[tuple[int, Any, str, str]]]:
    """Pages of (id, ``field``, workflow, stage) ordered by (``field``, id), each page read
    after the previous one was handled, so rows handled (or skipped) are never read twice."""
    last: tuple[Any, int] | None = None
    while True:
        page = queryset
        if last is not None:
            page = page.filter(
                models.Q(**{f"{field}__gt": last[0]})
                | models.Q(**{field: last[0], "id__gt": last[1]})
            )
        rows = list(
            page.order_by(field, "id").values_list("id", field, "workflow", "stage")[:batch_size]
        )
        if rows:
            yield rows
        if len(rows) < batch_size:
            return
        last = (rows[-1][1], rows[-1][0])


def sweep_sla(now: datetime | None = None, *, batch_size: int = 500) -> SweepResult:
    """Find running clocks whose deadline has passed and act on each one once.

    * A clock whose stage has ``on_expiry`` (a deadline for the citizen) applies that
      transition as the system and stops.
    * Any other clock is marked ``breached_at`` and escalated to level 1 by the policy
      registered for its subject type; further levels follow every
      ``interval_working_days`` working days while it keeps running (not while paused) until
      the policy has no more levels.

    Idempotent, and safe with several workers at once: each clock is handled in its own short
    transaction that re-reads it with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite
    serialises writers with IMMEDIATE transactions) and re-checks the condition, so a clock is
    breached and escalated to a level exactly once. Expiry transitions rely on the
    transition's own compare-and-set instead.
    """
    now = now or timezone.now()
    result = SweepResult()
    ctx = _SweepContext()
    due = SlaTimer.objects.filter(
        stopped_at__isnull=True, breached_at__isnull=True, deadline__lt=now
    )
    for rows in _keyset(due, "deadline", batch_size):
        for timer_id, _deadline, workflow_name, stage_code in rows:
            workflow = get_workflow(workflow_name) if workflow_name else None
            stage = workflow.stage(stage_code) if workflow else None
            if stage is not None and stage.on_expiry:
                timer = SlaTimer.objects.filter(pk=timer_id, stopped_at__isnull=True).first()
                if timer is not None and _expire(timer, stage, now):
                    result.expired += 1
                continue
            breached, escalated = _breach(timer_id, now, ctx)
            result.breached += int(breached)
            result.escalated += int(escalated)
    escalations = SlaTimer.objects.filter(
        stopped_at__isnull=True, paused_at__isnull=True, next_escalation_at__lte=now
    )
    for rows in _keyset(escalations, "next_escalation_at", batch_size):
        for timer_id, *_rest in rows:
            result.escalated += int(_escalate_again(timer_id, now, ctx))
    if result.breached or result.escalated or result.expired:
        logger.info(
            "SLA sweep: %d breached, %d escalated, %d expired",
            result.breached,
            result.escalated,
            result.expired,
        )
    return result
