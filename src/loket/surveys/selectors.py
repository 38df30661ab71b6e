"""Reads for the satisfaction survey: the weight setting and IKM summaries.

Summaries are computed by the database: one aggregate query returns, per element, the SUM of
the scores and the COUNT of respondents who answered it (COUNT of a column skips NULLs, which is
exactly the NRR denominator). Only those 19 numbers reach Python, where :mod:`ikm` turns them
into exact fractions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncMonth

from loket.catalog.models import Service
from loket.organizations.models import Agency, Government
from loket.surveys import ikm
from loket.surveys.models import KioskDevice, SurveyResponse

WEIGHT_SETTING = "ikm_weight"


def ikm_weight_for(government: Government) -> ikm.Weight:
    """The government's weight convention: exact 1/9 unless its settings say ``"0.111"``."""
    raw = (government.settings or {}).get(WEIGHT_SETTING, ikm.Weight.EXACT.value)
    try:
        return ikm.Weight(str(raw))
    except ValueError:
        return ikm.Weight.EXACT


def _aggregates() -> dict[str, Any]:
    out: dict[str, Any] = {"count": Count("id")}
    for i in range(1, 10):
        out[f"sum_u{i}"] = Sum(f"u{i}")
        out[f"n_u{i}"] = Count(f"u{i}")
    return out


def _tallies(row: dict[str, Any]) -> dict[str, ikm.ElementTally]:
    return {
        f"U{i}": ikm.ElementTally(int(row[f"sum_u{i}"] or 0), int(row[f"n_u{i}"] or 0))
        for i in range(1, 10)
    }


@dataclass(frozen=True)
class IkmSummary:
    """IKM of one group of responses over one period."""

    date_from: dt.date
    date_to: dt.date
    result: ikm.IkmResult
    key: Any = None  # the group value in a breakdown (service id, agency id or month)

    @property
    def count(self) -> int:
        return self.result.count

    def as_dict(self) -> dict[str, Any]:
        r = self.result
        return {
            "key": self.key.isoformat() if isinstance(self.key, dt.date) else self.key,
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "count": r.count,
            "nrr": {c: (float(v) if v is not None else None) for c, v in r.nrr.items()},
            "ikm": float(r.unit) if r.unit is not None else None,
            "ikm_display": ikm.display(r.unit) if r.unit is not None else None,
            "grade": r.grade.value if r.grade else None,
            "grade_label": r.grade.label if r.grade else None,
            "weight": r.weight.value,
        }


def _responses(
    *,
    government: Government,
    agency: Agency | None,
    service: Service | None,
    date_from: dt.date,
    date_to: dt.date,
) -> QuerySet[SurveyResponse]:
    qs = SurveyResponse.objects.filter(
        government=government, answered_on__gte=date_from, answered_on__lte=date_to
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if service is not None:
        qs = qs.filter(service=service)
    return qs


def ikm_summary(
    *,
    government: Government,
    agency: Agency | None = None,
    service: Service | None = None,
    date_from: dt.date,
    date_to: dt.date,
    weight: ikm.Weight | None = None,
) -> IkmSummary:
    """IKM of a government, one of its agencies or one service over ``date_from``…``date_to``
    (inclusive), in one query. ``weight`` defaults to the government's setting."""
    row = _responses(
        government=government, agency=agency, service=service, date_from=date_from,
        date_to=date_to,
    ).aggregate(**_aggregates())  # fmt: skip
    result = ikm.compute(
        count=int(row["count"] or 0),
        tallies=_tallies(row),
        weight=weight or ikm_weight_for(government),
    )
    return IkmSummary(date_from=date_from, date_to=date_to, result=result)


GroupBy = Literal["service", "agency", "month"]


def ikm_breakdown(
    *,
    government: Government,
    by: GroupBy,
    agency: Agency | None = None,
    date_from: dt.date,
    date_to: dt.date,
    weight: ikm.Weight | None = None,
) -> list[IkmSummary]:
    """IKM per service, per agency or per month, in one GROUP BY query."""
    weight = weight or ikm_weight_for(government)
    qs = _responses(
        government=government, agency=agency, service=None, date_from=date_from, date_to=date_to
    )
    group: Any = {"month": TruncMonth("answered_on"), "service": F("service_id")}.get(
        by, F("agency_id")
    )
    rows: Any = qs.annotate(group=group).values("group").annotate(**_aggregates()).order_by("group")
    out: list[IkmSummary] = []
    for row in rows:
        key = row["group"]
        if isinstance(key, dt.datetime):
            key = key.date()
        result = ikm.compute(count=int(row["count"]), tallies=_tallies(row), weight=weight)
        out.append(IkmSummary(date_from=date_from, date_to=date_to, result=result, key=key))
    return out


def suggestions(
    *,
    government: Government,
    agency: Agency | None = None,
    service: Service | None = None,
    date_from: dt.date,
    date_to: dt.date,
) -> QuerySet[SurveyResponse]:
    """Responses with a free-text suggestion, newest first, for the agency to read."""
    return (
        _responses(
            government=government,
            agency=agency,
            service=service,
            date_from=date_from,
            date_to=date_to,
        )
        .exclude(suggestion="")
        .only("id", "answered_on", "channel", "service_id", "suggestion")
        .order_by("-answered_on", "-id")
    )


def sample_progress_for(
    *,
    government: Government,
    population: int,
    agency: Agency | None = None,
    service: Service | None = None,
    date_from: dt.date,
    date_to: dt.date,
) -> ikm.Progress:
    """Responses collected in the period against the Krejcie-Morgan target for ``population``."""
    collected = _responses(
        government=government, agency=agency, service=service, date_from=date_from,
        date_to=date_to,
    ).count()  # fmt: skip
    return ikm.sample_progress(collected=collected, target=ikm.krejcie_morgan(population))


def kiosk_key_hash(key: str) -> str:
    """How a kiosk key is stored: its SHA-256 (the key itself is 32 random bytes)."""
    return hashlib.sha256(key.encode()).hexdigest()


def kiosk_device_for(*, agency: Agency, key: str) -> KioskDevice | None:
    """The active device of ``agency`` holding ``key``, or None."""
    if not key or len(key) > 100:
        return None
    return KioskDevice.objects.filter(
        agency=agency, key_hash=kiosk_key_hash(key), is_active=True
    ).first()


def kiosk_services(*, agency: Agency) -> QuerySet[Service]:
    """The published services a respondent can pick on the agency's counter tablet."""
    return Service.objects.filter(agency=agency, is_published=True).only("id", "name", "slug")


def ticket_used(ticket: str) -> bool:
    """Has an answer already been given under this kiosk ticket or invitation?"""
    return SurveyResponse.objects.filter(ticket=ticket).exists()


def completed_applications(
    *,
    government: Government,
    agency: Agency | None = None,
    service: Service | None = None,
    date_from: dt.date,
    date_to: dt.date,
) -> int:
    """Applications completed in the period: the service population when no other is given."""
    from loket.applications.models import Application

    qs = Application.objects.filter(
        government=government,
        state="issued",
        completed_at__date__gte=date_from,
        completed_at__date__lte=date_to,
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if service is not None:
        qs = qs.filter(service=service)
    return qs.count()
