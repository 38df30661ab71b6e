"""The IKM report shown in the back office and exported as CSV, XLSX and PDF.

One builder (:func:`build_report`) gathers everything with a fixed number of queries (summary,
breakdown, names of the breakdown rows, and the completed-application count when no population
is entered), so the page and every export show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet

from loket.catalog.models import Service
from loket.organizations.models import Agency, Government
from loket.surveys import ikm, selectors
from loket.surveys.models import SurveyResponse

SUGGESTIONS_IN_EXPORT = 500


@dataclass(frozen=True)
class ElementRow:
    code: str
    name: str
    answered: int
    nrr: Fraction | None
    weighted: Fraction | None

    @property
    def nrr_display(self) -> str:
        return ikm.display(self.nrr) if self.nrr is not None else "—"

    @property
    def weighted_display(self) -> str:
        return ikm.display(self.weighted, 4) if self.weighted is not None else "—"


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    summary: selectors.IkmSummary

    @property
    def ikm_display(self) -> str:
        unit = self.summary.result.unit
        return ikm.display(unit) if unit is not None else "—"


@dataclass(frozen=True)
class IkmReport:
    government: Government
    agency: Agency | None
    service: Service | None
    date_from: dt.date
    date_to: dt.date
    summary: selectors.IkmSummary
    elements: list[ElementRow]
    breakdown_by: str  # "service", "agency" or "" (a single service)
    breakdown: list[BreakdownRow]
    population: int | None
    population_from_applications: bool
    progress: ikm.Progress | None

    @property
    def result(self) -> ikm.IkmResult:
        return self.summary.result

    @property
    def subject_label(self) -> str:
        if self.service is not None:
            return self.service.name
        if self.agency is not None:
            return self.agency.name
        return self.government.name

    @property
    def index_display(self) -> str:
        return ikm.display(self.result.index) if self.result.index is not None else "—"

    @property
    def unit_display(self) -> str:
        return ikm.display(self.result.unit) if self.result.unit is not None else "—"

    @property
    def grade(self) -> str:
        return self.result.grade.value if self.result.grade else "—"

    @property
    def grade_label(self) -> str:
        return self.result.grade.label if self.result.grade else ""

    @property
    def weight_display(self) -> str:
        return "1/9" if self.result.weight is ikm.Weight.EXACT else "0,111"

    @property
    def target(self) -> int | None:
        return self.progress.target if self.progress else None

    @property
    def percent_display(self) -> str:
        return ikm.display(self.progress.percent, 1) if self.progress else "—"


def build_report(
    *,
    government: Government,
    agency: Agency | None,
    service: Service | None,
    date_from: dt.date,
    date_to: dt.date,
    population: int | None = None,
    weight: ikm.Weight | None = None,
) -> IkmReport:
    """IKM of a government, an agency or one service over the period, with the breakdown one
    level down and the sample-size progress (``population`` entered, else completed
    applications of the period)."""
    weight = weight or selectors.ikm_weight_for(government)
    summary = selectors.ikm_summary(
        government=government, agency=agency, service=service, date_from=date_from,
        date_to=date_to, weight=weight,
    )  # fmt: skip
    elements = [
        ElementRow(
            code=code,
            name=str(ikm.ELEMENT_NAMES[code]),
            answered=summary.result.tallies[code].answered,
            nrr=summary.result.nrr[code],
            weighted=(
                ikm.weighted_nrr(value, weight)
                if (value := summary.result.nrr[code]) is not None
                else None
            ),
        )
        for code in ikm.ELEMENTS
    ]
    breakdown_by = "" if service is not None else ("service" if agency is not None else "agency")
    breakdown: list[BreakdownRow] = []
    if breakdown_by:
        groups = selectors.ikm_breakdown(
            government=government, by="service" if agency else "agency", agency=agency,
            date_from=date_from, date_to=date_to, weight=weight,
        )  # fmt: skip
        model: Any = Service if agency is not None else Agency
        names = dict(
            model.objects.filter(pk__in=[g.key for g in groups if g.key is not None]).values_list(
                "pk", "name"
            )
        )
        breakdown = [BreakdownRow(label=str(names.get(g.key, "—")), summary=g) for g in groups]
    from_applications = population is None
    if population is None:
        population = selectors.completed_applications(
            government=government, agency=agency, service=service, date_from=date_from,
            date_to=date_to,
        )  # fmt: skip
    progress = (
        ikm.sample_progress(collected=summary.count, target=ikm.krejcie_morgan(population))
        if population
        else None
    )
    return IkmReport(
        government=government,
        agency=agency,
        service=service,
        date_from=date_from,
        date_to=date_to,
        summary=summary,
        elements=elements,
        breakdown_by=breakdown_by,
        breakdown=breakdown,
        population=population or None,
        population_from_applications=from_applications,
        progress=progress,
    )


def report_suggestions(report: IkmReport) -> QuerySet[SurveyResponse]:
    """The free-text suggestions behind the report, newest first, with the service name."""
    return (
        selectors.suggestions(
            government=report.government, agency=report.agency, service=report.service,
            date_from=report.date_from, date_to=report.date_to,
        )
        .select_related("service")
        .only("id", "answered_on", "channel", "suggestion", "service__id", "service__name")
    )  # fmt: skip
