"""Filing a report: defaults, numbering, photos, guests, bad input, idempotency, auto-dispatch."""

from __future__ import annotations

import io
import re
import threading
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from PIL import ExifTags, Image

from loket.complaints import selectors, services
from loket.complaints.models import (
    Complaint,
    ComplaintPhoto,
    ComplaintReporter,
    Identity,
    Visibility,
)
from loket.complaints.photos import store_photo
from loket.core.idempotency import IdempotencyConflict
from loket.core.models import AuditEvent, NumberSequence
from loket.notifications.models import Notification
from loket.workflow.selectors import timers_for
from tests.complaints.conftest import PIN
from tests.factories import file_as_guest

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"
)


def jpeg(lat: float | None = None, lng: float | None = None) -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), (90, 90, 90))
    exif = Image.Exif()
    if lat is not None and lng is not None:

        def dms(value):
            value = abs(value)
            d = int(value)
            m = int((value - d) * 60)
            s = ((value - d) * 60 - m) * 60
            return (Fraction(d), Fraction(m), Fraction(s).limit_denominator(1000))

        exif[ExifTags.IFD.GPSInfo] = {
            1: "S" if lat < 0 else "N",
            2: dms(lat),
            3: "E" if lng > 0 else "W",
            4: dms(lng),
        }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


def test_defaults_are_the_safest_and_number_is_readable(org, submit):
    c = submit()
    assert c.visibility == Visibility.CONFIDENTIAL
    assert c.identity == Identity.ANONYMOUS
    assert c.state == "received"
    assert re.fullmatch(rf"{org.gov.tracking_prefix}-\d{{4}}-000001", c.tracking_number)
    assert submit().tracking_number.endswith("-000002")
    timers = list(timers_for(c, running_only=True))
    assert [(t.stage, t.budget_working_days) for t in timers] == [("triage", 3)]
    assert (
        Notification.objects.filter(recipient=org.reporter, kind="complaint.received").count() == 2
    )


def test_guest_gets_a_token_that_proves_ownership(org):
    complaint, token = file_as_guest(org, guest_phone="0812-3456-7890")
    assert token
    assert services.reporter_owns(complaint, guest_token=token)
    assert not services.reporter_owns(complaint, guest_token="x" * 40)
    reporter = ComplaintReporter.objects.get(complaint=complaint)
    assert reporter.guest_phone == "+6281234567890"


def test_photo_gps_suggests_a_pin_and_is_stripped(org):
    upload = store_photo(uploaded=jpeg(-5.43, 105.26), owner=org.reporter)
    assert upload.pin_suggestion is not None
    assert abs(upload.pin_suggestion[0] + 5.43) < 0.001
    outside = store_photo(uploaded=jpeg(48.85, 2.35), owner=org.reporter)
    assert outside.pin_suggestion is None
    result = services.complaint_submit(
        government=org.gov,
        category=org.road,
        title="Jalan",
        description="Rusak",
        region=org.village,
        reporter=org.reporter,
        photo_file_ids=[str(upload.file.pk)],
        photos=[jpeg()],
    )
    kinds = list(
        ComplaintPhoto.objects.filter(complaint=result.complaint).values_list("kind", flat=True)
    )
    assert kinds == ["before", "before"]


def test_someone_elses_photo_cannot_be_attached(org):
    upload = store_photo(uploaded=jpeg(), owner=org.other_citizen)
    with pytest.raises(ValidationError):
        services.complaint_submit(
            government=org.gov,
            category=org.road,
            title="Jalan",
            description="Rusak",
            region=org.village,
            reporter=org.reporter,
            photo_file_ids=[str(upload.file.pk)],
        )
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"latitude": -12.46, "longitude": 130.84}, "location"),  # Darwin
        ({"latitude": 14.6, "longitude": 121.0}, "location"),  # Manila
        ({"latitude": -6.2, "longitude": 150.0}, "location"),
        ({"latitude": "abc", "longitude": 105.0}, "location"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"title": ""}, "title"),
        ({"category": "TIDAK-ADA"}, "category"),
        ({"category": 999999}, "category"),
        ({"report_class": "gosip"}, "report_class"),
        ({"visibility": "semua"}, "visibility"),
        ({"attributes": {"WARNA": "merah"}}, "attribute[WARNA]"),
        ({"attributes": {"LEBAR": "lebar sekali"}}, "attribute[LEBAR]"),
        ({"reporter": None}, "guest_name"),
        ({"reporter": None, "guest_name": "Tamu"}, "guest_email"),
        ({"photos": [jpeg() for _ in range(6)]}, "photos"),
        ({"idempotency_key": "short"}, "idempotency_key"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(org, submit, change, field):
    audit_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        submit(**change)
    assert field in exc.value.message_dict
    assert all(exc.value.message_dict[field])
    assert not Complaint.objects.exists()
    assert not NumberSequence.objects.filter(name__startswith="complaint:", last__gt=0).exists()
    assert AuditEvent.objects.count() == audit_before


def test_category_and_region_of_another_government_are_refused(org, submit):
    with pytest.raises(ValidationError) as exc:
        submit(category=org.foreign_cat)
    assert "category" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        submit(region=org.foreign_village)
    assert "region" in exc.value.message_dict
    assert not Complaint.objects.exists()


def test_attributes_are_cleaned(org, submit):
    c = submit(attributes={"LEBAR": "40"})
    assert c.attributes == {"LEBAR": 40}


def test_far_pin_is_a_warning_not_an_error(org, submit):
    for _ in range(3):
        submit()

    def file_at(latitude: float):
        return services.complaint_submit(
            government=org.gov,
            category=org.road,
            title="J",
            description="D",
            region=org.village,
            latitude=latitude,
            longitude=PIN[1],
            reporter=org.reporter,
        )

    near = file_at(PIN[0] + 0.005)
    assert near.warnings == []
    far = file_at(PIN[0] + 0.1)
    assert far.warnings and "Kelurahan Satu" in far.warnings[0]
    assert far.complaint.pk  # saved anyway


def test_a_busy_area_keeps_its_centroid_in_the_cache(
    org, submit, monkeypatch, django_assert_num_queries
):
    """An area whose pins fill the sample is read once; a quieter one is read every time, so
    its first pins count at once."""
    monkeypatch.setattr(selectors, "PIN_SAMPLE", 4)
    for _ in range(3):
        submit()
    far = (PIN[0] + 0.1, PIN[1])
    with django_assert_num_queries(1):
        assert selectors.pin_warnings(region=org.village, latitude=far[0], longitude=far[1])
    submit()  # the fourth pin fills the sample
    assert selectors.pin_warnings(region=org.village, latitude=far[0], longitude=far[1])
    with django_assert_num_queries(0):
        warned = selectors.pin_warnings(region=org.village, latitude=far[0], longitude=far[1])
    assert warned and "Kelurahan Satu" in warned[0]


def test_idempotency_key_returns_the_first_report(org):
    kwargs = dict(
        government=org.gov,
        category=org.road,
        title="Jalan",
        description="Rusak",
        region=org.village,
        reporter=org.reporter,
        idempotency_key="draft-0001-abcdef",
    )
    first = services.complaint_submit(**kwargs)
    again = services.complaint_submit(**kwargs)
    assert first.created and not again.created
    assert again.complaint.pk == first.complaint.pk
    assert Complaint.objects.count() == 1
    with pytest.raises(IdempotencyConflict):
        services.complaint_submit(**{**kwargs, "description": "Lain"})


def test_a_filing_is_one_audit_entry_naming_its_notification(org, submit):
    """The reporter's notification is named in the filing's entry, not audited on its own:
    one entry (one turn of the audit chain's lock) per filing, for accounts and guests."""
    from loket.notifications.models import ContactNotification

    before = AuditEvent.objects.count()
    c = submit()
    entry = AuditEvent.objects.get(action="complaint.submitted", object_id=str(c.pk))
    notification = Notification.objects.get(recipient=org.reporter, kind="complaint.received")
    assert entry.payload["notified"] == [f"n{notification.pk}"]
    assert AuditEvent.objects.count() == before + 1

    guest_report, _ = file_as_guest(org, guest_phone="+6281234567890")
    entry = AuditEvent.objects.get(action="complaint.submitted", object_id=str(guest_report.pk))
    contact = ContactNotification.objects.get()
    assert entry.payload["notified"] == [f"c{contact.pk}"]
    assert "+6281234567890" not in str(entry.payload)
    assert not AuditEvent.objects.filter(
        action__in=["notification.create", "notification.contact_create"]
    ).exists()
    assert AuditEvent.objects.count() == before + 2


def test_auto_dispatch_when_the_government_enables_it(routes, submit):
    org = routes
    org.gov.settings = {"complaints": {"auto_dispatch": True}}
    org.gov.save()
    c = submit()
    assert c.state == "dispatched" and c.agency_id == org.pupr.pk
    assert AuditEvent.objects.filter(
        action="complaint.auto_dispatched", object_id=str(c.pk)
    ).exists()
    assert Notification.objects.filter(recipient=org.liaison, kind="complaint.dispatched").exists()
    stages = {t.stage for t in timers_for(c, running_only=True)}
    assert stages == {"follow_up", "settle"}
    stored = Complaint.objects.get(pk=c.pk)  # the returned report carries the new clocks too
    assert (c.sla_deadline, c.sla_at_risk_at) == (stored.sla_deadline, stored.sla_at_risk_at)
    assert c.sla_deadline is not None and c.sla_deadline > c.created_at
    info = submit(report_class="informasi")
    assert info.state == "received"  # information requests are triaged by hand


def test_without_auto_dispatch_reports_wait_for_triage(routes, submit):
    assert submit().state == "received"


# --- concurrency (PostgreSQL) ------------------------------------------------------------------
def _in_threads(n, target):
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def run():
        try:
            barrier.wait()
            target()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pg_only
@pytest.mark.django_db(transaction=True)
def test_tracking_numbers_are_unique_under_concurrency():
    from tests import factories

    gov = factories.government("18.71")
    numbers: list[str] = []
    errors = _in_threads(8, lambda: numbers.append(services.next_tracking_number(government=gov)))
    assert not errors
    assert len(numbers) == 8 and len(set(numbers)) == 8
    assert sorted(int(n[-6:]) for n in numbers) == list(range(1, 9))


@pg_only
@pytest.mark.django_db(transaction=True)
def test_ten_identical_submissions_make_one_report():
    from loket.complaints.models import Category
    from tests import factories

    gov = factories.government("18.71")
    village = factories.region("18.71.01.1001")
    category = Category.objects.create(government=gov, name="Jalan", service_code="C-JALAN")
    reporter = factories.citizen()
    results = []

    def submit_once():
        results.append(
            services.complaint_submit(
                government=gov,
                category=category,
                title="Jalan",
                description="Rusak",
                region=village,
                reporter=reporter,
                idempotency_key="offline-draft-42",
            )
        )

    errors = _in_threads(10, submit_once)
    assert not errors
    assert Complaint.objects.count() == 1
    assert len({r.complaint.pk for r in results}) == 1
    assert sum(r.created for r in results) == 1
