"""The small world the security tests probe: two agencies of one government, users in every
role, and realistic objects built through the modules' own services.

``World.kwargs(builder)`` returns the URL kwargs of an object owned by ``world.citizen`` (or
belonging to ``world.agency``); the builders are the names used as ``obj`` in url_policy.py.
Add a builder here when a module's object URLs join the matrix.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from loket.accounts.models import User
from loket.organizations.models import Agency, Government, Role
from tests import factories as f

# Documents and bills are issued for a subject; here the subject is the citizen's own user row
# and only that user may download / see them (registered for the duration of a test).
SUBJECT_LABEL = "accounts.user"


def _owner_only(user: Any, thing: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and str(user.pk) == thing.subject_id)


def register_subject_access() -> Callable[[], None]:
    from loket.documents.access import register_document_access, unregister_document_access
    from loket.payments.registry import register_bill_access, unregister_bill_access

    register_document_access(SUBJECT_LABEL, _owner_only)
    register_bill_access(SUBJECT_LABEL, _owner_only)

    def undo() -> None:
        unregister_document_access(SUBJECT_LABEL)
        unregister_bill_access(SUBJECT_LABEL)

    return undo


def jpeg_bytes(size: tuple[int, int] = (32, 24)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(out, "JPEG")
    return out.getvalue()


@dataclass
class World:
    government: Government
    agency: Agency
    other_agency: Agency
    other_government: Government
    citizen: User
    stranger: User
    officer: User  # supervisor of ``agency``
    officer_other: User  # supervisor of ``other_agency`` (same government)
    officer_nocap: User  # PPID officer of ``agency``: back office only
    admin: User  # platform administrator of ``government``
    cache: dict[str, dict[str, Any]] = field(default_factory=dict)

    def users(self) -> dict[str, User | None]:
        return {
            "anon": None,
            "citizen": self.citizen,
            "stranger": self.stranger,
            "officer_nocap": self.officer_nocap,
            "officer_other": self.officer_other,
            "officer": self.officer,
            "admin": self.admin,
        }

    def kwargs(self, builder: str) -> dict[str, Any]:
        if builder not in self.cache:
            self.cache[builder] = BUILDERS[builder](self)
        return self.cache[builder]

    # --- objects --------------------------------------------------------------------------
    def service(self, **overrides: Any) -> Any:
        from tests.catalog.conftest import make_service

        return make_service(self.agency, **overrides)

    def notification(self, *, title: str = "Halo", body: str = "Isi") -> Any:
        from loket.notifications.models import Notification

        return Notification.objects.create(
            recipient=self.citizen, kind="test.hello", title=title, body=body, url="/"
        )

    def stored_file(self) -> Any:
        from loket.core.files import store_upload

        upload = SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg")
        return store_upload(uploaded=upload, purpose="security-test", owner=self.citizen).file

    def document(self, **overrides: Any) -> Any:
        from loket.documents.services import DocumentField, issue_document

        values: dict[str, Any] = {
            "subject": self.citizen,
            "government": self.government,
            "agency": self.agency,
            "title": "Surat Keterangan Domisili",
            "applicant_name": "Budi Santoso",
            "decision": "Menerangkan bahwa yang bersangkutan berdomisili di wilayah ini.",
            "fields": [DocumentField("Alamat", "Jl. Pahlawan No. 1")],
            "signatory_name": "Dra. Siti Aminah",
            "signatory_position": "Kepala Dinas",
            "actor": None,
        }
        values.update(overrides)
        return issue_document(**values)

    def bill(self) -> Any:
        from loket.payments.services import bill_create

        return bill_create(
            subject=self.citizen,
            government=self.government,
            agency=self.agency,
            amount=25_000,
            description="Retribusi uji",
            actor=None,
        )


def _service_kwargs(world: World) -> dict[str, Any]:
    return {"pk": world.service(published=False).pk}


def _published_service_kwargs(world: World) -> dict[str, Any]:
    service = world.service(published=True)
    return {"government_slug": world.government.slug, "slug": service.slug}


def _service_version_kwargs(world: World) -> dict[str, Any]:
    return {"pk": world.service(published=False).pk, "number": 1}


def _own_token_kwargs(world: World) -> dict[str, Any]:
    from loket.api.services import apikey_create

    key, _plain = apikey_create(name="Ponsel", scopes=[], user=world.citizen)
    return {"prefix": key.prefix}


BUILDERS: dict[str, Callable[[World], dict[str, Any]]] = {
    "region": lambda w: {"code": w.government.region.code},
    "government": lambda w: {"slug": w.government.slug},
    "agency": lambda w: {"agency_id": w.agency.pk},
    "notification": lambda w: {"pk": w.notification().pk},
    "service": _service_kwargs,
    "published_service": _published_service_kwargs,
    "service_version": _service_version_kwargs,
    "file": lambda w: {"file_id": w.stored_file().pk},
    "document": lambda w: {"public_id": w.document().public_id},
    "bill": lambda w: {"code": w.bill().code},
    "own_token": _own_token_kwargs,
}


def build_world() -> World:
    gov = f.government("18.71")
    agency = f.agency(gov)
    other_agency = f.agency(gov)
    other_gov = f.government("18.72")
    admin = f.officer(agency, Role.PLATFORM_ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    world = World(
        government=gov,
        agency=agency,
        other_agency=other_agency,
        other_government=other_gov,
        citizen=f.citizen(),
        stranger=f.citizen(),
        officer=f.officer(agency, Role.SUPERVISOR),
        officer_other=f.officer(other_agency, Role.SUPERVISOR),
        officer_nocap=f.officer(agency, Role.PPID_OFFICER),
        admin=admin,
    )
    for user in (world.officer, world.officer_other, world.officer_nocap, world.admin):
        f.with_totp(user)
    return world
