"""Simulator, cashier and provider callback pages."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.test import Client
from django.urls import reverse

from loket.organizations.models import Role
from loket.payments.models import Bill
from loket.payments.registry import register_bill_access, unregister_bill_access
from tests import factories as f
from tests.payments.conftest import SUBJECT_LABEL, login_officer

pytestmark = pytest.mark.django_db
SECRET = "rahasia-callback-uji-0123456789"


@pytest.fixture
def owner():
    user = f.citizen()
    register_bill_access(SUBJECT_LABEL, lambda u, bill: u.pk == user.pk)
    yield user
    unregister_bill_access(SUBJECT_LABEL)


class FakeBank:
    """A provider that speaks the generic callback protocol: JSON signed with HMAC-SHA256."""

    def __init__(self, client: Client, secret: str = SECRET) -> None:
        self.client, self.secret = client, secret

    def notify(self, payload: dict, *, secret: str | None = None):
        body = json.dumps(payload).encode()
        signature = hmac.new((secret or self.secret).encode(), body, hashlib.sha256).hexdigest()
        return self.client.post(
            reverse("payments:callback", args=["generic"]),
            data=body,
            content_type="application/json",
            headers={"X-Loket-Signature": f"sha256={signature}"},
        )


@pytest.fixture
def bank(settings):
    settings.LOKET_PAYMENT_CALLBACK_SECRET = SECRET
    return FakeBank(Client(enforce_csrf_checks=True))


def test_simulator_pays_through_the_service(client, bill, owner, settings):
    settings.LOKET_PAYMENT_SIMULATOR = True
    client.force_login(owner)
    page = client.get(reverse("payments:bill", args=[bill.code])).content.decode()
    assert "Bayar (simulasi)" in page and bill.display_code in page and "Rp150.000" in page
    response = client.post(reverse("payments:simulate", args=[bill.code]))
    assert response.status_code == 302
    client.post(reverse("payments:simulate", args=[bill.code]))  # double tap
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID and bill.provider == "simulator"
    assert bill.events.filter(kind="paid").count() == 1
    receipt = client.get(reverse("payments:bill", args=[bill.code])).content.decode()
    assert "Kuitansi pembayaran" in receipt and bill.receipt_number in receipt


def test_simulator_off_and_strangers(client, bill, owner, settings):
    settings.LOKET_PAYMENT_SIMULATOR = False
    client.force_login(owner)
    assert client.post(reverse("payments:simulate", args=[bill.code])).status_code == 404
    settings.LOKET_PAYMENT_SIMULATOR = True
    client.force_login(f.citizen())
    assert client.get(reverse("payments:bill", args=[bill.code])).status_code == 404
    assert client.post(reverse("payments:simulate", args=[bill.code])).status_code == 404
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID


def test_cashier_confirms_at_the_counter(client, bill, cashier):
    login_officer(client, cashier)
    listing = client.get(reverse("payments:cashier_list")).content.decode()
    assert bill.display_code in listing
    url = reverse("payments:cashier_confirm", args=[bill.code])
    wrong = client.post(url, {"amount": "15.000", "reference": "SLIP-9"})
    assert wrong.status_code == 400 and "tidak sama dengan tagihan" in wrong.content.decode()
    bad = client.post(url, {"amount": "seratus", "reference": "SLIP-9"})
    assert bad.status_code == 400
    response = client.post(url, {"amount": "150.000", "reference": "SLIP-9"})
    assert response.status_code == 302
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID and bill.provider == "cashier"
    assert bill.events.get(kind="paid").actor == cashier
    again = client.post(url, {"amount": "150000", "reference": "SLIP-10"})
    assert again.status_code == 409


@pytest.mark.parametrize("role", [Role.COUNTER_STAFF, Role.SUPERVISOR])
def test_cashier_roles_of_the_agency_may_confirm(client, bill, agency, role):
    login_officer(client, f.officer(agency, role))
    assert client.get(reverse("payments:cashier_confirm", args=[bill.code])).status_code == 200


def test_cashier_of_another_agency_or_without_the_role_gets_404(client, bill, gov):
    login_officer(client, f.officer(f.agency(gov), Role.COUNTER_STAFF))
    url = reverse("payments:cashier_confirm", args=[bill.code])
    assert client.get(url).status_code == 404
    assert client.post(url, {"amount": "150000", "reference": "X"}).status_code == 404
    assert bill.display_code not in client.get(reverse("payments:cashier_list")).content.decode()
    assert client.get(reverse("payments:bill", args=[bill.code])).status_code == 404
    client.logout()
    login_officer(client, f.officer(bill.agency, Role.HANDLER))
    assert client.get(url).status_code == 404
    assert client.get(reverse("payments:cashier_list")).status_code == 404
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID


def test_callback_with_good_signature(bank, bill):
    response = bank.notify({"payment_code": bill.code, "amount": 150_000, "reference": "BANK-77"})
    assert response.status_code == 200
    bill.refresh_from_db()
    assert response.json() == {
        "status": "paid",
        "payment_code": bill.code,
        "receipt_number": bill.receipt_number,
        "repeated": False,
    }
    repeat = bank.notify({"payment_code": bill.code, "amount": 150_000, "reference": "BANK-77"})
    assert repeat.status_code == 200 and repeat.json()["repeated"] is True
    other = bank.notify({"payment_code": bill.code, "amount": 150_000, "reference": "BANK-78"})
    assert other.status_code == 409


def test_callback_with_bad_signature_is_403(bank, bill):
    response = bank.notify(
        {"payment_code": bill.code, "amount": 150_000, "reference": "B"}, secret="salah"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "bad_signature"
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID


def test_callback_refused_without_a_configured_secret(bank, bill, settings):
    settings.LOKET_PAYMENT_CALLBACK_SECRET = ""
    response = bank.notify(
        {"payment_code": bill.code, "amount": 150_000, "reference": "B"}, secret=""
    )
    assert response.status_code == 403


def test_callback_errors(bank, bill):
    from loket.payments.codes import new_code

    unknown = bank.notify({"payment_code": new_code(), "amount": 150_000, "reference": "B"})
    assert unknown.status_code == 404
    assert "tidak ditemukan" in unknown.json()["error"]["message"]
    wrong = bank.notify({"payment_code": bill.code, "amount": 1, "reference": "B"})
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "amount_mismatch"
    malformed = bank.notify({"payment_code": bill.code, "amount": "150000", "reference": "B"})
    assert malformed.status_code == 400
    provider = bank.client.post(
        reverse("payments:callback", args=["tidak-ada"]),
        data=b"{}",
        content_type="application/json",
    )
    assert provider.status_code == 404
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID
