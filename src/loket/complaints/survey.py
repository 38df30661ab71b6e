"""The satisfaction survey after a closed complaint.

The IKM is computed per catalog service, so a closed complaint is rated under the
complaint-handling service (``Service.handles_complaints``) of the agency that handled it.
When that agency has none, nobody is invited (logged at info level, by ids only). The survey
subject type is ``"complaint"``; its ticket (``invite:complaint:<id>``) makes one answer per
complaint, whichever link is used. The invitation goes out once, at the first closing
(confirmed by the reporter or closed by the system), to the reporter only — an account or a
guest's contact (see :func:`loket.complaints.services.on_complaint_transition`).
"""

from __future__ import annotations

import logging

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from loket.catalog.models import Service
from loket.complaints.models import Complaint
from loket.surveys.subjects import SurveySubject, register_survey_subject
from loket.surveys.tokens import invitation_token, read_invitation_token

logger = logging.getLogger(__name__)

SUBJECT_TYPE = "complaint"
RATEABLE_STATE = "closed"


def complaint_service(complaint: Complaint) -> Service | None:
    """The service a closed complaint is rated under: the complaint-handling service of the
    agency that handled it, or None (no agency, or the agency has none)."""
    if complaint.agency_id is None:
        return None
    return (
        Service.objects.select_related("agency", "government")
        .filter(agency_id=complaint.agency_id, handles_complaints=True)
        .order_by("pk")
        .first()
    )


def _closed_complaint(subject_id: int) -> SurveySubject | None:
    """Survey-subject resolver: a closed complaint and its agency's complaint service."""
    complaint = (
        Complaint.objects.filter(pk=subject_id, state=RATEABLE_STATE)
        .only("pk", "agency_id", "tracking_number", "state")
        .first()
    )
    if complaint is None:
        return None
    service = complaint_service(complaint)
    if service is None:
        return None
    return SurveySubject(service=service, reference=complaint.tracking_number)


def survey_token(complaint: Complaint) -> str:
    """A signed survey invitation for the complaint, issued on the day it was closed (so it
    expires ``SURVEY_INVITATION_DAYS`` after closing, whenever it is shown)."""
    closed = complaint.closed_at
    return invitation_token(
        subject_type=SUBJECT_TYPE,
        subject_id=complaint.pk,
        issued_on=timezone.localdate(closed) if closed else None,
    )


def survey_path(complaint: Complaint) -> str:
    """The questionnaire page for the complaint ("" when the survey pages are not mounted)."""
    try:
        return reverse("surveys:respond", kwargs={"token": survey_token(complaint)})
    except NoReverseMatch:
        return ""


def invitation(complaint: Complaint) -> tuple[Service, str] | None:
    """The service and link to invite the reporter of a just-closed complaint with, or None
    (logged) when the agency has no complaint-handling service."""
    service = complaint_service(complaint)
    if service is None:
        logger.info(
            "No survey invitation for complaint %s: agency %s has no complaint-handling service",
            complaint.pk,
            complaint.agency_id,
        )
        return None
    path = survey_path(complaint)
    return (service, path) if path else None


def reporter_survey_path(complaint: Complaint) -> str:
    """The "rate the service" link for the reporter's page of a closed complaint: "" when it
    is not closed, no service rates it, the invitation has expired or was answered."""
    from loket.surveys.selectors import ticket_used

    if complaint.state != RATEABLE_STATE or complaint.closed_at is None:
        return ""
    if complaint_service(complaint) is None:
        return ""
    token = survey_token(complaint)
    ref = read_invitation_token(token)
    if ref is None or ticket_used(ref.ticket):
        return ""
    try:
        return reverse("surveys:respond", kwargs={"token": token})
    except NoReverseMatch:
        return ""


def register() -> None:
    """Let invitations about closed complaints be answered (from ``AppConfig.ready``)."""
    register_survey_subject(SUBJECT_TYPE, _closed_complaint)
