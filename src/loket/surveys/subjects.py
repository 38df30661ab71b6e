"""What a survey invitation can be about: a registry from subject type to its service.

Each module that invites respondents registers a resolver for its subject type; the resolver
returns the service (with its agency and government) when the subject exists and may be rated,
else None. Completed applications are known here already; the complaints module registers
``"complaint"`` (a closed complaint) from its own ``AppConfig.ready``:

    register_survey_subject("complaint", resolver)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from loket.catalog.models import Service


@dataclass(frozen=True)
class SurveySubject:
    """The service a respondent rates, and a reference to show them (e.g. a tracking number)."""

    service: Service
    reference: str = ""


Resolver = Callable[[int], SurveySubject | None]

_RESOLVERS: dict[str, Resolver] = {}


def register_survey_subject(subject_type: str, resolver: Resolver) -> None:
    """Let invitations for ``subject_type`` be answered; ``resolver(id)`` finds the service."""
    _RESOLVERS[subject_type] = resolver


def resolve_subject(subject_type: str, subject_id: int) -> SurveySubject | None:
    """The service behind a subject, or None when unknown, missing or not (yet) rateable."""
    resolver = _RESOLVERS.get(subject_type)
    return resolver(subject_id) if resolver is not None else None


def _completed_application(subject_id: int) -> SurveySubject | None:
    from loket.applications.models import Application

    application = (
        Application.objects.select_related("service__agency", "service__government")
        .filter(pk=subject_id, state="issued")
        .first()
    )
    if application is None:
        return None
    return SurveySubject(
        service=application.service, reference=str(application.tracking_number or "")
    )


register_survey_subject("application", _completed_application)
