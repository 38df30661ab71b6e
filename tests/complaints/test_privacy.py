"""Anonymous and confidential reports leak nowhere: public selectors, the public view, tracking,
officer reads, notifications, timeline actors and audit payloads."""

from __future__ import annotations

import json

import pytest

from loket.complaints import selectors, services
from loket.complaints.errors import IdentityWithheld
from loket.complaints.models import Complaint
from loket.core.models import AuditEvent
from loket.notifications.models import Notification
from loket.workflow.errors import NotPermitted
from loket.workflow.models import WorkflowEvent
from tests import factories
from tests.complaints.conftest import PIN

BOX = dict(south=PIN[0] - 0.1, west=PIN[1] - 0.1, north=PIN[0] + 0.1, east=PIN[1] + 0.1)


def _everything_public(org):
    listed = [v["number"] for v in selectors.public_complaints().items]
    mapped = [p["number"] for p in selectors.map_points(**BOX)]
    dupes = [
        d["number"]
        for d in selectors.duplicate_candidates(
            category_id=org.trash.pk, latitude=PIN[0], longitude=PIN[1]
        )
    ]
    return set(listed) | set(mapped) | set(dupes)


def test_confidential_reports_are_never_public(org, drive):
    secret = drive("dispatched", category=org.trash, visibility="confidential")
    shown = drive("dispatched", category=org.trash, visibility="public")
    numbers = _everything_public(org)
    assert shown.tracking_number in numbers
    assert secret.tracking_number not in numbers
    with pytest.raises(Complaint.DoesNotExist):
        selectors.public_complaint(number=secret.tracking_number)
    with pytest.raises(ValueError):
        selectors.public_view(Complaint.objects.get(pk=secret.pk))


def test_unverified_public_reports_are_not_published_yet(org, drive):
    fresh = drive("received", category=org.trash, visibility="public")
    assert fresh.tracking_number not in _everything_public(org)


def test_tracking_a_confidential_report_shows_status_not_content(org, drive):
    c = drive("dispatched", category=org.trash, visibility="confidential")
    services.complaint_add_note(complaint=c, actor=org.handler, body="Rahasia isi", public=True)
    view = selectors.tracking_view(number=c.tracking_number)
    assert view.status == "dispatched" and view.agency == str(org.pupr)
    assert view.stage_deadline is not None
    assert view.category is None
    assert all(step["note"] == "" for step in view.timeline)
    text = json.dumps(view.__dict__, default=str)
    assert c.title not in text and c.description not in text
    assert org.reporter.email not in text
    assert selectors.tracking_view(number="BDL-2026-999999") is None


def test_public_view_has_no_reporter(org, drive):
    c = drive("dispatched", category=org.trash, visibility="public", identity="shown")
    view = selectors.public_complaint(number=c.tracking_number)
    text = json.dumps(view, default=str)
    for secret in (org.reporter.email, org.reporter.full_name, str(org.reporter.pk) + '"'):
        assert secret not in text
    assert not {"reporter", "identity", "guest_name", "email", "phone"} & set(view)


def test_anonymous_identity_is_never_revealed(org, drive):
    c = drive("dispatched", identity="anonymous")
    admin = factories.officer(org.kominfo, "coordinator")
    admin.is_superuser = True
    admin.save()
    for officer in (org.coordinator, org.liaison, org.handler, org.supervisor, admin):
        with pytest.raises(IdentityWithheld) as exc:
            services.complaint_reveal_reporter(complaint=c, actor=officer)
        assert exc.value.status == 403
    assert not AuditEvent.objects.filter(action="complaint.identity_viewed").exists()


def test_reveal_of_a_shown_identity_is_audited_and_scoped(org, drive):
    c = drive("dispatched", identity="shown")
    who = services.complaint_reveal_reporter(complaint=c, actor=org.handler)
    assert who.email == org.reporter.email and who.has_account
    event = AuditEvent.objects.get(action="complaint.identity_viewed")
    assert event.actor_id == org.handler.pk and event.object_id == str(c.pk)
    assert org.reporter.email not in json.dumps(event.payload)
    for outsider in (org.dlh_handler, org.foreign_coordinator, org.leader):
        with pytest.raises(NotPermitted):
            services.complaint_reveal_reporter(complaint=c, actor=outsider)
    assert AuditEvent.objects.filter(action="complaint.identity_viewed").count() == 1


def test_anonymous_reporter_leaves_no_trace_in_audit_timeline_or_officer_mail(org, drive):
    c = drive("waiting", identity="anonymous", visibility="public")
    services.complaint_reporter_reply(complaint=c, user=org.reporter, body="Dekat masjid")
    services.complaint_message_reporter(complaint=c, actor=org.handler, body="Terima kasih")
    c.category.requires_after_photo = False
    services.complaint_resolve(complaint=c, actor=org.handler, answer="Beres")
    services.complaint_confirm(complaint=c, user=org.reporter, rating=5)
    reporter = org.reporter
    events = AuditEvent.objects.all()
    assert not events.filter(actor_id=reporter.pk).exists()
    blob = json.dumps(list(events.values_list("payload", flat=True)))
    for secret in (reporter.email, reporter.full_name):
        assert secret not in blob
    assert not WorkflowEvent.objects.filter(actor_id=reporter.pk).exists()
    timeline = selectors.officer_timeline(officer=org.handler, complaint=c)
    assert all(step["actor"] != str(reporter) for step in timeline)
    view = selectors.officer_view(
        selectors.complaint_for_officer(officer=org.handler, complaint_id=c.pk)
    )
    assert reporter.email not in json.dumps(view, default=str)
    assert view["reporter"] == {"identity_revealable": False}
    officer_mail = Notification.objects.exclude(recipient=reporter)
    assert officer_mail.exists()
    for n in officer_mail:
        assert reporter.full_name not in n.title + n.body and reporter.email not in n.body
    # the reporter is still told what happens
    assert Notification.objects.filter(recipient=reporter, kind="complaint.message").exists()


def test_more_private_only(org, drive):
    c = drive("dispatched", visibility="public", identity="shown")
    with pytest.raises(NotPermitted):
        services.complaint_restrict(complaint=c, actor=org.handler, make_confidential=True)
    services.complaint_restrict(complaint=c, actor=org.coordinator, make_confidential=True)
    assert Complaint.objects.get(pk=c.pk).visibility == "confidential"
    services.complaint_restrict(complaint=c, reporter_user=org.reporter, make_anonymous=True)
    fresh = Complaint.objects.get(pk=c.pk)
    assert (fresh.visibility, fresh.identity) == ("confidential", "anonymous")
    with pytest.raises(NotPermitted):
        services.complaint_restrict(
            complaint=c, reporter_user=org.other_citizen, make_anonymous=True
        )


def test_officer_detail_is_404_outside_scope(org, drive):
    c = drive("dispatched")
    assert selectors.complaint_for_officer(officer=org.handler, complaint_id=c.pk).pk == c.pk
    assert selectors.complaint_for_officer(officer=org.coordinator, complaint_id=c.pk).pk == c.pk
    for outsider in (org.dlh_handler, org.foreign_coordinator, org.counter, org.reporter):
        with pytest.raises(NotPermitted):
            selectors.complaint_for_officer(officer=outsider, complaint_id=c.pk)
    with pytest.raises(NotPermitted):
        selectors.complaint_for_officer(officer=org.handler, complaint_id=c.pk + 999)
