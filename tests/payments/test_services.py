"""Bills and confirmations through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from loket.core.models import AuditEvent
from loket.payments import codes
from loket.payments.errors import (
    AmountMismatch,
    BillConflict,
    BillNotFound,
    InvalidCode,
    PaymentError,
)
from loket.payments.models import Bill, PaymentEvent
from loket.payments.registry import register_payment_listener, unregister_payment_listener
from loket.payments.services import (
    bill_cancel,
    bill_create,
    bills_expire,
    payment_confirm,
    rupiah,
)
from tests import factories as f
from tests.payments.conftest import SUBJECT_LABEL

pytestmark = pytest.mark.django_db


def test_luhn_codes():
    assert codes.luhn_check_digit("7992739871") == "3"  # the textbook example
    for _ in range(50):
        code = codes.new_code()
        assert len(code) == 16 and code[0] != "0" and codes.is_valid_code(code)
        wrong = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
        assert not codes.is_valid_code(wrong)
    assert codes.normalise_code(" 8123 4567-8901.2346 ") == "8123456789012346"
    assert codes.display_code("8123456789012346") == "8123 4567 8901 2346"


def test_create_bill(bill, gov, agency):
    assert bill.status == Bill.Status.UNPAID
    assert codes.is_valid_code(bill.code)
    assert bill.amount == 150_000 and bill.subject_id == str(agency.pk)
    assert list(bill.events.values_list("kind", flat=True)) == ["created"]
    event = AuditEvent.objects.get(action="payment.bill_created")
    assert event.payload["amount"] == 150_000 and event.government_id == gov.pk


@pytest.mark.parametrize("amount", [0, -5, 1.5, True, "150000"])
def test_bad_amount_creates_nothing(gov, agency, amount):
    with pytest.raises(PaymentError):
        bill_create(
            subject=agency, government=gov, agency=agency, amount=amount, description="Retribusi"
        )
    assert not Bill.objects.exists() and not PaymentEvent.objects.exists()


def test_confirm_records_payment_and_receipt(bill, gov):
    result = payment_confirm(
        code=bill.display_code, amount=150_000, provider="cashier", reference="SLIP-1"
    )
    assert not result.repeated
    bill.refresh_from_db()
    assert bill.status == Bill.Status.PAID and bill.paid_at is not None
    assert bill.provider == "cashier" and bill.provider_reference == "SLIP-1"
    assert bill.receipt_number == f"KW-{gov.tracking_prefix}-{bill.paid_at.year}-000001"
    assert list(bill.events.values_list("kind", flat=True)) == ["created", "paid"]
    event = AuditEvent.objects.get(action="payment.confirmed")
    assert event.payload["reference"] == "SLIP-1" and event.payload["amount"] == 150_000


def test_unknown_and_malformed_codes(bill):
    other = codes.new_code()
    with pytest.raises(BillNotFound) as exc:
        payment_confirm(code=other, amount=150_000, provider="cashier", reference="R")
    assert exc.value.status == 404 and "tidak ditemukan" in exc.value.message
    typo = bill.code[:-1] + str((int(bill.code[-1]) + 1) % 10)
    with pytest.raises(InvalidCode):
        payment_confirm(code=typo, amount=150_000, provider="cashier", reference="R")
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID


def test_wrong_amount_is_refused(bill):
    with pytest.raises(AmountMismatch) as exc:
        payment_confirm(code=bill.code, amount=15_000, provider="cashier", reference="R")
    assert exc.value.message == "Jumlah pembayaran Rp15.000 tidak sama dengan tagihan Rp150.000."
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID
    assert not AuditEvent.objects.filter(action="payment.confirmed").exists()


def test_double_confirmation(bill):
    payment_confirm(code=bill.code, amount=150_000, provider="generic", reference="BANK-1")
    again = payment_confirm(code=bill.code, amount=150_000, provider="generic", reference="BANK-1")
    assert again.repeated
    assert PaymentEvent.objects.filter(kind="paid").count() == 1
    assert AuditEvent.objects.filter(action="payment.confirmed").count() == 1
    with pytest.raises(BillConflict) as exc:
        payment_confirm(code=bill.code, amount=150_000, provider="generic", reference="BANK-2")
    assert exc.value.status == 409


def test_reference_of_another_bill_is_a_conflict(bill, gov, agency):
    payment_confirm(code=bill.code, amount=150_000, provider="generic", reference="BANK-1")
    second = bill_create(
        subject=agency, government=gov, agency=agency, amount=150_000, description="Lagi"
    )
    with pytest.raises(BillConflict):
        payment_confirm(code=second.code, amount=150_000, provider="generic", reference="BANK-1")


def test_listener_runs_inside_the_transaction(bill):
    seen = []

    def listener(paid_bill):
        seen.append((paid_bill.pk, paid_bill.status, connection.in_atomic_block))

    register_payment_listener(SUBJECT_LABEL, listener)
    try:
        payment_confirm(code=bill.code, amount=150_000, provider="cashier", reference="S")
        payment_confirm(code=bill.code, amount=150_000, provider="cashier", reference="S")
    finally:
        unregister_payment_listener(SUBJECT_LABEL, listener)
    assert seen == [(bill.pk, "paid", True)]  # not again for the repeated confirmation


def test_failing_listener_leaves_nothing_half_saved(bill):
    def listener(paid_bill):
        raise RuntimeError("subject module refused")

    register_payment_listener(SUBJECT_LABEL, listener)
    try:
        with pytest.raises(RuntimeError):
            payment_confirm(code=bill.code, amount=150_000, provider="cashier", reference="S")
    finally:
        unregister_payment_listener(SUBJECT_LABEL, listener)
    bill.refresh_from_db()
    assert bill.status == Bill.Status.UNPAID and bill.receipt_number == ""
    assert not PaymentEvent.objects.filter(kind="paid").exists()
    assert not AuditEvent.objects.filter(action="payment.confirmed").exists()
    # The receipt counter rolled back too: the next receipt still gets number 1.
    result = payment_confirm(code=bill.code, amount=150_000, provider="cashier", reference="S")
    assert result.bill.receipt_number.endswith("-000001")


def test_cancel_and_expire(gov, agency, bill):
    with pytest.raises(PaymentError):
        bill_cancel(bill=bill, reason=" ", actor=None)
    bill_cancel(bill=bill, reason="Permohonan ditarik.", actor=None)
    with pytest.raises(BillConflict):
        payment_confirm(code=bill.code, amount=150_000, provider="cashier", reference="S")

    due = bill_create(
        subject=agency,
        government=gov,
        agency=agency,
        amount=5_000,
        description="Retribusi",
        due_at=timezone.now() + timedelta(days=1),
    )
    assert bills_expire(now=timezone.now() + timedelta(days=2)) == 1
    due.refresh_from_db()
    assert due.status == Bill.Status.EXPIRED
    with pytest.raises(BillConflict):
        payment_confirm(code=due.code, amount=5_000, provider="cashier", reference="S2")


def test_unknown_provider_and_empty_reference(bill):
    with pytest.raises(PaymentError):
        payment_confirm(code=bill.code, amount=150_000, provider="tidak-ada", reference="R")
    with pytest.raises(PaymentError):
        payment_confirm(code=bill.code, amount=150_000, provider="cashier", reference="  ")


def test_rupiah():
    assert rupiah(1_500_000) == "Rp1.500.000"
    assert rupiah(500) == "Rp500"


def test_agency_of_another_government(gov):
    other = f.agency(f.government("18.02"))
    with pytest.raises(PaymentError):
        bill_create(subject=other, government=gov, agency=other, amount=1, description="x")
