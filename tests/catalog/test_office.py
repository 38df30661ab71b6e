"""Back office: an officer with CATALOG_EDIT edits the services of their own agencies only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from loket.catalog.models import AgencyPledge, Service, ServiceVersion, Theme
from loket.core.models import AuditEvent
from loket.organizations.models import Role
from tests import factories as f
from tests.catalog.conftest import login_officer, make_service

pytestmark = pytest.mark.django_db


def _form_data(theme=None, **overrides):
    data = {
        "name": "Surat keterangan domisili",
        "summary": "Keterangan tempat tinggal.",
        "theme": (theme or Theme.objects.get(slug="surat-keterangan")).pk,
        "channel": "both",
        "fee": "0",
        "fee_legal_basis": "",
        "time_limit_days": "2",
        "output": "Surat keterangan domisili",
        "external_url": "",
        "keywords": "skd",
        "legal_basis": "UU 25/2009",
        "requirements": "KTP-el\nKartu Keluarga",
        "procedure": "Ajukan\nPeriksa\nTerbit",
        "complaint_handling": "Menu Pengaduan",
        "change_note": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def editor(client, agency):
    user = f.officer(agency, Role.SUPERVISOR)
    login_officer(client, user)
    return user


def test_nav_entry_for_editors_only(client, agency, editor):
    body = client.get("/kantor/").content.decode()
    assert reverse("catalog_office:list") in body
    client.logout()
    login_officer(client, f.officer(agency, Role.HANDLER))
    assert reverse("catalog_office:list") not in client.get("/kantor/").content.decode()


def test_create_edit_publish_history_journey(client, agency, editor):
    response = client.post(reverse("catalog_office:create"), _form_data(agency=agency.pk))
    service = Service.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog_office:edit", args=[service.pk])
    assert not service.is_published

    edit_url = reverse("catalog_office:edit", args=[service.pk])
    page = client.get(edit_url).content.decode()
    assert 'value="Surat keterangan domisili"' in page
    response = client.post(
        edit_url, _form_data(name="Surat keterangan domisili penduduk", change_note="Nama")
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.current_version.number == 2
    assert service.name == "Surat keterangan domisili penduduk"

    client.post(reverse("catalog_office:publish", args=[service.pk]), {"action": "publish"})
    service.refresh_from_db()
    assert service.is_published

    history = client.get(reverse("catalog_office:history", args=[service.pk]))
    assert history.status_code == 200
    body = history.content.decode()
    assert "Nama" in body and editor.full_name in body
    old = client.get(reverse("catalog_office:version", args=[service.pk, 1]))
    assert old.status_code == 200
    assert "Surat keterangan domisili penduduk" not in old.content.decode()
    assert client.get(reverse("catalog_office:version", args=[service.pk, 9])).status_code == 404

    actions = set(
        AuditEvent.objects.filter(object_type="catalog.service").values_list("action", flat=True)
    )
    assert actions == {
        "catalog.service.created",
        "catalog.service.updated",
        "catalog.service.published",
    }
    assert all(
        e.actor_id == editor.pk for e in AuditEvent.objects.filter(object_type="catalog.service")
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Nama layanan wajib diisi."),
        ({"fee": "-5000"}, "Biaya tidak boleh negatif."),
        ({"fee": "abc"}, "bilangan"),
        ({"fee": "25000", "fee_legal_basis": ""}, "dasar hukum biayanya"),
        ({"time_limit_days": "0"}, "paling sedikit 1 hari kerja"),
        ({"time_limit_days": ""}, "wajib"),
        ({"channel": "merpati"}, "Pilih"),
        ({"requirements": ""}, "wajib"),
        ({"external_url": "bukan url"}, "URL"),
    ],
)
def test_bad_input_shows_errors_and_saves_nothing(client, agency, editor, overrides, message):
    response = client.post(
        reverse("catalog_office:create"), _form_data(agency=agency.pk, **overrides)
    )
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert not Service.objects.exists()

    service = make_service(agency)
    response = client.post(
        reverse("catalog_office:edit", args=[service.pk]), _form_data(**overrides)
    )
    assert response.status_code == 400
    assert ServiceVersion.objects.filter(service=service).count() == 1


def test_create_for_foreign_agency_is_refused(client, agency, editor):
    other = f.agency(agency.government)
    response = client.post(reverse("catalog_office:create"), _form_data(agency=other.pk))
    assert response.status_code == 400
    assert not Service.objects.exists()


def test_unknown_publish_action_is_400(client, agency, editor):
    service = make_service(agency, published=False)
    response = client.post(
        reverse("catalog_office:publish", args=[service.pk]), {"action": "hapus"}
    )
    assert response.status_code == 400
    service.refresh_from_db()
    assert not service.is_published


def test_pledge_edit(client, agency, editor):
    url = reverse("catalog_office:pledge", args=[agency.pk])
    assert client.post(url, {"text": "  "}).status_code == 400
    assert not AgencyPledge.objects.exists()
    assert client.post(url, {"text": "Kami sanggup."}).status_code == 302
    assert AgencyPledge.objects.get(agency=agency).text == "Kami sanggup."
    other = f.agency(agency.government)
    assert (
        client.post(reverse("catalog_office:pledge", args=[other.pk]), {"text": "x"}).status_code
        == 404
    )


def _office_urls(service):
    return [
        ("get", reverse("catalog_office:edit", args=[service.pk])),
        ("get", reverse("catalog_office:history", args=[service.pk])),
        ("get", reverse("catalog_office:version", args=[service.pk, 1])),
        ("post", reverse("catalog_office:publish", args=[service.pk])),
        ("post", reverse("catalog_office:edit", args=[service.pk])),
    ]


def test_other_agency_service_is_404(client, agency, editor):
    foreign = make_service(f.agency(agency.government), published=False)
    for method, url in _office_urls(foreign):
        data = {"action": "publish"} if "terbit" in url else _form_data()
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
        assert response.status_code == 404, url
    foreign.refresh_from_db()
    assert not foreign.is_published
    assert foreign.versions.count() == 1
    assert foreign.name not in client.get(reverse("catalog_office:list")).content.decode()


@pytest.mark.parametrize("role", [Role.HANDLER, Role.LIAISON, Role.COORDINATOR, Role.LEADER])
def test_officer_without_catalog_edit_gets_404(client, agency, role):
    service = make_service(agency)
    login_officer(client, f.officer(agency, role))
    assert client.get(reverse("catalog_office:list")).status_code == 404
    assert client.get(reverse("catalog_office:create")).status_code == 404
    for method, url in _office_urls(service):
        response = (
            client.post(url, {"action": "unpublish"}) if method == "post" else client.get(url)
        )
        assert response.status_code == 404, url


def test_citizen_gets_404_and_anonymous_goes_to_login(client, agency):
    service = make_service(agency)
    assert client.get(reverse("catalog_office:list")).status_code == 302
    client.force_login(f.citizen())
    assert client.get(reverse("catalog_office:list")).status_code == 404
    assert client.get(reverse("catalog_office:edit", args=[service.pk])).status_code == 404


def test_platform_admin_edits_any_government(client, agency):
    service = make_service(agency)
    admin = f.officer(f.agency(f.government("18.03")), Role.PLATFORM_ADMIN)
    login_officer(client, admin)
    assert client.get(reverse("catalog_office:edit", args=[service.pk])).status_code == 200
    assert service.name in client.get(reverse("catalog_office:list")).content.decode()


def test_office_pages_query_count_is_constant(
    client, agency, editor, django_assert_max_num_queries
):
    service = make_service(agency)
    for n in range(3):
        make_service(agency, name=f"Layanan {n}")
    counts = {}
    for label, url in (
        ("list", reverse("catalog_office:list")),
        ("history", reverse("catalog_office:history", args=[service.pk])),
        ("edit", reverse("catalog_office:edit", args=[service.pk])),
    ):
        with django_assert_max_num_queries(25) as ctx:
            assert client.get(url).status_code == 200
        counts[label] = len(ctx.captured_queries)
    for n in range(20):
        make_service(agency, name=f"Layanan lagi {n}")
    from loket.catalog import services as catalog_services
    from tests.catalog.conftest import service_input

    for n in range(5):
        catalog_services.service_update(
            actor=None, service=service, data=service_input(summary=f"versi {n}")
        )
    for label, url in (
        ("list", reverse("catalog_office:list")),
        ("history", reverse("catalog_office:history", args=[service.pk])),
        ("edit", reverse("catalog_office:edit", args=[service.pk])),
    ):
        with django_assert_max_num_queries(counts[label]):
            assert client.get(url).status_code == 200


def test_office_list_search_and_drafts(client, agency, editor):
    make_service(agency, name="Izin reklame", output="Izin", summary="", published=False)
    make_service(agency, name="Surat keterangan domisili", output="Surat", summary="")
    body = client.get(reverse("catalog_office:list"), {"q": "perizinan"}).content.decode()
    assert "Izin reklame" in body and "Draf" in body
    assert "Surat keterangan domisili" not in body


def _mark(client, service, action="set"):
    return client.post(
        reverse("catalog_office:complaint_handling", args=[service.pk]), {"action": action}
    )


def test_mark_complaint_handling_service_moves_the_mark(client, agency, editor):
    old = make_service(agency, name="Pengelolaan pengaduan lama")
    new = make_service(agency, name="Pengelolaan pengaduan")
    _mark(client, old)
    old.refresh_from_db()
    assert old.handles_complaints

    page = client.get(reverse("catalog_office:edit", args=[new.pk])).content.decode()
    assert reverse("catalog_office:complaint_handling", args=[new.pk]) in page
    assert 'value="set"' in page
    assert reverse("catalog_office:edit", args=[old.pk]) in page  # where the mark is now

    response = _mark(client, new)
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog_office:edit", args=[new.pk])
    new.refresh_from_db()
    old.refresh_from_db()
    assert new.handles_complaints and not old.handles_complaints
    assert list(Service.objects.filter(handles_complaints=True)) == [new]
    body = client.get(response["Location"]).content.decode()
    assert "menggantikan" in body and "Pengelolaan pengaduan lama" in body
    assert 'value="unset"' in body

    events = AuditEvent.objects.filter(action="catalog.service.complaint_handling_set")
    assert events.count() == 2
    last = events.get(object_id=str(new.pk))
    assert last.actor_id == editor.pk
    assert last.payload == {"handles": True, "agency_id": agency.pk, "replaced": [old.pk]}


def test_unmark_complaint_handling_service(client, agency, editor):
    service = make_service(agency)
    _mark(client, service)
    response = _mark(client, service, "unset")
    assert response.status_code == 302
    service.refresh_from_db()
    assert not service.handles_complaints
    body = client.get(response["Location"]).content.decode()
    assert "bukan lagi layanan pengelolaan pengaduan" in body
    event = AuditEvent.objects.filter(action="catalog.service.complaint_handling_set").latest("pk")
    assert event.payload["handles"] is False and event.actor_id == editor.pk
    # Nothing left to remove: no new audit entry.
    assert _mark(client, service, "unset").status_code == 302
    assert AuditEvent.objects.filter(action="catalog.service.complaint_handling_set").count() == 2


def test_mark_other_service_of_agency_does_not_touch_other_agencies(client, agency, editor):
    other_agency = f.agency(agency.government)
    theirs = make_service(other_agency, name="Pengaduan dinas lain")
    from loket.catalog.services import service_set_handles_complaints

    service_set_handles_complaints(actor=None, service=theirs)
    ours = make_service(agency)
    _mark(client, ours)
    theirs.refresh_from_db()
    ours.refresh_from_db()
    assert theirs.handles_complaints and ours.handles_complaints


def test_complaint_handling_bad_action_and_get(client, agency, editor):
    service = make_service(agency)
    url = reverse("catalog_office:complaint_handling", args=[service.pk])
    assert client.post(url, {"action": "hapus"}).status_code == 400
    assert client.post(url, {}).status_code == 400
    assert client.get(url).status_code == 405
    service.refresh_from_db()
    assert not service.handles_complaints
    assert not AuditEvent.objects.filter(action="catalog.service.complaint_handling_set").exists()


def test_complaint_handling_of_other_agency_is_404(client, agency, editor):
    foreign = make_service(f.agency(agency.government))
    assert _mark(client, foreign).status_code == 404
    foreign.refresh_from_db()
    assert not foreign.handles_complaints
    assert not AuditEvent.objects.filter(action="catalog.service.complaint_handling_set").exists()


@pytest.mark.parametrize("role", [Role.HANDLER, Role.LIAISON, Role.COORDINATOR, Role.LEADER])
def test_complaint_handling_without_catalog_edit_is_404(client, agency, role):
    service = make_service(agency)
    login_officer(client, f.officer(agency, role))
    assert _mark(client, service).status_code == 404
    service.refresh_from_db()
    assert not service.handles_complaints


def test_complaint_handling_needs_csrf(agency):
    from django.test import Client

    service = make_service(agency)
    client = Client(enforce_csrf_checks=True)
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    assert _mark(client, service).status_code == 403
    service.refresh_from_db()
    assert not service.handles_complaints
