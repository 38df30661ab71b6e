"""Services: every edit is a new immutable version, audited; earlier versions stay readable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from loket.catalog import services
from loket.catalog.models import AgencyPledge, Service, ServiceVersion
from loket.core.audit import verify_chain
from loket.core.models import AuditEvent
from loket.organizations.models import Role
from tests import factories as f
from tests.catalog.conftest import make_service, service_input

pytestmark = pytest.mark.django_db


def _events(service):
    return list(
        AuditEvent.objects.filter(object_type="catalog.service", object_id=str(service.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def test_create_writes_version_one_and_audits(agency):
    editor = f.officer(agency, Role.SUPERVISOR)
    service = services.service_create(actor=editor, agency=agency, data=service_input())
    assert service.current_version.number == 1
    assert service.current_version.edited_by == editor
    assert service.government_id == agency.government_id
    assert service.slug == "surat-keterangan-domisili"
    assert not service.is_published
    assert " domisili " in service.search_text
    event = AuditEvent.objects.get(action="catalog.service.created")
    assert event.actor_id == editor.pk
    assert event.government_id == agency.government_id
    assert event.payload["version"] == 1


def test_edit_creates_new_version_and_keeps_the_old(agency):
    editor = f.officer(agency, Role.SUPERVISOR)
    service = make_service(agency)
    new = services.service_update(
        actor=editor,
        service=service,
        data=service_input(
            name="Surat keterangan domisili usaha",
            fee=5000,
            fee_legal_basis="Perda 1/2024",
            requirements="KTP-el",
        ),
        change_note="Tambah domisili usaha",
    )
    assert new is not None and new.number == 2
    service.refresh_from_db()
    assert service.current_version_id == new.pk
    assert service.name == "Surat keterangan domisili usaha"
    assert service.fee == 5000
    assert " usaha " in service.search_text
    old = ServiceVersion.objects.get(service=service, number=1)
    assert old.name == "Surat keterangan domisili"
    assert old.requirement_items == ["KTP-el", "Kartu Keluarga"]
    assert old.fee == 0
    assert new.requirement_items == ["KTP-el"]
    assert new.change_note == "Tambah domisili usaha"
    assert _events(service) == [
        "catalog.service.created",
        "catalog.service.published",
        "catalog.service.updated",
    ]
    updated = AuditEvent.objects.get(action="catalog.service.updated")
    assert updated.payload == {
        "version": 2,
        "changed": ["fee", "fee_legal_basis", "name", "requirements"],
    }
    assert verify_chain().ok


def test_edit_without_change_writes_nothing(agency):
    service = make_service(agency)
    assert services.service_update(actor=None, service=service, data=service_input()) is None
    assert service.versions.count() == 1
    assert "catalog.service.updated" not in _events(service)


def test_versions_are_immutable(agency):
    version = make_service(agency).current_version
    version.name = "Diubah diam-diam"
    with pytest.raises(ValueError, match="immutable"):
        version.save()
    with pytest.raises(ValueError, match="immutable"):
        version.delete()
    assert ServiceVersion.objects.get(pk=version.pk).name == "Surat keterangan domisili"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"fee": -1}, "fee"),
        ({"fee": 10000, "fee_legal_basis": ""}, "fee_legal_basis"),
        ({"time_limit_days": 0}, "time_limit_days"),
        ({"time_limit_days": 400}, "time_limit_days"),
        ({"channel": "fax"}, "channel"),
        ({"requirements": ""}, "requirements"),
        ({"procedure": " "}, "procedure"),
        ({"legal_basis": ""}, "legal_basis"),
    ],
)
def test_bad_input_saves_nothing(agency, overrides, field):
    with pytest.raises(ValidationError) as exc:
        services.service_create(actor=None, agency=agency, data=service_input(**overrides))
    assert field in exc.value.message_dict
    assert not Service.objects.exists()
    service = make_service(agency)
    with pytest.raises(ValidationError):
        services.service_update(actor=None, service=service, data=service_input(**overrides))
    assert service.versions.count() == 1
    assert not AuditEvent.objects.filter(action="catalog.service.updated").exists()


def test_slug_is_unique_per_government(agency):
    first = make_service(agency)
    second = make_service(f.agency(agency.government))
    other_gov = make_service(f.agency(f.government("18.03")))
    assert first.slug == "surat-keterangan-domisili"
    assert second.slug == "surat-keterangan-domisili-2"
    assert other_gov.slug == "surat-keterangan-domisili"


def test_publish_and_unpublish_are_audited_once(agency):
    service = make_service(agency, published=False)
    assert services.service_set_published(actor=None, service=service, published=True)
    assert not services.service_set_published(actor=None, service=service, published=True)
    assert services.service_set_published(actor=None, service=service, published=False)
    assert _events(service) == [
        "catalog.service.created",
        "catalog.service.published",
        "catalog.service.unpublished",
    ]


def test_pledge_set_and_audited(agency):
    services.agency_pledge_set(actor=None, agency=agency, text="Kami siap melayani.")
    services.agency_pledge_set(actor=None, agency=agency, text="Kami siap melayani.")
    services.agency_pledge_set(actor=None, agency=agency, text="Kami siap melayani sepenuh hati.")
    assert AgencyPledge.objects.get(agency=agency).text == "Kami siap melayani sepenuh hati."
    assert AuditEvent.objects.filter(action="catalog.pledge.updated").count() == 2
    with pytest.raises(ValidationError):
        services.agency_pledge_set(actor=None, agency=agency, text="   ")
