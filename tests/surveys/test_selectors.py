"""IKM computed by the database: one query per summary, hand-worked values."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loket.surveys import ikm, selectors
from loket.surveys.ikm import Grade, Weight
from loket.surveys.models import Channel, SurveyResponse
from loket.surveys.services import survey_weight_set
from tests import factories
from tests.surveys.helpers import service

pytestmark = pytest.mark.django_db

D = dt.date(2026, 3, 10)


def add(gov, svc, scores: dict[str, int | None], day: dt.date = D, **extra) -> SurveyResponse:
    return SurveyResponse.objects.create(
        government=gov,
        agency=svc.agency,
        service=svc,
        channel=Channel.PAPER,
        answered_on=day,
        **{code.lower(): v for code, v in scores.items()},
        **extra,
    )


def boundary_rows(gov, svc, day=D):
    # Same 10 respondents as the pure boundary test: exact → 88.33 (A), 0.111 → 88.245 (B).
    for i in range(10):
        scores = {f"U{n}": (4 if i < 6 else 3) for n in range(1, 7)}
        scores |= {f"U{n}": (4 if i < 4 else 3) for n in range(7, 10)}
        add(gov, svc, scores, day)


@pytest.fixture
def setup():
    gov = factories.government()
    agency = factories.agency(gov)
    return gov, agency, service(gov, agency)


def test_summary_matches_hand_worked_boundary_in_one_query(setup):
    gov, _, svc = setup
    boundary_rows(gov, svc)
    with CaptureQueriesContext(connection) as ctx:
        summary = selectors.ikm_summary(government=gov, service=svc, date_from=D, date_to=D)
    assert len(ctx.captured_queries) == 1
    assert summary.count == 10
    assert summary.result.nrr["U1"] == Fraction("3.6")
    assert summary.result.nrr["U9"] == Fraction("3.4")
    assert summary.result.unit == Fraction("31.8") * 25 / 9
    assert summary.result.grade is Grade.A


def test_government_weight_setting_flips_the_grade(setup):
    gov, agency, svc = setup
    boundary_rows(gov, svc)
    assert selectors.ikm_weight_for(gov) is Weight.EXACT
    actor = factories.officer(agency, "supervisor")
    survey_weight_set(government=gov, weight=Weight.ROUNDED, actor=actor)
    gov.refresh_from_db()
    assert gov.settings["ikm_weight"] == "0.111"
    assert selectors.ikm_weight_for(gov) is Weight.ROUNDED
    summary = selectors.ikm_summary(government=gov, date_from=D, date_to=D)
    assert summary.result.unit == Fraction("88.245")
    assert summary.result.grade is Grade.B
    from loket.core.models import AuditEvent

    event = AuditEvent.objects.get(action="survey.weight_set")
    assert event.payload == {"before": "exact", "after": "0.111"}


def test_unknown_weight_setting_falls_back_to_exact(setup):
    gov, _, _ = setup
    gov.settings = {"ikm_weight": "0.1"}
    assert selectors.ikm_weight_for(gov) is Weight.EXACT


def test_unanswered_elements_leave_the_denominator_in_the_database(setup):
    gov, _, svc = setup
    add(gov, svc, dict.fromkeys(ikm.ELEMENTS, 4))
    skipped = dict.fromkeys(ikm.ELEMENTS, 2)
    skipped["U3"] = None
    add(gov, svc, skipped)
    summary = selectors.ikm_summary(government=gov, date_from=D, date_to=D)
    assert summary.result.tallies["U3"] == ikm.ElementTally(4, 1)
    assert summary.result.nrr["U3"] == 4
    assert summary.result.unit == Fraction(28 * 25, 9)


def test_filters_by_period_agency_service_and_government(setup):
    gov, agency, svc = setup
    other_svc = service(gov, factories.agency(gov))
    other_gov = factories.government("18.01")
    foreign = service(other_gov, factories.agency(other_gov))
    add(gov, svc, dict.fromkeys(ikm.ELEMENTS, 4))
    add(gov, svc, dict.fromkeys(ikm.ELEMENTS, 1), day=D - dt.timedelta(days=40))  # outside
    add(gov, other_svc, dict.fromkeys(ikm.ELEMENTS, 2))
    add(other_gov, foreign, dict.fromkeys(ikm.ELEMENTS, 1))
    period = {"date_from": D - dt.timedelta(days=10), "date_to": D}
    assert selectors.ikm_summary(government=gov, **period).count == 2
    by_agency = selectors.ikm_summary(government=gov, agency=agency, **period)
    assert by_agency.count == 1 and by_agency.result.unit == 100
    by_service = selectors.ikm_summary(government=gov, service=other_svc, **period)
    assert by_service.result.unit == 50
    # A service of another government never leaks into this government's figures.
    assert selectors.ikm_summary(government=gov, service=foreign, **period).count == 0


def test_empty_period_has_no_index(setup):
    gov, _, _ = setup
    summary = selectors.ikm_summary(government=gov, date_from=D, date_to=D)
    assert summary.count == 0
    assert summary.result.unit is None and summary.result.grade is None
    assert summary.as_dict()["nrr"]["U1"] is None


def test_breakdowns_are_one_group_by_query_each(setup):
    gov, agency, svc = setup
    svc2 = service(gov, agency)
    add(gov, svc, dict.fromkeys(ikm.ELEMENTS, 4), day=dt.date(2026, 1, 5))
    add(gov, svc, dict.fromkeys(ikm.ELEMENTS, 2), day=dt.date(2026, 2, 5))
    add(gov, svc2, dict.fromkeys(ikm.ELEMENTS, 3), day=dt.date(2026, 2, 6))
    period = {"date_from": dt.date(2026, 1, 1), "date_to": dt.date(2026, 2, 28)}
    with CaptureQueriesContext(connection) as ctx:
        per_service = selectors.ikm_breakdown(government=gov, by="service", **period)
        per_month = selectors.ikm_breakdown(government=gov, by="month", **period)
        per_agency = selectors.ikm_breakdown(government=gov, by="agency", **period)
    assert len(ctx.captured_queries) == 3
    assert {s.key: s.result.unit for s in per_service} == {svc.pk: 75, svc2.pk: 75}
    assert [(s.key, s.count, s.result.unit) for s in per_month] == [
        (dt.date(2026, 1, 1), 1, 100),
        (dt.date(2026, 2, 1), 2, Fraction(125, 2)),
    ]
    assert [(s.key, s.count) for s in per_agency] == [(agency.pk, 3)]


def test_suggestions_and_sample_progress(setup):
    gov, _, svc = setup
    add(gov, svc, dict.fromkeys(ikm.ELEMENTS, 4), suggestion="Antrean terlalu panjang")
    add(gov, svc, dict.fromkeys(ikm.ELEMENTS, 4))
    found = selectors.suggestions(government=gov, service=svc, date_from=D, date_to=D)
    assert [r.suggestion for r in found] == ["Antrean terlalu panjang"]
    progress = selectors.sample_progress_for(
        government=gov, service=svc, population=100, date_from=D, date_to=D
    )
    assert (progress.collected, progress.target, progress.remaining) == (2, 80, 78)
    assert progress.percent == Fraction(5, 2)
