"""Every page runs the same number of queries whatever the number of reports: measured with
a little data, then asserted as the maximum with much more."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.complaints_portal.conftest import jpeg


def _count(client: Client, url: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _grow(org, drive, n: int) -> None:
    for i in range(n):
        drive(
            "in_progress" if i % 2 else "dispatched",
            visibility="public",
            title=f"Laporan {i}",
            photos=[jpeg()] if i % 3 == 0 else [],
            category=org.trash if i % 2 else org.road,
        )
        drive("received", title=f"Rahasia {i}", reporter=org.reporter)


def test_constant_queries_on_every_page(org, drive, citizen_client, django_assert_max_num_queries):
    first = drive("dispatched", visibility="public", photos=[jpeg()])
    anon = Client()
    box = {"bbox": "105.0,-5.6,105.5,-5.3"}
    pages = {
        "list": (anon, "/pengaduan/", None),
        "list-filtered": (anon, "/pengaduan/", {"kategori": org.infra.pk, "status": "open"}),
        "map-data": (anon, "/pengaduan/peta/data/", box),
        "map": (anon, "/pengaduan/peta/", None),
        "tracking": (anon, reverse("complaints:track", args=[first.tracking_number]), None),
        "report": (anon, reverse("complaints:detail", args=[first.tracking_number]), None),
        "mine": (citizen_client, "/pengaduan/saya/", None),
        "mine-detail": (
            citizen_client,
            reverse("complaints:mine_detail", args=[first.tracking_number]),
            None,
        ),
        "form": (citizen_client, "/pengaduan/lapor/", None),
    }
    small = {name: _count(client, url, data) for name, (client, url, data) in pages.items()}
    _grow(org, drive, 8)
    for name, (client, url, data) in pages.items():
        with django_assert_max_num_queries(small[name]):
            response = client.get(url, data or {})
        assert response.status_code == 200, name
    listed = anon.get("/pengaduan/").content.decode()
    assert "Laporan 7" in listed  # the bigger data set was really on the page
    assert small["list"] <= 8 and small["map-data"] <= 4, small
