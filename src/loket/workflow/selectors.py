"""Reads of the workflow engine: timelines, timers and the SLA queues (overdue, at risk).

The queue selectors take the subjects a caller may already see (a queryset scoped by
government and agency) and return the same queryset narrowed to subjects with a matching
running clock: one query, whatever the number of rows, answered from the partial indexes on
running timers (see SlaTimer.Meta).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Max, Min, OuterRef, Subquery
from django.db.models.functions import Cast

from loket.workflow.models import (
    AT_RISK_FIELD,
    DEADLINE_FIELD,
    SlaTimer,
    WorkflowEvent,
    keeps_clock_columns,
)


def timeline(subject: models.Model, *, public_only: bool) -> models.QuerySet[WorkflowEvent]:
    """The steps of ``subject`` in order. ``public_only`` keeps the public steps (show their
    ``public_note``, never ``note``); officers get every step with internal notes."""
    ct = ContentType.objects.get_for_model(type(subject))
    events = WorkflowEvent.objects.filter(subject_type=ct, subject_id=str(subject.pk))
    events = events.filter(is_public=True) if public_only else events.select_related("actor")
    return events.order_by("created_at", "id")


def timers_for(subject: models.Model, *, running_only: bool = False) -> models.QuerySet[SlaTimer]:
    """Every clock of ``subject`` (history included unless ``running_only``), oldest first."""
    ct = ContentType.objects.get_for_model(type(subject))
    timers = SlaTimer.objects.filter(subject_type=ct, subject_id=str(subject.pk))
    if running_only:
        timers = timers.filter(stopped_at__isnull=True)
    return timers.order_by("started_at", "id")


def _as_queryset(subjects: Any) -> models.QuerySet[Any]:
    if isinstance(subjects, models.QuerySet):
        return subjects
    if isinstance(subjects, ContentType):
        model = subjects.model_class()
        if model is None:
            raise ValueError("the content type has no model")
        return model._default_manager.all()
    if isinstance(subjects, type) and issubclass(subjects, models.Model):
        return subjects._default_manager.all()
    raise TypeError("expected a queryset, a model class or a content type")


def _running_timers(queryset: models.QuerySet[Any], stage: str | None) -> models.QuerySet[SlaTimer]:
    ct = ContentType.objects.get_for_model(queryset.model)
    timers = SlaTimer.objects.filter(subject_type=ct, stopped_at__isnull=True)
    if stage is not None:
        timers = timers.filter(stage=stage)
    return timers


def _subject_ids(queryset: models.QuerySet[Any], timers: models.QuerySet[SlaTimer]) -> Any:
    # subject_id is text; compare it as the subject's own key type so the subject side can
    # use its primary key.
    pk_field = queryset.model._meta.pk
    assert pk_field is not None
    target = pk_field.target_field if pk_field.is_relation else pk_field
    return timers.annotate(subject_key=Cast("subject_id", output_field=target.__class__())).values(
        "subject_key"
    )


def overdue_timers(
    *, now: datetime, stage: str | None = None, subject_type: ContentType | None = None
) -> models.QuerySet[SlaTimer]:
    """Running, not paused clocks whose deadline has passed (breached or not yet swept)."""
    timers = SlaTimer.objects.filter(stopped_at__isnull=True, deadline__lt=now)
    if stage is not None:
        timers = timers.filter(stage=stage)
    if subject_type is not None:
        timers = timers.filter(subject_type=subject_type)
    return timers.order_by("deadline", "id")


def at_risk_timers(
    *, now: datetime, stage: str | None = None, subject_type: ContentType | None = None
) -> models.QuerySet[SlaTimer]:
    """Running, not paused, not breached clocks with at most one working day left
    (``SlaClock.at_risk(now, threshold=AT_RISK_WORKING_DAYS)``)."""
    timers = SlaTimer.objects.filter(
        stopped_at__isnull=True,
        breached_at__isnull=True,
        at_risk_at__lte=now,
        deadline__gte=now,
    )
    if stage is not None:
        timers = timers.filter(stage=stage)
    if subject_type is not None:
        timers = timers.filter(subject_type=subject_type)
    return timers.order_by("deadline", "id")


def overdue(subjects: Any, *, now: datetime, stage: str | None = None) -> models.QuerySet[Any]:
    """The subjects (a queryset, a model or a content type) with a running clock past its
    deadline. Paused clocks are not overdue: the citizen has the ball."""
    queryset = _as_queryset(subjects)
    if stage is None and keeps_clock_columns(queryset.model):
        # The earliest running deadline is past exactly when some running clock's is.
        return queryset.filter(**{f"{DEADLINE_FIELD}__lt": now})
    timers = _running_timers(queryset, stage).filter(deadline__lt=now)
    return queryset.filter(pk__in=_subject_ids(queryset, timers))


def at_risk(subjects: Any, *, now: datetime, stage: str | None = None) -> models.QuerySet[Any]:
    """The subjects with a running clock that has at most one working day left and has not
    yet passed its deadline."""
    queryset = _as_queryset(subjects)
    if stage is None and keeps_clock_columns(queryset.model):
        # Not yet overdue (earliest deadline ahead) and some running clock at risk. A subject
        # that is already overdue is in the overdue queue instead.
        return queryset.filter(**{f"{DEADLINE_FIELD}__gte": now, f"{AT_RISK_FIELD}__lte": now})
    timers = _running_timers(queryset, stage).filter(
        breached_at__isnull=True, at_risk_at__lte=now, deadline__gte=now
    )
    return queryset.filter(pk__in=_subject_ids(queryset, timers))


def with_deadline(subjects: Any, *, stage: str | None = None) -> models.QuerySet[Any]:
    """Annotate ``sla_deadline`` (earliest deadline of a running, not paused clock; null when
    none) and ``sla_escalation_level`` (highest level reached by a running clock) so queues
    can sort by urgency in the same query. Subjects that keep these as columns of their own
    (see :func:`loket.workflow.models.keeps_clock_columns`) are returned as they are."""
    queryset = _as_queryset(subjects)
    if stage is None and keeps_clock_columns(queryset.model):
        return queryset
    ct = ContentType.objects.get_for_model(queryset.model)
    timers = SlaTimer.objects.filter(
        subject_type=ct,
        stopped_at__isnull=True,
        subject_id=Cast(OuterRef("pk"), output_field=models.CharField()),
    )
    if stage is not None:
        timers = timers.filter(stage=stage)
    return queryset.annotate(
        sla_deadline=Subquery(
            timers.filter(deadline__isnull=False)
            .values("subject_id")
            .annotate(earliest=Min("deadline"))
            .values("earliest")[:1]
        ),
        sla_escalation_level=Subquery(
            timers.values("subject_id").annotate(top=Max("escalation_level")).values("top")[:1]
        ),
    )
