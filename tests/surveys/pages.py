"""Builders for the survey page tests: completed applications, answers, officers."""

from __future__ import annotations

import itertools

from django.utils import timezone

from loket.applications.models import Application, FormDefinition, WorkflowDefinition
from loket.surveys.ikm import ELEMENTS
from tests import factories as f
from tests.applications.conftest import make_online_service

_seq = itertools.count(1)


def completed_application(agency, *, state: str = "issued") -> Application:
    service = make_online_service(agency)
    n = next(_seq)
    return Application.objects.create(
        government=agency.government,
        agency=agency,
        service=service,
        form=FormDefinition.objects.filter(service=service).latest("number"),
        workflow_definition=WorkflowDefinition.objects.filter(service=service).latest("number"),
        tracking_number=f"SRV-{n:05d}",
        state=state,
        applicant=f.citizen(),
        completed_at=timezone.now() if state == "issued" else None,
    )


def answers(score: int | str = 4, **extra) -> dict:
    data = {code: str(score) for code in ELEMENTS}
    data.update({"age": "34", "sex": "P", "education": "s1", "occupation": "swasta"})
    data.update({k: str(v) for k, v in extra.items()})
    return data


def login_officer(client, user) -> None:
    f.with_totp(user)
    client.force_login(user)
