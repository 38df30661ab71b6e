"""Who may do what: role × agency × action for officers, counter filing, citizens seeing only
their own applications, and the pages answering 404 for everything else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from loket.applications import services
from loket.applications.models import Application
from loket.core.permissions import officer_scope
from loket.workflow.errors import IllegalTransition, NotPermitted
from tests import factories as f
from tests.applications.conftest import complete_values, documents

pytestmark = pytest.mark.django_db


def do(action, who, app):
    scope = officer_scope(who)
    common = dict(officer=who, scope=scope, application=app)
    if action == "forward":
        services.application_forward(**common, expected_step=app.step_index)
    elif action == "return":
        services.application_return(
            **common,
            expected_step=app.step_index,
            fields=["nama_usaha"],
            documents=[],
            note="Perbaiki",
        )
    elif action == "reject":
        services.application_reject(**common, expected_step=app.step_index, note="Tidak lengkap")
    elif action == "approve":
        services.application_approve(**common, expected_step=app.step_index)
    elif action == "assign":
        services.application_assign(**common, assignee=who)


# (officer on the org fixture, action at step 0 (handler step), expected outcome)
MATRIX = [
    ("handler", "forward", "ok"),
    ("handler", "return", "ok"),
    ("handler", "reject", "ok"),
    ("handler", "assign", "ok"),
    ("supervisor", "forward", "conflict"),  # same agency, not the step's role
    ("supervisor", "assign", "conflict"),  # a supervisor may assign, but only to the step role
    ("liaison", "forward", "conflict"),
    ("counter", "forward", "404"),
    ("leader", "forward", "404"),
    ("other_handler", "forward", "404"),  # same government, other agency
    ("other_supervisor", "return", "404"),
    ("coordinator", "forward", "404"),  # government-wide role without APPLICATION_PROCESS
    ("foreign_handler", "forward", "404"),  # another government
    ("foreign_handler", "assign", "404"),
]


@pytest.mark.parametrize(("who", "action", "outcome"), MATRIX)
def test_officer_matrix(org, submit, who, action, outcome):
    app = submit()
    officer = getattr(org, who)
    if outcome == "ok":
        do(action, officer, app)
        app.refresh_from_db()
        assert app.state in ("processing", "revision", "rejected")
        return
    expected = NotPermitted if outcome == "404" else (IllegalTransition, Exception)
    with pytest.raises(expected):
        do(action, officer, app)
    app.refresh_from_db()
    assert (app.state, app.step_index, app.assigned_to_id) == ("processing", 0, None)


def test_second_step_belongs_to_the_supervisor(org, submit):
    app = submit()
    do("forward", org.handler, app)
    app.refresh_from_db()
    with pytest.raises(IllegalTransition):
        do("approve", org.handler, app)
    do("approve", org.supervisor, app)
    app.refresh_from_db()
    assert app.state == "approved"


def test_assignment_and_reassignment_only_to_holders_of_the_step_role(org, submit):
    app = submit()
    scope = officer_scope(org.handler)
    services.application_assign(
        officer=org.handler, scope=scope, application=app, assignee=org.handler2
    )
    app.refresh_from_db()
    assert app.assigned_to_id == org.handler2.pk
    services.application_assign(
        officer=org.handler, scope=scope, application=app, assignee=org.handler
    )
    app.refresh_from_db()
    assert app.assigned_to_id == org.handler.pk
    with pytest.raises(Exception) as err:
        services.application_assign(
            officer=org.handler, scope=scope, application=app, assignee=org.other_handler
        )
    assert "peran" in str(err.value)


def test_counter_staff_file_for_a_walk_in_citizen_of_their_agency_only(org, service):
    scope = officer_scope(org.counter)
    app = services.application_file_at_counter(
        officer=org.counter,
        scope=scope,
        service=service,
        walk_in=services.WalkIn(name="Sri Wahyuni", phone="0812 9999 0000"),
        values=complete_values(),
        uploads=documents(),
        idempotency_key="loket-000001",
    )
    assert app.applicant_id is None and app.filed_by_id == org.counter.pk
    assert app.walk_in_name == "Sri Wahyuni" and app.walk_in_phone == "+6281299990000"
    assert app.state == "processing" and app.tracking_number
    again = services.application_file_at_counter(
        officer=org.counter,
        scope=scope,
        service=service,
        walk_in=services.WalkIn(name="Sri Wahyuni", phone="0812 9999 0000"),
        values=complete_values(),
        uploads=documents(),
        idempotency_key="loket-000001",
    )
    assert again.pk == app.pk
    with pytest.raises(Exception) as err:
        services.application_file_at_counter(
            officer=org.counter,
            scope=scope,
            service=service,
            walk_in=services.WalkIn(name="Tanpa kontak"),
            values=complete_values(),
            uploads=documents(),
            idempotency_key="loket-000002",
        )
    assert "walk_in_phone" in err.value.message_dict
    other_counter = f.officer(org.other_agency, "counter_staff")
    with pytest.raises(NotPermitted):
        services.application_file_at_counter(
            officer=other_counter,
            scope=officer_scope(other_counter),
            service=service,
            walk_in=services.WalkIn(name="Budi", phone="0812 1111 2222"),
            values=complete_values(),
            uploads=documents(),
            idempotency_key="loket-000003",
        )
    assert Application.objects.filter(filed_by__isnull=False).count() == 1


def _login_officer(client, user):
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user).exists():
        f.with_totp(user)
    client.force_login(user)


def test_pages_answer_404_for_others(client, org, submit):
    app = submit()
    detail = reverse("applications:detail", kwargs={"pk": app.pk})
    office = reverse("applications_office:detail", kwargs={"pk": app.pk})
    client.force_login(org.other_citizen)
    assert client.get(detail).status_code == 404
    assert client.get(reverse("applications:revise", kwargs={"pk": app.pk})).status_code == 404
    client.force_login(org.citizen)
    assert client.get(detail).status_code == 200
    assert client.get(office).status_code == 404  # a citizen is no officer
    for who, status in (
        ("handler", 200),
        ("supervisor", 200),
        ("other_handler", 404),
        ("foreign_handler", 404),
        ("leader", 404),
        ("counter", 404),
    ):
        client.logout()
        _login_officer(client, getattr(org, who))
        assert client.get(office).status_code == status, who
    client.logout()
    _login_officer(client, org.other_handler)
    url = reverse("applications_office:act", kwargs={"pk": app.pk, "action": "forward"})
    assert client.post(url, {"step": 0}).status_code == 404
    app.refresh_from_db()
    assert app.step_index == 0


def test_citizen_documents_are_served_only_to_those_who_may_see_the_application(
    client, org, submit
):
    app = submit()
    document = app.documents.get(code="ktp")
    url = reverse("files:file", args=[document.file_id])
    client.force_login(org.citizen)
    assert client.get(url).status_code == 200
    client.force_login(org.other_citizen)
    assert client.get(url).status_code == 404
    _login_officer(client, org.handler)
    assert client.get(url).status_code == 200
    _login_officer(client, org.foreign_handler)
    assert client.get(url).status_code == 404
