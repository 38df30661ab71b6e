"""The survey invitation after a closed complaint: rated under the handling agency's
complaint-handling service, sent once to the reporter (account or guest), answered once."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from loket.catalog.models import Service
from loket.catalog.services import service_set_handles_complaints
from loket.complaints import services, survey
from loket.complaints.models import Complaint
from loket.core.tasks import run_pending_tasks
from loket.notifications.models import ContactNotification, Delivery, Notification
from loket.surveys.models import Channel, SurveyResponse
from loket.surveys.subjects import resolve_subject
from loket.workflow.services import sweep_sla
from tests.factories import file_as_guest
from tests.surveys import helpers
from tests.surveys.pages import answers

pytestmark = pytest.mark.django_db

GUEST_EMAIL = "tamu.survei@example.test"


@pytest.fixture
def rated(org) -> Service:
    """Dinas PUPR's complaint-handling service."""
    service = helpers.service(org.gov, org.pupr, slug="pengelolaan-pengaduan-pupr")
    assert service_set_handles_complaints(actor=None, service=service)
    return service


def invitations(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind="complaint.survey"))


def play() -> None:
    for _ in range(5):
        if not run_pending_tasks(include_deferred=True):
            return


def close_again(org, complaint: Complaint) -> None:
    services.complaint_reopen(complaint=complaint, user=org.reporter, reason="Rusak lagi.")
    services.complaint_start_work(
        complaint=complaint, actor=org.handler, estimate_date=date.today() + timedelta(days=3)
    )
    services.complaint_resolve(complaint=complaint, actor=org.handler, answer="Sudah lagi.")
    services.complaint_confirm(complaint=complaint, user=org.reporter, rating=4)


def test_closed_complaint_invites_the_reporter_once_and_counts_one_answer(org, drive, rated):
    complaint = drive("closed", category=org.trash)
    [invitation] = invitations(org.reporter)
    assert invitation.url.startswith("/survei/isi/complaint-")
    assert complaint.tracking_number in invitation.title
    assert rated.name in invitation.body

    browser = Client()
    page = browser.get(invitation.url)
    assert page.status_code == 200
    assert rated.name in page.content.decode()
    assert complaint.tracking_number in page.content.decode()
    assert browser.post(invitation.url, answers(4)).status_code == 302
    saved = SurveyResponse.objects.get()
    assert saved.ticket == f"invite:complaint:{complaint.pk}"
    assert (saved.service_id, saved.agency_id) == (rated.pk, org.pupr.pk)
    assert saved.channel == Channel.INVITATION
    # A second answer through the same (or any other) link of this complaint is refused.
    again = browser.post(invitation.url, answers(1))
    assert again.status_code == 409
    assert SurveyResponse.objects.count() == 1

    # Reopened and closed again: no second invitation.
    close_again(org, complaint)
    assert len(invitations(org.reporter)) == 1


def test_guest_reporter_gets_the_invitation_on_their_contact(org, rated):
    complaint, token = file_as_guest(org, guest_email=GUEST_EMAIL)
    services.complaint_verify(complaint=complaint, actor=org.coordinator)
    services.complaint_dispatch(complaint=complaint, actor=org.coordinator, agency=org.pupr)
    services.complaint_start_work(
        complaint=complaint, actor=org.handler, estimate_date=date.today() + timedelta(days=3)
    )
    services.complaint_resolve(complaint=complaint, actor=org.handler, answer="Sudah bersih.")
    services.complaint_confirm(complaint=complaint, rating=5, guest_token=token)

    [invitation] = ContactNotification.objects.filter(kind="complaint.survey")
    assert [d.channel for d in invitation.deliveries.all()] == ["email"]
    play()
    assert Delivery.objects.get(contact=invitation).status == Delivery.Status.SENT
    [email] = [m for m in mail.outbox if m.subject == invitation.title]
    assert email.to == [GUEST_EMAIL]
    link = email.body.rstrip().rsplit("\n", 1)[1]
    path = link[link.index("/survei/isi/") :]
    page = Client().get(path)
    assert page.status_code == 200 and rated.name in page.content.decode()
    assert Client().post(path, answers(3)).status_code == 302
    assert Client().post(path, answers(3)).status_code == 409
    assert SurveyResponse.objects.get().ticket == f"invite:complaint:{complaint.pk}"


def test_auto_closed_complaint_invites_too(org, drive, rated):
    complaint = drive("in_progress", category=org.trash)
    services.complaint_resolve(
        complaint=complaint,
        actor=org.handler,
        answer="Selesai",
        now=timezone.now() - timedelta(days=40),
    )
    assert sweep_sla(now=timezone.now()).expired >= 1
    assert Complaint.objects.get(pk=complaint.pk).state == "closed"
    [invitation] = invitations(org.reporter)
    assert Client().get(invitation.url).status_code == 200


def test_no_complaint_service_means_no_invitation(org, drive, caplog):
    caplog.set_level(logging.INFO, logger="loket.complaints.survey")
    complaint = drive("closed", category=org.trash)
    assert invitations(org.reporter) == []
    assert not ContactNotification.objects.filter(kind="complaint.survey").exists()
    [record] = [r for r in caplog.records if r.name == "loket.complaints.survey"]
    assert record.levelno == logging.INFO
    assert record.getMessage() == (
        f"No survey invitation for complaint {complaint.pk}: agency {org.pupr.pk} has no "
        "complaint-handling service"
    )
    # Nothing to answer either: the link of such a complaint is not a survey.
    assert resolve_subject("complaint", complaint.pk) is None
    assert Client().get(survey.survey_path(complaint)).status_code == 404


def test_open_complaint_cannot_be_rated(org, drive, rated):
    complaint = drive("resolved", category=org.trash)
    assert resolve_subject("complaint", complaint.pk) is None
    assert Client().get(survey.survey_path(complaint)).status_code == 404


def test_reporter_page_links_to_the_survey_until_answered(org, drive, rated):
    complaint = drive("closed", category=org.trash)
    reporter = Client()
    reporter.force_login(org.reporter)
    page_url = reverse("complaints:mine_detail", args=[complaint.tracking_number])
    html = reporter.get(page_url).content.decode()
    assert "Beri penilaian layanan" in html
    link = survey.reporter_survey_path(complaint)
    assert link and f'href="{link}"' in html
    assert Client().post(link, answers(4)).status_code == 302
    assert "Beri penilaian layanan" not in reporter.get(page_url).content.decode()


def test_reporter_page_of_an_open_complaint_has_no_survey_link(org, drive, rated):
    complaint = drive("resolved", category=org.trash)
    reporter = Client()
    reporter.force_login(org.reporter)
    page = reporter.get(reverse("complaints:mine_detail", args=[complaint.tracking_number]))
    assert "Beri penilaian layanan" not in page.content.decode()


def test_an_agency_has_one_complaint_service(org, rated):
    other = helpers.service(org.gov, org.pupr)
    assert service_set_handles_complaints(actor=None, service=other)
    rated.refresh_from_db()
    assert not rated.handles_complaints
    assert list(Service.objects.filter(handles_complaints=True)) == [other]
    assert not service_set_handles_complaints(actor=None, service=other)
    assert service_set_handles_complaints(actor=None, service=other, handles=False)
    assert not Service.objects.filter(handles_complaints=True).exists()
