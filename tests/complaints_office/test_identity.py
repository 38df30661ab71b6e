"""Reporter identity on officer pages: never shown by default, revealed only on a POST that is
audited and not cached, never at all for anonymous reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from loket.complaints import services
from loket.core.models import AuditEvent
from tests.complaints_office.conftest import signed_in

pytestmark = pytest.mark.django_db

NAME = "Rahmawati Kusumadewi"
PHONE = "+6281377788899"


@pytest.fixture
def named_reporter(org):
    org.reporter.full_name = NAME
    org.reporter.phone = PHONE
    org.reporter.save(update_fields=["full_name", "phone"])
    return org.reporter


def secrets(user) -> list[str]:
    return [NAME, "Rahmawati", user.email, PHONE, PHONE.replace("+62", "0"), "81377788899"]


def detail(c) -> str:
    return reverse("complaints_office:detail", args=[c.pk])


def reveal(c) -> str:
    return reverse("complaints_office:reveal", args=[c.pk])


@pytest.mark.parametrize("role", ["coordinator", "liaison", "handler", "supervisor"])
def test_reveal_shows_identity_once_audited_and_uncached(org, drive, named_reporter, role):
    c = drive("dispatched", identity="shown")
    client = signed_in(getattr(org, role))
    page = client.get(detail(c)).content.decode()
    assert 'data-testid="reveal"' in page
    assert NAME not in page and named_reporter.email not in page
    response = client.post(reveal(c))
    assert response.status_code == 200
    body = response.content.decode()
    assert NAME in body and named_reporter.email in body and PHONE in body
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="complaint.identity_viewed", object_id=str(c.pk))
    assert event.actor_id == getattr(org, role).pk
    assert NAME not in str(event.payload) and named_reporter.email not in str(event.payload)
    # The next page view shows no identity again.
    assert NAME not in client.get(detail(c)).content.decode()


def test_reveal_through_htmx_answers_the_box_only(org, drive, named_reporter):
    c = drive("received", identity="shown")
    response = signed_in(org.coordinator).post(reveal(c), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="identity-box"' in body and NAME in body and "<html" not in body
    assert "no-store" in response["Cache-Control"]


def test_anonymous_report_has_no_button_and_reveal_is_403(org, drive, named_reporter):
    c = drive("dispatched", identity="anonymous")
    client = signed_in(org.coordinator)
    page = client.get(detail(c)).content.decode()
    assert 'data-testid="reveal"' not in page
    assert 'data-testid="identity-withheld"' in page
    response = client.post(reveal(c))
    assert response.status_code == 403
    assert "anonim" in response.content.decode()
    assert NAME not in response.content.decode()
    assert not AuditEvent.objects.filter(action="complaint.identity_viewed").exists()


def test_superuser_gets_403_for_anonymous_reports_too(org, drive, named_reporter):
    c = drive("received", identity="anonymous")
    org.leader.is_superuser = True
    org.leader.save(update_fields=["is_superuser"])
    assert signed_in(org.leader).post(reveal(c)).status_code == 403


@pytest.mark.parametrize("role", ["leader", "dlh_handler", "foreign_coordinator", "counter"])
def test_reveal_without_the_capability_is_404(org, drive, named_reporter, role):
    c = drive("dispatched", identity="shown")
    client = signed_in(getattr(org, role))
    if role == "leader":
        assert 'data-testid="reveal"' not in client.get(detail(c)).content.decode()
    response = client.post(reveal(c))
    assert response.status_code == 404
    assert NAME not in response.content.decode()
    assert not AuditEvent.objects.filter(action="complaint.identity_viewed").exists()


def test_reveal_is_post_only(org, drive):
    c = drive("received", identity="shown")
    assert signed_in(org.coordinator).get(reveal(c)).status_code == 405


def test_no_officer_page_shows_an_anonymous_reporter(org, drive, submit, named_reporter):
    """A named citizen files anonymously; every office page, for every role that can open it,
    in every state with messages both ways, stays free of their name, email and phone."""
    c = drive("in_progress", identity="anonymous", visibility="public")
    services.complaint_message_reporter(complaint=c, actor=org.handler, body="Mohon foto lagi")
    services.complaint_reporter_reply(complaint=c, user=org.reporter, body="Sudah saya kirim")
    services.complaint_ask_reporter(complaint=c, actor=org.handler, question="Sebelah mana?")
    services.complaint_reporter_reply(complaint=c, user=org.reporter, body="Dekat masjid")
    received = drive("received", identity="anonymous")
    pages = []
    queue = reverse("complaints_office:queue")
    for role in ("coordinator", "liaison", "handler", "supervisor", "leader"):
        client = signed_in(getattr(org, role))
        for tab in ("to_verify", "to_dispatch", "agency", "mine", "waiting", "all"):
            pages.append(client.get(f"{queue}?antrean={tab}"))
        pages.append(client.get(f"{queue}?q={c.tracking_number}"))
        pages.append(client.get(f"{queue}?q=Jalan", HTTP_HX_REQUEST="true"))
        pages.append(client.get(detail(c)))
        pages.append(client.post(reveal(c)))
        if role == "coordinator":
            pages.append(client.get(detail(received)))
            pages.append(client.post(reveal(received)))
            pages.append(
                client.post(
                    reverse("complaints_office:bulk_dispatch"),
                    {"ids": [received.pk, c.pk], "agency": "rute"},
                )
            )
    handler = signed_in(org.handler)
    act = reverse("complaints_office:act", args=[c.pk, "message"])
    pages.append(handler.post(act, {"body": "Baik"}, HTTP_HX_REQUEST="true"))
    pages.append(handler.post(act, {"body": ""}))
    assert any(p.status_code == 200 and c.tracking_number in p.content.decode() for p in pages)
    for response in pages:
        body = response.content.decode()
        for secret in secrets(org.reporter):
            assert secret not in body, (response.request["PATH_INFO"], secret)
