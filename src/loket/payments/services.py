"""Writes of the payments module: create a bill, confirm its payment, cancel or expire it.

Every write: ``transaction.atomic`` → change → ``PaymentEvent`` → ``log_action`` → the subject
module's listeners (confirmation only), all in one transaction, so an error anywhere leaves
nothing half-saved. Amounts are whole Rupiah.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.audit import log_action
from loket.core.sequences import next_number
from loket.organizations.models import Agency, Government
from loket.payments import codes
from loket.payments.errors import (
    AmountMismatch,
    BillConflict,
    BillNotFound,
    InvalidCode,
    PaymentError,
)
from loket.payments.models import Bill, PaymentEvent
from loket.payments.providers import get_provider
from loket.payments.registry import payment_listeners

MAX_AMOUNT = 1_000_000_000_000  # one trillion Rupiah: anything above is a typing mistake
RECEIPT_FORMAT = "KW-{prefix}-{year}-{seq:06d}"
_CODE_ATTEMPTS = 8


@dataclass(frozen=True)
class Confirmation:
    """What :func:`payment_confirm` did: ``repeated`` when the same payment was already
    recorded (a provider retrying its callback, a double tap) and nothing changed."""

    bill: Bill
    repeated: bool


def rupiah(amount: int) -> str:
    """``Rp150.000``: Indonesian thousands separators, no decimals."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def bill_create(
    *,
    subject: models.Model,
    government: Government,
    agency: Agency,
    amount: int,
    description: str,
    due_at: datetime | None = None,
    actor: Any = None,
) -> Bill:
    """Create an unpaid bill with a fresh payment code for ``subject``.

    Raises ``PaymentError`` for an amount that is not a positive whole number of Rupiah, an
    empty description, a due date in the past, or an agency of another government.
    """
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise PaymentError(_("Jumlah tagihan harus bilangan bulat Rupiah lebih dari nol."))
    description = description.strip()
    if not description or len(description) > 200:
        raise PaymentError(_("Uraian tagihan wajib diisi (maks. 200 karakter)."))
    if due_at is not None and due_at <= timezone.now():
        raise PaymentError(_("Batas bayar harus di masa depan."))
    if agency.government_id != government.pk:
        raise PaymentError(_("Perangkat daerah bukan bagian dari pemerintah daerah ini."))
    subject_type = ContentType.objects.get_for_model(type(subject))
    for _attempt in range(_CODE_ATTEMPTS):
        code = codes.new_code()
        if Bill.objects.filter(code=code).exists():
            continue
        try:
            with transaction.atomic():
                bill = Bill.objects.create(
                    code=code,
                    government=government,
                    agency=agency,
                    subject_type=subject_type,
                    subject_id=str(subject.pk),
                    amount=amount,
                    description=description,
                    due_at=due_at,
                )
                PaymentEvent.objects.create(
                    bill=bill, kind=PaymentEvent.Kind.CREATED, amount=amount, actor=_actor(actor)
                )
                log_action(
                    "payment.bill_created",
                    actor=actor,
                    obj=bill,
                    government_id=government.pk,
                    payload={
                        "amount": amount,
                        "subject": f"{subject_type.app_label}.{subject_type.model}:{subject.pk}",
                    },
                )
        except IntegrityError:
            # Another bill took the same random code at the same moment: draw again.
            if not Bill.objects.filter(code=code).exists():
                raise
            continue
        return bill
    raise PaymentError(_("Kode pembayaran tidak dapat dibuat saat ini. Silakan coba lagi."))


def _next_receipt_number(government: Government, when: datetime) -> str:
    year = when.astimezone(ZoneInfo(government.time_zone)).year
    seq = next_number(f"receipt:{government.pk}:{year}")
    return RECEIPT_FORMAT.format(prefix=government.tracking_prefix, year=year, seq=seq)


def _locked_bill(code: str) -> Bill:
    normalised = codes.normalise_code(code)
    if not codes.is_valid_code(normalised):
        raise InvalidCode(_("Kode pembayaran tidak valid: periksa kembali ke-16 angkanya."))
    bill = (
        Bill.objects.select_for_update()
        .select_related("government", "subject_type")
        .filter(code=normalised)
        .first()
    )
    if bill is None:
        raise BillNotFound(_("Tagihan dengan kode pembayaran ini tidak ditemukan."))
    return bill


def payment_confirm(
    *,
    code: str,
    amount: int,
    provider: str,
    reference: str,
    actor: Any = None,
) -> Confirmation:
    """Record that the bill with payment ``code`` was paid through ``provider``.

    The same payment reported again (same provider and reference) changes nothing and returns
    ``repeated=True``. Raises ``InvalidCode``/``BillNotFound`` for a code that is malformed or
    unknown, ``AmountMismatch`` when ``amount`` differs from the bill, and ``BillConflict``
    (409) when the bill is paid under another reference, cancelled or past its due date, or
    the reference already paid another bill. On success the subject module's listeners run in
    the same transaction; if one raises, nothing is recorded.
    """
    reference = reference.strip()
    if get_provider(provider) is None:
        raise PaymentError(_("Kanal pembayaran tidak dikenal."))
    if not reference or len(reference) > 100:
        raise PaymentError(_("Referensi pembayaran wajib diisi (maks. 100 karakter)."))
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise AmountMismatch(_("Jumlah pembayaran harus bilangan bulat Rupiah."))
    with transaction.atomic():
        bill = _locked_bill(code)
        if bill.status == Bill.Status.PAID:
            if bill.provider == provider and bill.provider_reference == reference:
                return Confirmation(bill=bill, repeated=True)
            raise BillConflict(_("Tagihan ini sudah lunas dengan pembayaran lain."))
        if bill.status == Bill.Status.CANCELLED:
            raise BillConflict(_("Tagihan ini sudah dibatalkan dan tidak dapat dibayar."))
        now = timezone.now()
        if bill.status == Bill.Status.EXPIRED or (bill.due_at is not None and bill.due_at < now):
            raise BillConflict(_("Tagihan ini sudah melewati batas bayar."))
        if amount != bill.amount:
            raise AmountMismatch(
                _("Jumlah pembayaran %(paid)s tidak sama dengan tagihan %(due)s.")
                % {"paid": rupiah(amount), "due": rupiah(bill.amount)}
            )
        if Bill.objects.filter(provider=provider, provider_reference=reference).exists():
            raise BillConflict(_("Referensi pembayaran ini sudah dipakai untuk tagihan lain."))
        bill.status = Bill.Status.PAID
        bill.paid_at = now
        bill.provider = provider
        bill.provider_reference = reference
        bill.receipt_number = _next_receipt_number(bill.government, now)
        bill.save(
            update_fields=["status", "paid_at", "provider", "provider_reference", "receipt_number"]
        )
        PaymentEvent.objects.create(
            bill=bill,
            kind=PaymentEvent.Kind.PAID,
            provider=provider,
            reference=reference,
            amount=amount,
            actor=_actor(actor),
        )
        log_action(
            "payment.confirmed",
            actor=actor,
            obj=bill,
            government_id=bill.government_id,
            payload={
                "amount": amount,
                "provider": provider,
                "reference": reference,
                "receipt_number": bill.receipt_number,
            },
        )
        for listener in payment_listeners(bill.subject_label):
            listener(bill)
    return Confirmation(bill=bill, repeated=False)


def bill_cancel(*, bill: Bill, reason: str, actor: Any) -> Bill:
    """Cancel an unpaid bill (the application was withdrawn, the fee waived, …).

    Raises ``PaymentError`` without a reason and ``BillConflict`` for a bill that is not
    unpaid any more.
    """
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise PaymentError(_("Alasan pembatalan wajib diisi (maks. 500 karakter)."))
    with transaction.atomic():
        locked = Bill.objects.select_for_update().get(pk=bill.pk)
        if locked.status != Bill.Status.UNPAID:
            raise BillConflict(_("Hanya tagihan yang belum dibayar yang dapat dibatalkan."))
        locked.status = Bill.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = reason
        locked.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        PaymentEvent.objects.create(
            bill=locked, kind=PaymentEvent.Kind.CANCELLED, actor=_actor(actor)
        )
        log_action(
            "payment.bill_cancelled",
            actor=actor,
            obj=locked,
            government_id=locked.government_id,
            payload={"reason_length": len(reason)},
        )
    return locked


def bills_expire(*, now: datetime | None = None) -> int:
    """Mark unpaid bills past their due date as expired (a periodic sweep); returns how many."""
    now = now or timezone.now()
    expired = 0
    pending = Bill.objects.filter(status=Bill.Status.UNPAID, due_at__lt=now).values_list(
        "pk", flat=True
    )
    for pk in list(pending[:1000]):
        with transaction.atomic():
            bill = Bill.objects.select_for_update().get(pk=pk)
            if bill.status != Bill.Status.UNPAID or bill.due_at is None or bill.due_at >= now:
                continue
            bill.status = Bill.Status.EXPIRED
            bill.save(update_fields=["status"])
            PaymentEvent.objects.create(bill=bill, kind=PaymentEvent.Kind.EXPIRED)
            log_action(
                "payment.bill_expired", obj=bill, government_id=bill.government_id, payload={}
            )
            expired += 1
    return expired
