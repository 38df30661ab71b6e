"""Reads of the payments module."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from loket.core import permissions as perms
from loket.payments import codes
from loket.payments.models import Bill
from loket.payments.registry import bill_access


def bills_for_subject(*, subject: models.Model) -> QuerySet[Bill]:
    """Every bill of ``subject``, newest first."""
    return Bill.objects.filter(
        subject_type=ContentType.objects.get_for_model(type(subject)), subject_id=str(subject.pk)
    ).order_by("-created_at", "-id")


def bill_by_code(*, code: str) -> Bill | None:
    normalised = codes.normalise_code(code)
    if not codes.is_valid_code(normalised):
        return None
    return (
        Bill.objects.select_related("government", "agency", "subject_type")
        .filter(code=normalised)
        .first()
    )


def bills_for_cashier(*, scope: perms.OfficerScope, query: str = "") -> QuerySet[Bill]:
    """Bills of the agencies where the officer may confirm payments."""
    qs = Bill.objects.select_related("agency", "government")
    if not scope.is_superuser:
        qs = qs.filter(
            Q(agency_id__in=scope.agency_ids_for(perms.PAYMENT_CONFIRM))
            | Q(government_id__in=scope.government_ids_for(perms.PAYMENT_CONFIRM))
        )
    normalised = codes.normalise_code(query)
    if normalised:
        qs = qs.filter(code__startswith=normalised)
    return qs.order_by("status", "-created_at", "-id")


def cashier_may_confirm(*, scope: perms.OfficerScope, bill: Bill) -> bool:
    return scope.can(
        perms.PAYMENT_CONFIRM, government_id=bill.government_id, agency_id=bill.agency_id
    )


def can_view_bill(*, user: Any, bill: Bill) -> bool:
    """The subject module's rule, or a cashier of the bill's agency."""
    if not getattr(user, "is_authenticated", False):
        return False
    if cashier_may_confirm(scope=perms.officer_scope(user), bill=bill):
        return True
    check = bill_access(bill.subject_label)
    return bool(check is not None and check(user, bill))
