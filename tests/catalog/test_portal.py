"""Citizen pages: the catalogue list with search and filters, and a service's standard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from loket.catalog import services
from loket.catalog.models import Channel
from tests import factories as f
from tests.catalog.conftest import make_service

pytestmark = pytest.mark.django_db


def test_home_card_links_to_catalogue(client):
    body = client.get("/").content.decode()
    assert f'href="{reverse("catalog:home")}"' in body


def test_list_shows_published_services_only(client, agency):
    make_service(agency, name="Surat keterangan domisili")
    make_service(agency, name="Layanan rahasia", published=False)
    response = client.get(reverse("catalog:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Surat keterangan domisili" in body
    assert "Layanan rahasia" not in body
    assert '<label for="id_q">' in body  # labelled controls
    assert 'method="get"' in body


def test_list_search_and_filter_by_query_string(client, gov, agency):
    make_service(
        agency,
        name="Izin penyelenggaraan reklame",
        output="Izin reklame",
        summary="",
        channel=Channel.ONLINE,
    )
    make_service(
        agency,
        name="Surat keterangan domisili",
        output="Surat",
        summary="",
        channel=Channel.COUNTER,
    )
    body = client.get(reverse("catalog:home"), {"q": "Perizinan"}).content.decode()
    assert "Izin penyelenggaraan reklame" in body
    assert "Surat keterangan domisili" not in body
    body = client.get(
        reverse("catalog:home"), {"kanal": "counter", "pemda": gov.slug}
    ).content.decode()
    assert "Surat keterangan domisili" in body
    assert "Izin penyelenggaraan reklame" not in body


def test_invalid_filter_is_400_with_message(client, agency):
    make_service(agency)
    response = client.get(reverse("catalog:home"), {"kanal": "faks", "opd": "abc"})
    assert response.status_code == 400
    assert "Surat keterangan domisili" in response.content.decode()  # still lists
    assert "errorlist" in response.content.decode()


def test_list_paginates(client, agency):
    for n in range(23):
        make_service(agency, name=f"Layanan nomor {n:02d}")
    first = client.get(reverse("catalog:home")).content.decode()
    assert "Layanan nomor 00" in first and "Layanan nomor 22" not in first
    assert "hal=2" in first
    second = client.get(reverse("catalog:home"), {"hal": 2}).content.decode()
    assert "Layanan nomor 22" in second
    # A page number out of range or garbage is not an error.
    assert client.get(reverse("catalog:home"), {"hal": "zzz"}).status_code == 200
    assert client.get(reverse("catalog:home"), {"hal": 99}).status_code == 200


def test_htmx_request_gets_the_results_fragment(client, agency):
    make_service(agency)
    response = client.get(
        reverse("catalog:home"),
        {"q": "domisili"},
        headers={"HX-Request": "true", "HX-Target": "hasil"},
    )
    body = response.content.decode()
    assert "Surat keterangan domisili" in body
    assert "<html" not in body


def _seed(count, gov):
    for n in range(count):
        make_service(f.agency(gov), name=f"Layanan {n}")


def test_list_query_count_is_constant(client, gov, django_assert_max_num_queries):
    _seed(3, gov)
    with django_assert_max_num_queries(6):
        client.get(reverse("catalog:home"), {"q": "layanan", "kanal": "both"})
    _seed(25, gov)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("catalog:home"), {"q": "layanan"}).status_code == 200


def _detail_url(service):
    return reverse("catalog:detail", args=[service.government.slug, service.slug])


def test_detail_shows_standard_public_group_first(client, agency):
    service = make_service(
        agency,
        name="Izin penyelenggaraan reklame",
        fee=150000,
        fee_legal_basis="Perda Kota tentang Pajak Daerah dan Retribusi Daerah",
        time_limit_days=5,
        facilities="Ruang tunggu ber-AC",
        channel=Channel.COUNTER,
    )
    services.agency_pledge_set(actor=None, agency=agency, text="Kami sanggup melayani.")
    response = client.get(_detail_url(service))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rp 150.000" in body
    assert "Perda Kota tentang Pajak Daerah dan Retribusi Daerah" in body
    assert "5 hari kerja" in body
    assert "Kami sanggup melayani." in body
    assert "<li>KTP-el</li>" in body
    assert "Ruang tunggu ber-AC" in body
    # The public group precedes the other components.
    positions = [
        body.index(f'id="komponen-{name}"')
        for name in (
            "requirements",
            "procedure",
            "time_limit_note",
            "fee_note",
            "output_note",
            "complaint_handling",
            "legal_basis",
            "facilities",
            "performance_evaluation",
        )
    ]
    assert positions == sorted(positions)
    assert "Ajukan permohonan" not in body  # counter-only service


def test_free_online_service_shows_disabled_apply_button(client, agency):
    service = make_service(agency, channel=Channel.ONLINE, uses_queue=True)
    body = client.get(_detail_url(service)).content.decode()
    assert "Gratis" in body
    assert "Ajukan permohonan" in body
    assert "disabled" in body and "Segera hadir" in body
    assert "Ambil nomor antrean" in body


def test_detail_of_draft_or_unknown_is_404(client, agency):
    draft = make_service(agency, published=False)
    assert client.get(_detail_url(draft)).status_code == 404
    assert client.get(reverse("catalog:detail", args=["tidak-ada", "x"])).status_code == 404


def test_detail_query_count(client, agency, django_assert_max_num_queries):
    service = make_service(agency)
    with django_assert_max_num_queries(3):
        assert client.get(_detail_url(service)).status_code == 200
