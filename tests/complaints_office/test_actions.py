"""Every action of the detail page: success, 409 in a state that does not allow it, 400 on bad
input with nothing saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from loket.complaints.models import Complaint, ComplaintMessage, ComplaintPhoto
from loket.core.models import StoredFile
from loket.workflow.models import WorkflowEvent
from tests.complaints_office.conftest import jpeg, signed_in

pytestmark = pytest.mark.django_db

SOON = (date.today() + timedelta(days=7)).isoformat()


def act(org, actor: str, c: Complaint, action: str, data: dict, **extra):
    url = reverse("complaints_office:act", args=[c.pk, action])
    return signed_in(getattr(org, actor)).post(url, data, **extra)


def snapshot(c: Complaint) -> tuple:
    fresh = Complaint.objects.get(pk=c.pk)
    return (
        fresh.state,
        fresh.agency_id,
        fresh.handler_id,
        fresh.category_id,
        fresh.government_id,
        fresh.visibility,
        fresh.identity,
        fresh.estimate_date,
        fresh.public_answer,
        WorkflowEvent.objects.filter(subject_id=str(c.pk)).count(),
        ComplaintMessage.objects.filter(complaint=c).count(),
        ComplaintPhoto.objects.filter(complaint=c).count(),
        StoredFile.objects.count(),
    )


# (action, start state, actor, data(org, complaint) , check(org, fresh complaint))
SUCCESS = [
    ("verify", "received", "coordinator", lambda o, c: {"note": "Cek"}, "verification"),
    ("reject", "verification", "coordinator", lambda o, c: {"reason": "Bukan aduan"}, "rejected"),
    ("dispatch", "verification", "coordinator", lambda o, c: {"agency": o.pupr.pk}, "dispatched"),
    ("redirect", "dispatched", "coordinator", lambda o, c: {"agency": o.dlh.pk}, "dispatched"),
    (
        "forward",
        "verification",
        "coordinator",
        lambda o, c: {"government": o.other_gov.pk, "reason": "Jalan provinsi"},
        "received",
    ),
    ("recategorize", "verification", "coordinator", lambda o, c: {"category": o.trash.pk}, None),
    ("restrict", "received", "coordinator", lambda o, c: {"make_confidential": "on"}, None),
    ("decline", "dispatched", "liaison", lambda o, c: {"reason": "Wewenang DLH"}, "verification"),
    ("assign", "dispatched", "liaison", lambda o, c: {"handler": o.handler.pk}, "dispatched"),
    ("start_work", "dispatched", "handler", lambda o, c: {"estimate_date": SOON}, "in_progress"),
    ("ask_reporter", "in_progress", "handler", lambda o, c: {"question": "Di mana?"}, "waiting"),
    ("resume", "waiting", "handler", lambda o, c: {"note": "Cukup jelas"}, "in_progress"),
    ("note", "in_progress", "handler", lambda o, c: {"body": "Tim sudah ke lokasi"}, None),
    ("message", "in_progress", "liaison", lambda o, c: {"body": "Terima kasih"}, None),
]


@pytest.mark.parametrize(
    ("action", "start", "actor", "data", "end"), SUCCESS, ids=[s[0] for s in SUCCESS]
)
def test_action_succeeds(org, drive, action, start, actor, data, end):
    c = drive(start, visibility="public", identity="shown")
    response = act(org, actor, c, action, data(org, c))
    assert response.status_code == 302, response.content.decode()[:2000]
    gone = action in ("decline", "forward")  # out of the officer's reach afterwards
    target = "complaints_office:queue" if gone else "complaints_office:detail"
    assert response["Location"] == reverse(target, **({} if gone else {"args": [c.pk]}))
    fresh = Complaint.objects.get(pk=c.pk)
    if end:
        assert fresh.state == end
    checks = {
        "redirect": lambda: fresh.agency_id == org.dlh.pk,
        "dispatch": lambda: fresh.agency_id == org.pupr.pk,
        "forward": lambda: fresh.government_id == org.other_gov.pk,
        "recategorize": lambda: fresh.category_id == org.trash.pk,
        "restrict": lambda: fresh.visibility == "confidential" and fresh.identity == "shown",
        "assign": lambda: fresh.handler_id == org.handler.pk,
        "start_work": lambda: fresh.estimate_date.isoformat() == SOON,
        "note": lambda: WorkflowEvent.objects.filter(
            subject_id=str(c.pk), transition="note", note="Tim sudah ke lokasi"
        ).exists(),
        "message": lambda: ComplaintMessage.objects.filter(
            complaint=c, body="Terima kasih"
        ).exists(),
    }
    assert checks.get(action, lambda: True)()
    if not gone:
        page = signed_in(getattr(org, actor)).get(response["Location"])
        assert page.status_code == 200


def test_merge_into_a_duplicate_by_number(org, drive, submit):
    survivor = submit(title="Lubang yang sama")
    c = drive("verification")
    response = act(org, "coordinator", c, "merge", {"into": survivor.tracking_number.lower()})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.state == "merged" and c.merged_into_id == survivor.pk


def test_resolve_with_after_photo(org, drive):
    c = drive("in_progress")
    assert c.category.requires_after_photo
    page = signed_in(org.handler).get(reverse("complaints_office:detail", args=[c.pk]))
    assert "mewajibkan minimal satu foto sesudah penanganan" in page.content.decode()
    response = act(
        org, "handler", c, "resolve", {"answer": "Sudah ditambal.", "after_photos": [jpeg()]}
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.state == "resolved" and c.public_answer == "Sudah ditambal."
    assert ComplaintPhoto.objects.filter(complaint=c, kind="after").count() == 1


def test_public_answer_note(org, drive):
    c = drive("in_progress")
    response = act(org, "handler", c, "note", {"body": "Aspal dipesan", "public": "on"})
    assert response.status_code == 302
    assert WorkflowEvent.objects.filter(
        subject_id=str(c.pk), transition="answer", note_is_public=True
    ).exists()


# (action, state where it is not allowed, actor, data)
ILLEGAL = [
    ("verify", "verification", "coordinator", lambda o, c: {}),
    ("reject", "received", "coordinator", lambda o, c: {"reason": "x"}),
    ("dispatch", "received", "coordinator", lambda o, c: {"agency": o.pupr.pk}),
    ("redirect", "verification", "coordinator", lambda o, c: {"agency": o.dlh.pk}),
    (
        "forward",
        "received",
        "coordinator",
        lambda o, c: {"government": o.other_gov.pk, "reason": "x"},
    ),
    ("recategorize", "in_progress", "coordinator", lambda o, c: {"category": o.trash.pk}),
    ("decline", "in_progress", "liaison", lambda o, c: {"reason": "x"}),
    ("assign", "resolved", "liaison", lambda o, c: {"handler": o.dlh_handler.pk}),
    ("start_work", "in_progress", "handler", lambda o, c: {"estimate_date": SOON}),
    ("ask_reporter", "dispatched", "handler", lambda o, c: {"question": "x"}),
    ("resume", "in_progress", "handler", lambda o, c: {"note": "x"}),
    ("resolve", "dispatched", "handler", lambda o, c: {"answer": "x", "after_photos": [jpeg()]}),
]


@pytest.mark.parametrize(("action", "state", "actor", "data"), ILLEGAL, ids=[i[0] for i in ILLEGAL])
def test_illegal_action_is_409_and_changes_nothing(org, drive, action, state, actor, data):
    c = drive(state)
    before = snapshot(c)
    payload = data(org, c)
    if action == "assign":
        payload = {"handler": org.liaison.pk}
    response = act(org, actor, c, action, payload)
    assert response.status_code == 409, response.content.decode()[:3000]
    assert 'data-testid="alert"' in response.content.decode()
    assert snapshot(c) == before


def test_merge_in_wrong_state_is_409(org, drive, submit):
    survivor = submit()
    c = drive("received")
    before = snapshot(c)
    response = act(org, "coordinator", c, "merge", {"into": survivor.tracking_number})
    assert response.status_code == 409
    assert snapshot(c) == before


def test_illegal_action_through_htmx_answers_a_fragment(org, drive):
    c = drive("verification")
    response = act(org, "coordinator", c, "verify", {}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "<html" not in response.content.decode()


# (action, state, actor, data, field whose message is shown)
BAD = [
    ("verify", "received", "coordinator", lambda o, c: {"note": "x" * 4001}),
    ("reject", "verification", "coordinator", lambda o, c: {"reason": "  "}),
    ("dispatch", "verification", "coordinator", lambda o, c: {"agency": ""}),
    ("dispatch", "verification", "coordinator", lambda o, c: {"agency": o.foreign_agency.pk}),
    ("redirect", "dispatched", "coordinator", lambda o, c: {"agency": o.pupr.pk}),
    ("forward", "verification", "coordinator", lambda o, c: {"government": o.other_gov.pk}),
    (
        "forward",
        "verification",
        "coordinator",
        lambda o, c: {"government": o.gov.pk, "reason": "x"},
    ),
    ("recategorize", "verification", "coordinator", lambda o, c: {"category": o.foreign_cat.pk}),
    ("merge", "verification", "coordinator", lambda o, c: {"into": "T999-2026-999999"}),
    ("merge", "verification", "coordinator", lambda o, c: {"into": c.tracking_number}),
    ("restrict", "received", "coordinator", lambda o, c: {}),
    ("decline", "dispatched", "liaison", lambda o, c: {"reason": ""}),
    ("assign", "dispatched", "liaison", lambda o, c: {"handler": o.dlh_handler.pk}),
    ("start_work", "dispatched", "handler", lambda o, c: {"estimate_date": "2001-01-01"}),
    ("start_work", "dispatched", "handler", lambda o, c: {"estimate_date": "besok"}),
    ("ask_reporter", "in_progress", "handler", lambda o, c: {"question": ""}),
    ("resume", "waiting", "handler", lambda o, c: {"note": ""}),
    ("resolve", "in_progress", "handler", lambda o, c: {"answer": "Selesai"}),
    ("resolve", "in_progress", "handler", lambda o, c: {"answer": ""}),
    (
        "resolve",
        "in_progress",
        "handler",
        lambda o, c: {
            "answer": "Selesai",
            "after_photos": [
                __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
                    "bukan.jpg", b"%PDF-1.4 bukan gambar", content_type="image/jpeg"
                )
            ],
        },
    ),
    ("note", "in_progress", "handler", lambda o, c: {"body": ""}),
    ("message", "in_progress", "handler", lambda o, c: {"body": " "}),
]


@pytest.mark.parametrize(
    ("action", "state", "actor", "data"), BAD, ids=[f"{b[0]}-{n}" for n, b in enumerate(BAD)]
)
def test_bad_input_is_400_with_a_message_and_nothing_saved(org, drive, action, state, actor, data):
    c = drive(state, visibility="public", identity="shown")
    if action == "resolve":
        Complaint.objects.get(pk=c.pk).category.__class__.objects.filter(pk=c.category_id).update(
            requires_after_photo=True
        )
    before = snapshot(c)
    response = act(org, actor, c, action, data(org, c))
    assert response.status_code == 400, response.content.decode()[:3000]
    body = response.content.decode()
    assert 'role="alert"' in body
    assert f'data-testid="action-{action}" open' in body or action in ("note", "message")
    assert 'class="errorlist' in body
    assert snapshot(c) == before
