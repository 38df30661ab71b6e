"""Lists, map, queues, duplicates and routing; constant query counts at two data sizes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from loket.complaints import selectors, services
from loket.complaints.geo import haversine_m
from loket.complaints.models import Complaint, RoutingRule
from loket.complaints.selectors import ComplaintFilters
from tests import factories
from tests.complaints.conftest import PIN


def _north(metres: float) -> float:
    return PIN[0] + metres / 111_195.0


def test_duplicates_within_250_metres(org, drive):
    near = drive("dispatched", category=org.trash, visibility="public", latitude=_north(200))
    far = drive("dispatched", category=org.trash, visibility="public", latitude=_north(300))
    other_cat = drive("dispatched", category=org.road, visibility="public")
    secret = drive("dispatched", category=org.trash)
    found = selectors.duplicate_candidates(
        category_id=org.trash.pk, latitude=PIN[0], longitude=PIN[1]
    )
    numbers = [d["number"] for d in found]
    assert numbers == [near.tracking_number]
    assert 190 <= found[0]["distance_m"] <= 210
    assert far.tracking_number not in numbers and other_cat.tracking_number not in numbers
    assert secret.tracking_number not in numbers
    assert abs(haversine_m(PIN[0], PIN[1], _north(250), PIN[1]) - 250) < 1


def test_at_most_five_duplicates_nearest_first(org, drive):
    for n in range(7):
        drive("dispatched", category=org.trash, visibility="public", latitude=_north(20 * n))
    found = selectors.duplicate_candidates(
        category_id=org.trash.pk, latitude=PIN[0], longitude=PIN[1]
    )
    assert len(found) == 5
    assert [d["distance_m"] for d in found] == sorted(d["distance_m"] for d in found)


def test_officer_duplicates_include_unverified_and_confidential(org, drive, submit):
    base = submit(category=org.trash)
    twin = submit(category=org.trash, latitude=_north(100))
    found = selectors.officer_duplicate_candidates(officer=org.coordinator, complaint=base)
    assert [c.pk for c, _ in found] == [twin.pk]


def test_routing_most_specific_rule_wins(org):
    agency3 = factories.agency(org.gov, "kecamatan")
    RoutingRule.objects.create(government=org.gov, agency=org.kominfo)
    RoutingRule.objects.create(government=org.gov, category=org.infra, agency=org.dlh)
    assert (
        selectors.route_for(government=org.gov, category=org.road, region=org.village).agency
        == org.dlh
    )
    RoutingRule.objects.create(government=org.gov, category=org.road, agency=org.pupr)
    assert (
        selectors.route_for(government=org.gov, category=org.road, region=org.village).agency
        == org.pupr
    )
    RoutingRule.objects.create(
        government=org.gov, category=org.road, region_prefix="18.71.01", agency=agency3
    )
    assert (
        selectors.route_for(government=org.gov, category=org.road, region=org.village).agency
        == agency3
    )
    assert (
        selectors.route_for(government=org.gov, category=org.road, region=org.village2).agency
        == org.pupr
    )
    assert (
        selectors.route_for(government=org.gov, category=org.trash, region=org.village).agency
        == org.kominfo
    )
    assert (
        selectors.route_for(
            government=org.other_gov, category=org.foreign_cat, region=org.foreign_village
        )
        is None
    )


def test_bulk_dispatch_by_routing(routes, drive):
    org = routes
    a = drive("verification", category=org.road)
    b = drive("verification", category=org.trash)
    c = drive("received")
    result = services.complaint_bulk_dispatch(
        complaint_ids=[a.pk, b.pk, c.pk, 10**9], actor=org.coordinator
    )
    assert set(result.dispatched) == {a.tracking_number, b.tracking_number}
    assert set(result.failed) == {c.tracking_number, f"#{10**9}"}
    assert Complaint.objects.get(pk=b.pk).agency_id == org.dlh.pk


def test_queues(org, drive):
    received = drive("received")
    verifying = drive("verification")
    mine = drive("in_progress")
    waiting = drive("waiting")
    dlh = drive("verification", category=org.trash)
    services.complaint_dispatch(complaint=dlh, actor=org.coordinator, agency=org.dlh)

    def q(officer, queue, **f):
        return {
            c.pk
            for c in selectors.officer_queue(
                officer=officer, queue=queue, filters=ComplaintFilters(**f)
            ).items
        }

    assert q(org.coordinator, "to_verify") == {received.pk}
    assert q(org.coordinator, "to_dispatch") == {verifying.pk}
    assert q(org.handler, "mine") == {mine.pk, waiting.pk}
    assert q(org.handler, "waiting") == {waiting.pk}
    assert q(org.dlh_handler, "agency") == {dlh.pk}
    assert q(org.handler, "to_verify") == set()  # agency roles do not see unrouted reports
    assert q(org.foreign_coordinator, "all") == set()
    assert q(org.coordinator, "all", search=mine.tracking_number) == {mine.pk}
    assert q(org.coordinator, "all", category_id=org.infra.pk) == {
        received.pk,
        verifying.pk,
        mine.pk,
        waiting.pk,
    }
    assert q(org.coordinator, "all", status="waiting") == {waiting.pk}
    later = timezone.now() + timedelta(days=30)
    overdue = {
        c.pk
        for c in selectors.officer_queue(officer=org.coordinator, queue="overdue", now=later).items
    }
    assert received.pk in overdue and waiting.pk not in overdue  # paused clocks are not late


def test_public_filters(org, drive):
    a = drive("dispatched", category=org.road, visibility="public")
    b = drive("dispatched", category=org.trash, visibility="public", region=org.village2)
    closed = drive("closed", category=org.trash, visibility="public")

    def numbers(**f):
        return {
            v["number"] for v in selectors.public_complaints(filters=ComplaintFilters(**f)).items
        }

    assert numbers(category_id=org.infra.pk) == {a.tracking_number}
    assert numbers(region_prefix="18.71.02") == {b.tracking_number}
    assert numbers(status="closed") == {closed.tracking_number}
    assert numbers(status="open") == {a.tracking_number, b.tracking_number}
    page = selectors.public_complaints(page=1, page_size=2)
    assert len(page.items) == 2 and page.has_next
    with pytest.raises(ValueError):
        selectors.map_points(south=1, west=1, north=0, east=2)


def test_support_counts_and_follows(org, drive):
    c = drive("dispatched", visibility="public")
    assert services.complaint_support(complaint=c, user=org.other_citizen)
    assert not services.complaint_support(complaint=c, user=org.other_citizen)
    assert Complaint.objects.get(pk=c.pk).support_count == 1
    secret = drive("dispatched")
    from loket.workflow.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.complaint_support(complaint=secret, user=org.other_citizen)


def _seed(org, drive, n):
    for i in range(n):
        c = drive(
            "dispatched",
            visibility="public",
            category=org.trash if i % 2 else org.road,
            latitude=_north(10 * i),
        )
        services.complaint_support(complaint=c, user=org.other_citizen)


@pytest.mark.parametrize("size", [2, 6])
def test_constant_query_counts(org, drive, size, django_assert_max_num_queries):
    _seed(org, drive, size)
    number = Complaint.objects.first().tracking_number
    with django_assert_max_num_queries(3):
        assert len(selectors.public_complaints().items) == size
    with django_assert_max_num_queries(1):
        assert len(selectors.map_points(south=-6, west=105, north=-5, east=106)) == size
    with django_assert_max_num_queries(3):
        selectors.duplicate_candidates(category_id=org.trash.pk, latitude=PIN[0], longitude=PIN[1])
    with django_assert_max_num_queries(4):
        assert selectors.tracking_view(number=number) is not None
    with django_assert_max_num_queries(3):
        selectors.public_complaint(number=number)
    with django_assert_max_num_queries(2):
        assert len(selectors.officer_queue(officer=org.coordinator, queue="all").items) == size
    with django_assert_max_num_queries(2):
        selectors.officer_queue(officer=org.handler, queue="overdue")
