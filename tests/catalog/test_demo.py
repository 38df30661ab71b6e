"""The demo catalogue: enough realistic, published services, installed once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from loket.catalog.demo import install_demo_catalog
from loket.catalog.models import AgencyPledge, Channel, Service, ServiceVersion
from loket.core.audit import verify_chain
from loket.demo.services import install_demo

pytestmark = pytest.mark.django_db


def test_demo_catalogue_is_large_varied_and_idempotent(client):
    assert install_demo() is True
    services = Service.objects.select_related("agency", "government", "current_version")
    assert services.count() >= 30
    assert len({s.agency_id for s in services}) >= 6
    assert {s.government.slug for s in services} == {"lampung", "bandar-lampung", "lampung-utara"}
    assert all(s.is_published and s.current_version.number == 1 for s in services)
    assert len({s.theme_id for s in services}) >= 6
    assert {Channel.ONLINE, Channel.COUNTER, Channel.BOTH} <= {s.channel for s in services}

    # Population documents are free by law; levies name their regulation.
    adminduk = services.filter(agency__slug="disdukcapil", handles_complaints=False)
    assert adminduk.count() >= 5 and all(s.fee == 0 for s in adminduk)
    assert all("24 Tahun 2013" in s.current_version.legal_basis for s in adminduk)
    paid = services.filter(fee__gt=0)
    assert paid.exists() and all(s.fee_legal_basis for s in paid)
    assert services.filter(external_url__startswith="https://oss.go.id").exists()
    assert services.filter(uses_queue=True, channel=Channel.ONLINE).exists()
    for service in services:
        version = service.current_version
        assert version.requirement_items and version.procedure_steps
        assert version.complaint_handling and version.legal_basis
    assert AgencyPledge.objects.count() == len({s.agency_id for s in services})

    before = (Service.objects.count(), ServiceVersion.objects.count(), AgencyPledge.objects.count())
    assert install_demo() is False
    assert install_demo_catalog() == 0
    after = (Service.objects.count(), ServiceVersion.objects.count(), AgencyPledge.objects.count())
    assert before == after
    assert verify_chain().ok

    # The catalogue answers the searches a citizen would type.
    body = client.get(reverse("catalog:home"), {"q": "ktp"}).content.decode()
    assert "Penerbitan KTP-el" in body
    body = client.get(reverse("catalog:home"), {"q": "perizinan reklame"}).content.decode()
    assert "Izin penyelenggaraan reklame" in body
    reklame = Service.objects.get(government__slug="bandar-lampung", slug__contains="reklame")
    detail = client.get(
        reverse("catalog:detail", args=["bandar-lampung", reklame.slug])
    ).content.decode()
    assert "Rp 150.000" in detail


def test_catalogue_needs_the_demo_governments():
    assert install_demo_catalog() == 0
    assert not Service.objects.exists()
