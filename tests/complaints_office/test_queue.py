"""The queue page: tabs, filters, search, pagination, SLA badges and escalation level."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from loket.workflow.models import SlaTimer
from loket.workflow.services import sync_clock_columns
from tests.complaints_office.conftest import signed_in

pytestmark = pytest.mark.django_db

QUEUE = reverse("complaints_office:queue")


def rows(body: str) -> list[str]:
    return [part.split('"')[0] for part in body.split('data-testid="row-')[1:]]


def test_tabs_split_the_work(org, drive):
    received = drive("received")
    verifying = drive("verification")
    waiting = drive("waiting")
    client = signed_in(org.coordinator)
    assert rows(client.get(QUEUE).content.decode()) == [received.tracking_number]
    assert rows(client.get(QUEUE + "?antrean=to_dispatch").content.decode()) == [
        verifying.tracking_number
    ]
    assert rows(client.get(QUEUE + "?antrean=waiting").content.decode()) == [
        waiting.tracking_number
    ]
    mine = signed_in(org.handler).get(QUEUE + "?antrean=mine").content.decode()
    assert rows(mine) == [waiting.tracking_number]
    agency = signed_in(org.liaison).get(QUEUE).content.decode()
    assert rows(agency) == [waiting.tracking_number]


def test_row_shows_number_title_category_agency_state_and_secret_marker(org, drive):
    c = drive("dispatched", visibility="confidential", title="Lampu jalan mati")
    body = signed_in(org.liaison).get(QUEUE + "?antrean=all").content.decode()
    row = body.split(f'data-testid="row-{c.tracking_number}"')[1].split("</tr>")[0]
    for text in ("Lampu jalan mati", "Rahasia", "Jalan rusak", org.pupr.name, "Didisposisikan"):
        assert text in row


def test_search_by_number_and_title(org, drive):
    a = drive("received", title="Sampah menumpuk di pasar")
    b = drive("received", title="Jalan berlubang")
    client = signed_in(org.coordinator)
    found = rows(client.get(QUEUE, {"antrean": "all", "q": a.tracking_number}).content.decode())
    assert found == [a.tracking_number]
    found = rows(client.get(QUEUE, {"antrean": "all", "q": "berlubang"}).content.decode())
    assert found == [b.tracking_number]


def test_filters_category_status_agency_region_period(org, drive):
    road = drive("dispatched")
    trash = drive("received", category=org.trash, region=org.village2)
    client = signed_in(org.coordinator)

    def found(**params):
        response = client.get(QUEUE, {"antrean": "all", **params})
        assert response.status_code == 200
        return rows(response.content.decode())

    assert found(category=org.trash.pk) == [trash.tracking_number]
    assert found(category=org.infra.pk) == [road.tracking_number]  # sub-categories included
    assert found(status="dispatched") == [road.tracking_number]
    assert found(agency=org.pupr.pk) == [road.tracking_number]
    assert found(region="18.71.02") == [trash.tracking_number]
    today = timezone.localdate().isoformat()
    assert set(found(since=today, until=today)) == {road.tracking_number, trash.tracking_number}
    assert found(until="2000-01-01") == []


def test_agency_filter_only_for_coordinators(org, drive):
    drive("dispatched")
    assert 'name="agency"' in signed_in(org.coordinator).get(QUEUE).content.decode()
    assert 'name="agency"' not in signed_in(org.liaison).get(QUEUE).content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"category": "abc"},
        {"status": "melayang"},
        {"since": "kemarin"},
        {"since": "2026-05-02", "until": "2026-05-01"},
        {"agency": "999999"},
    ],
)
def test_bad_filters_are_400_with_a_message(org, drive, params):
    drive("received")
    response = signed_in(org.coordinator).get(QUEUE, params)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'role="alert"' in body and 'class="errorlist"' in body


def test_pagination(org, drive, submit):
    made = [submit(title=f"Laporan {n}") for n in range(27)]
    client = signed_in(org.coordinator)
    first = client.get(QUEUE, {"antrean": "all"}).content.decode()
    assert len(rows(first)) == 25 and 'rel="next"' in first
    second = client.get(QUEUE, {"antrean": "all", "hal": "2"}).content.decode()
    assert len(rows(second)) == 2 and 'rel="prev"' in second and 'rel="next"' not in second
    assert set(rows(first)) | set(rows(second)) == {c.tracking_number for c in made}
    assert client.get(QUEUE, {"hal": "banyak"}).status_code == 200


def test_overdue_at_risk_badges_and_escalation_level(org, drive):
    late = drive("dispatched", title="Terlambat")
    risky = drive("dispatched", title="Rawan")
    calm = drive("dispatched", title="Tenang")
    now = timezone.now()
    SlaTimer.objects.filter(subject_id=str(late.pk), stage="follow_up").update(
        deadline=now - timedelta(days=1), escalation_level=2
    )
    SlaTimer.objects.filter(subject_id=str(risky.pk), stopped_at__isnull=True).update(
        at_risk_at=now - timedelta(hours=1)
    )
    for c in (late, risky):
        sync_clock_columns(c)
    client = signed_in(org.supervisor)
    body = client.get(QUEUE, {"antrean": "all"}).content.decode()

    def row(c):
        return body.split(f'data-testid="row-{c.tracking_number}"')[1].split("</tr>")[0]

    assert "Lewat tenggat" in row(late) and "Tingkat 2" in row(late)
    assert "Hampir jatuh tempo" in row(risky) and "Lewat tenggat" not in row(risky)
    assert "Lewat tenggat" not in row(calm) and "Hampir jatuh tempo" not in row(calm)
    assert rows(body)[0] == late.tracking_number  # most urgent first
    assert rows(client.get(QUEUE, {"antrean": "overdue"}).content.decode()) == [
        late.tracking_number
    ]
    assert rows(client.get(QUEUE, {"antrean": "at_risk"}).content.decode()) == [
        risky.tracking_number
    ]
    detail = client.get(reverse("complaints_office:detail", args=[late.pk])).content.decode()
    assert "Lewat tenggat" in detail and "Tingkat 2" in detail


def test_htmx_filter_answers_the_results_only(org, drive):
    c = drive("received")
    response = signed_in(org.coordinator).get(
        QUEUE, {"q": c.tracking_number}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div id="queue-results">') and "<html" not in body
    assert rows(body) == [c.tracking_number]
