"""The demo complaints: varied, realistic, private where they should be, installed once."""

from __future__ import annotations

import pytest

from loket.catalog.models import Service
from loket.complaints import selectors
from loket.complaints.demo import install_demo_complaints
from loket.complaints.models import Category, Complaint, RoutingRule
from loket.core.audit import verify_chain
from loket.demo.services import install_demo
from loket.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_demo_complaints_are_varied_and_idempotent():
    install_demo()
    complaints = Complaint.objects.all()
    assert complaints.count() >= 38
    states = set(complaints.values_list("state", flat=True))
    assert {
        "received",
        "verification",
        "dispatched",
        "in_progress",
        "waiting",
        "resolved",
        "closed",
        "reopened",
        "rejected",
        "merged",
    } <= states
    assert complaints.filter(category__service_code="BDL-JALAN").count() >= 8
    assert complaints.filter(visibility="confidential").count() >= 8
    assert complaints.filter(identity="anonymous").count() >= 5
    assert Category.objects.filter(government__slug="lampung").exists()
    assert RoutingRule.objects.filter(agency__slug="bmbk").exists()
    assert len(selectors.public_complaints(page_size=100).items) >= 10
    # Every agency the demo routes reports to rates them under its complaint-handling
    # service, so the demo's closed reports invited their reporters to the survey.
    routed = set(RoutingRule.objects.values_list("agency_id", flat=True))
    rated = Service.objects.filter(handles_complaints=True, is_published=True)
    assert routed <= set(rated.values_list("agency_id", flat=True))
    closed = complaints.filter(state__in=["closed", "reopened"]).count()  # reopened: was closed
    assert closed >= 1
    assert Notification.objects.filter(kind="complaint.survey").count() == closed
    assert install_demo_complaints() is False
    assert Complaint.objects.count() == complaints.count()
    assert verify_chain().ok
