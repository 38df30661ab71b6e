"""Who sees which officer page: every role against queue, detail and an action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.complaints_office.conftest import signed_in

pytestmark = pytest.mark.django_db

QUEUE = reverse("complaints_office:queue")


def detail(c) -> str:
    return reverse("complaints_office:detail", args=[c.pk])


def test_anonymous_visitor_is_sent_to_login(org, drive):
    from django.test import Client

    c = drive("received")
    for url in (QUEUE, detail(c)):
        response = Client().get(url)
        assert response.status_code == 302
        assert "/akun/login/" in response["Location"]


@pytest.mark.parametrize(
    ("role", "tabs"),
    [
        ("coordinator", {"to_verify", "to_dispatch", "waiting", "at_risk", "overdue", "all"}),
        ("liaison", {"agency", "mine", "waiting", "at_risk", "overdue", "all"}),
        ("handler", {"agency", "mine", "waiting", "at_risk", "overdue", "all"}),
        ("supervisor", {"agency", "waiting", "at_risk", "overdue", "all"}),
        ("leader", {"waiting", "at_risk", "overdue", "all"}),
    ],
)
def test_queue_tabs_follow_the_roles(org, drive, role, tabs):
    drive("dispatched")
    response = signed_in(getattr(org, role)).get(QUEUE)
    assert response.status_code == 200
    body = response.content.decode()
    shown = {code for code in _ALL_TABS if f"?antrean={code}" in body}
    assert shown == tabs


_ALL_TABS = ("to_verify", "to_dispatch", "agency", "mine", "waiting", "at_risk", "overdue", "all")


@pytest.mark.parametrize("role", ["counter", "reporter", "other_citizen"])
def test_queue_is_404_without_complaint_roles(org, role):
    assert signed_in(getattr(org, role)).get(QUEUE).status_code == 404


@pytest.mark.parametrize(
    ("role", "status", "can_act"),
    [
        ("coordinator", 200, True),
        ("liaison", 200, True),
        ("handler", 200, True),
        ("supervisor", 200, True),
        ("leader", 200, False),
        ("counter", 404, False),
        ("reporter", 404, False),
        ("other_citizen", 404, False),
        ("dlh_handler", 404, False),  # another agency
        ("dlh_liaison", 404, False),
        ("foreign_coordinator", 404, False),  # another government
        ("foreign_handler", 404, False),
    ],
)
def test_detail_of_a_dispatched_report_per_role(org, drive, role, status, can_act):
    c = drive("dispatched")
    response = signed_in(getattr(org, role)).get(detail(c))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert c.tracking_number in body
        assert ('data-testid="actions"' in body) is can_act
        assert ('data-testid="read-only"' in body) is (not can_act)


def test_agency_officers_do_not_see_reports_before_dispatch(org, drive):
    c = drive("verification")
    for role in ("liaison", "handler", "supervisor", "dlh_handler"):
        assert signed_in(getattr(org, role)).get(detail(c)).status_code == 404
    assert signed_in(org.coordinator).get(detail(c)).status_code == 200


@pytest.mark.parametrize("role", ["leader", "dlh_handler", "foreign_coordinator", "counter"])
def test_actions_by_outsiders_are_404_and_change_nothing(org, drive, role):
    c = drive("dispatched")
    url = reverse("complaints_office:act", args=[c.pk, "start_work"])
    response = signed_in(getattr(org, role)).post(url, {"estimate_date": "2099-01-01"})
    assert response.status_code == 404
    c.refresh_from_db()
    assert c.state == "dispatched"


def test_unknown_action_is_404(org, drive):
    c = drive("received")
    url = reverse("complaints_office:act", args=[c.pk, "teleport"])
    assert signed_in(org.coordinator).post(url, {}).status_code == 404


def test_get_on_an_action_is_refused(org, drive):
    c = drive("received")
    url = reverse("complaints_office:act", args=[c.pk, "verify"])
    assert signed_in(org.coordinator).get(url).status_code == 405


def test_nav_entry_for_complaint_readers(org):
    body = signed_in(org.coordinator).get(reverse("backoffice:home")).content.decode()
    assert QUEUE in body
    body = signed_in(org.counter).get(reverse("backoffice:home")).content.decode()
    assert QUEUE not in body
