"""Fees: a bill at approval for a paid service, the output only after payment, the payment
listener recording it."""

from __future__ import annotations

import pytest

from loket.applications import services
from loket.applications.models import Application
from loket.core.permissions import officer_scope
from loket.payments.models import Bill
from loket.payments.services import payment_confirm
from loket.workflow.errors import IllegalTransition
from tests.applications.conftest import make_online_service

pytestmark = pytest.mark.django_db


def test_paid_service_bills_at_approval_and_issues_after_payment(org, submit):
    paid = make_online_service(org.other_agency, fee=150_000)
    from loket.organizations.models import Role
    from tests import factories as f

    handler = f.officer(org.other_agency, Role.HANDLER)
    boss = f.officer(org.other_agency, Role.SUPERVISOR)
    app = submit(target=paid)
    assert app.fee == 150_000 and not app.bill_reference
    services.application_forward(
        officer=handler, scope=officer_scope(handler), application=app, expected_step=0
    )
    scope = officer_scope(boss)
    services.application_approve(officer=boss, scope=scope, application=app, expected_step=1)
    app = Application.objects.get(pk=app.pk)
    bill = Bill.objects.get(code=app.bill_reference)
    assert bill.amount == 150_000 and bill.subject_id == str(app.pk)
    with pytest.raises(IllegalTransition):
        services.application_issue(officer=boss, scope=scope, application=app)
    payment_confirm(code=bill.code, amount=150_000, provider="simulator", reference="SIM-0001")
    app.refresh_from_db()
    assert app.paid_at is not None and not app.needs_payment
    services.application_issue(officer=boss, scope=scope, application=app)
    app.refresh_from_db()
    assert app.state == "issued"


def test_free_service_gets_no_bill(org, submit):
    app = submit()
    for officer, step in ((org.handler, 0),):
        services.application_forward(
            officer=officer, scope=officer_scope(officer), application=app, expected_step=step
        )
    services.application_approve(
        officer=org.supervisor,
        scope=officer_scope(org.supervisor),
        application=app,
        expected_step=1,
    )
    app.refresh_from_db()
    assert app.bill_reference == "" and not app.needs_payment
