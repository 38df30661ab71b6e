"""Reads of the applications module: definitions, the citizen's applications, officer queues.

Lists are built with a fixed number of queries whatever the number of rows (select_related,
annotations from the workflow selectors); a missing and a forbidden application look the same
(None → 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from loket.accounts.models import User
from loket.applications.models import (
    Application,
    ApplicationDocument,
    FormDefinition,
    WorkflowDefinition,
)
from loket.catalog.models import Channel, Service
from loket.core.permissions import APPLICATION_COUNTER, APPLICATION_PROCESS, OfficerScope
from loket.workflow.models import SlaTimer
from loket.workflow.selectors import at_risk, overdue, timers_for, with_deadline

OPEN_STATES = ("processing", "approved")
QUEUE_TABS = ("act", "mine", "at_risk", "overdue", "revision", "all")


def current_form(*, service: Service) -> FormDefinition | None:
    """The newest form version of the service."""
    return FormDefinition.objects.filter(service=service).order_by("-number").first()


def current_workflow(*, service: Service) -> WorkflowDefinition | None:
    """The newest workflow version of the service."""
    return WorkflowDefinition.objects.filter(service=service).order_by("-number").first()


def online_service(*, service_id: int) -> Service | None:
    """A published online service of an active government and agency, or None."""
    return (
        Service.objects.filter(
            pk=service_id,
            is_published=True,
            channel__in=[Channel.ONLINE, Channel.BOTH],
            government__is_active=True,
            agency__is_active=True,
        )
        .select_related("government", "agency", "current_version")
        .first()
    )


def applications_for_citizen(*, user: User) -> QuerySet[Application]:
    """The citizen's own applications, newest first."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("service", "government", "agency", "workflow_definition")
        .order_by("-created_at", "-id")
    )


def application_for_citizen(*, user: User, pk: int) -> Application | None:
    """One of the citizen's own applications, or None."""
    return (
        applications_for_citizen(user=user)
        .select_related("form", "applicant")
        .filter(pk=pk)
        .first()
    )


def _office_filter(scope: OfficerScope) -> Q | None:
    """Applications the officer may see in the back office (None: all)."""
    if scope.is_superuser:
        return None
    conditions = [
        Q(agency_id__in=scope.agency_ids_for(APPLICATION_PROCESS))
        | Q(government_id__in=scope.government_ids_for(APPLICATION_PROCESS))
    ]
    if scope.user_id is not None:
        conditions.append(Q(filed_by_id=scope.user_id))
    return reduce(or_, conditions)


def _acting_filter(scope: OfficerScope) -> Q | None:
    """Open applications at a step whose role the officer holds in that agency."""
    if scope.is_superuser:
        return Q(state__in=OPEN_STATES)
    pairs = [(g.agency_id, g.role) for g in scope.grants]
    acting = [
        Q(agency_id=agency_id, current_role=role)
        for agency_id, role in pairs
        if scope.can(APPLICATION_PROCESS, government_id=_gov(scope, agency_id), agency_id=agency_id)
    ]
    if not acting:
        return None
    return Q(state__in=OPEN_STATES) & reduce(or_, acting)


def _gov(scope: OfficerScope, agency_id: int) -> int:
    for grant in scope.grants:
        if grant.agency_id == agency_id:
            return grant.government_id
    return -1


def office_queue(
    *, scope: OfficerScope, tab: str, now: datetime, user_id: int | None = None
) -> QuerySet[Application]:
    """An officer's queue. ``act``: at a step of their role; ``mine``: assigned to them;
    ``at_risk`` / ``overdue``: ``act`` narrowed by the step clock; ``revision``: waiting for
    citizens; ``all``: everything they may see. Sorted by the step deadline."""
    base = Application.objects.exclude(state="draft")
    visible = _office_filter(scope)
    if visible is not None:
        base = base.filter(visible)
    if tab in ("act", "mine", "at_risk", "overdue"):
        acting = _acting_filter(scope)
        if acting is None:
            return Application.objects.none()
        base = base.filter(acting)
        if tab == "mine":
            base = base.filter(assigned_to_id=user_id)
        elif tab == "at_risk":
            base = at_risk(base, now=now, stage="step")
        elif tab == "overdue":
            base = overdue(base, now=now, stage="step")
    elif tab == "revision":
        base = base.filter(state="revision")
    qs = with_deadline(base, stage="step")
    return qs.select_related(
        "service", "agency", "applicant", "assigned_to", "workflow_definition"
    ).order_by("sla_deadline", "submitted_at", "id")


def application_for_office(*, scope: OfficerScope, pk: int) -> Application | None:
    """One application the officer may see, or None."""
    qs = Application.objects.exclude(state="draft", filed_by__isnull=True).filter(pk=pk)
    visible = _office_filter(scope)
    if visible is not None:
        qs = qs.filter(visible)
    return qs.select_related(
        "service",
        "agency",
        "government",
        "applicant",
        "assigned_to",
        "form",
        "workflow_definition",
        "filed_by",
    ).first()


def counter_services(*, scope: OfficerScope) -> QuerySet[Service]:
    """Online services with a form and workflow that the counter officer may file for."""
    qs = Service.objects.filter(
        is_published=True,
        channel__in=[Channel.ONLINE, Channel.BOTH],
        form_definitions__isnull=False,
        workflow_definitions__isnull=False,
    ).distinct()
    if not scope.is_superuser:
        qs = qs.filter(
            Q(agency_id__in=scope.agency_ids_for(APPLICATION_COUNTER))
            | Q(government_id__in=scope.government_ids_for(APPLICATION_COUNTER))
        )
    return qs.select_related("agency", "government").order_by("agency__name", "name")


def current_documents(*, application: Application) -> dict[str, ApplicationDocument]:
    """The application's current documents by code."""
    return {
        d.code: d
        for d in ApplicationDocument.objects.filter(application=application, is_current=True)
        .select_related("file")
        .order_by("code")
    }


@dataclass(frozen=True)
class Deadlines:
    step: SlaTimer | None
    overall: SlaTimer | None


def deadlines(*, application: Application) -> Deadlines:
    """The running step and overall clocks (a paused clock has no deadline)."""
    running = {t.stage: t for t in timers_for(application, running_only=True)}
    return Deadlines(step=running.get("step"), overall=running.get("overall"))


def assignable_officers(*, application: Application) -> QuerySet[User]:
    """Active officers holding the current step's role in the application's agency."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__agency_id=application.agency_id,
            memberships__role=application.current_role,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def definition_services(*, scope: OfficerScope) -> QuerySet[Service]:
    """Online services whose form and workflow the officer may edit (catalogue editors)."""
    from loket.catalog.selectors import services_for_officer

    return services_for_officer(scope=scope).filter(channel__in=[Channel.ONLINE, Channel.BOTH])


def step_label(application: Application) -> dict[str, Any]:
    """The current step as a dict: name, role, days, number (1-based) and total."""
    workflow = application.workflow_definition
    step = dict(workflow.step(application.step_index))
    step["number"] = application.step_index + 1
    step["total"] = workflow.step_count
    return step


def events(*, application: Application, public_only: bool) -> list[Any]:
    """The timeline with each step's label (``event.label``) for templates."""
    from loket.applications.states import APPLICATION
    from loket.workflow.selectors import timeline

    out = []
    for event in timeline(application, public_only=public_only):
        transition = APPLICATION.transition(event.transition)
        event.label = str(transition.label) if transition else event.transition  # type: ignore[attr-defined]
        out.append(event)
    return out
