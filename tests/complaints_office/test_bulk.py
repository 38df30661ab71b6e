"""Bulk dispatch from the queue: by the routing table or to one agency, a result per number."""

from __future__ import annotations

import pytest
from django.urls import reverse

from loket.complaints.models import Complaint
from tests.complaints_office.conftest import signed_in

pytestmark = pytest.mark.django_db

URL = reverse("complaints_office:bulk_dispatch")


def test_queue_offers_checkboxes_for_reports_in_verification(org, drive):
    ready = drive("verification")
    fresh = drive("received")
    body = (
        signed_in(org.coordinator)
        .get(reverse("complaints_office:queue") + "?antrean=all")
        .content.decode()
    )
    assert 'data-testid="bulk-form"' in body
    assert f'name="ids" value="{ready.pk}"' in body
    assert f'name="ids" value="{fresh.pk}"' not in body


def test_bulk_dispatch_by_routing_table(routes, drive):
    org = routes
    road = drive("verification")
    trash = drive("verification", category=org.trash)
    unrouted = drive("verification", category=org.infra)
    not_ready = drive("received")
    foreign = Complaint.objects.create(
        government=org.other_gov,
        tracking_number="X-2026-000001",
        category=org.foreign_cat,
        title="Luar",
        description="Luar",
        region=org.foreign_village,
    )
    ids = [road.pk, trash.pk, unrouted.pk, not_ready.pk, foreign.pk]
    response = signed_in(org.coordinator).post(URL, {"ids": ids, "agency": "rute"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 laporan didisposisikan" in body
    road.refresh_from_db()
    trash.refresh_from_db()
    assert (road.state, road.agency_id) == ("dispatched", org.pupr.pk)
    assert (trash.state, trash.agency_id) == ("dispatched", org.dlh.pk)
    failed = body.split('data-testid="bulk-failed"')[1]
    assert unrouted.tracking_number in failed and "aturan disposisi" in failed
    assert not_ready.tracking_number in failed
    assert f"#{foreign.pk}" in failed and "X-2026-000001" not in body
    assert Complaint.objects.get(pk=unrouted.pk).state == "verification"


def test_bulk_dispatch_to_one_agency(org, drive):
    a, b = drive("verification"), drive("verification")
    response = signed_in(org.coordinator).post(URL, {"ids": [a.pk, b.pk], "agency": org.dlh.pk})
    assert response.status_code == 200
    assert set(
        Complaint.objects.filter(pk__in=[a.pk, b.pk]).values_list("agency_id", flat=True)
    ) == {org.dlh.pk}


@pytest.mark.parametrize(
    "data",
    [{}, {"ids": ["abc"], "agency": "rute"}, {"ids": ["1"], "agency": "999999"}],
    ids=["nothing-chosen", "bad-id", "unknown-agency"],
)
def test_bulk_dispatch_bad_input_is_400(org, drive, data):
    c = drive("verification")
    if data.get("ids") == ["1"]:
        data = {**data, "ids": [str(c.pk)]}
    response = signed_in(org.coordinator).post(URL, data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert Complaint.objects.get(pk=c.pk).state == "verification"


def test_bulk_dispatch_to_a_foreign_agency_is_refused(org, drive):
    c = drive("verification")
    response = signed_in(org.coordinator).post(
        URL, {"ids": [c.pk], "agency": org.foreign_agency.pk}
    )
    assert response.status_code == 400
    assert Complaint.objects.get(pk=c.pk).state == "verification"


@pytest.mark.parametrize("role", ["liaison", "handler", "supervisor", "leader", "counter"])
def test_bulk_dispatch_is_for_coordinators_only(org, drive, role):
    c = drive("verification")
    response = signed_in(getattr(org, role)).post(URL, {"ids": [c.pk], "agency": "rute"})
    assert response.status_code == 404
    assert Complaint.objects.get(pk=c.pk).state == "verification"
