"""The complaint state table, as a table: every state × every transition is legal or a 409."""

from __future__ import annotations

import pytest

from loket.complaints.models import Complaint
from loket.complaints.states import COMPLAINT, OPEN311_STATUS, PUBLIC_LISTED_STATES
from loket.workflow.errors import IllegalTransition
from loket.workflow.scopes import GrantedScope
from loket.workflow.services import apply_transition

# transition: (sources, target) — what the issue lists, written out by hand.
EXPECTED = {
    "verify": ({"received"}, "verification"),
    "reject": ({"verification"}, "rejected"),
    "forward": ({"verification", "dispatched"}, "forwarded"),
    "receive": ({"forwarded"}, "received"),
    "merge": ({"verification"}, "merged"),
    "dispatch": ({"verification"}, "dispatched"),
    "auto_dispatch": ({"received"}, "dispatched"),
    "redirect": ({"dispatched"}, "dispatched"),
    "decline": ({"dispatched"}, "verification"),
    "start_work": ({"dispatched", "reopened"}, "in_progress"),
    "ask_reporter": ({"in_progress"}, "waiting"),
    "reporter_replies": ({"waiting"}, "in_progress"),
    "resume": ({"waiting"}, "in_progress"),
    "resolve": ({"in_progress"}, "resolved"),
    "confirm": ({"resolved"}, "closed"),
    "auto_close": ({"resolved"}, "closed"),
    "reopen": ({"resolved", "closed"}, "reopened"),
}
ALL_CAPS = GrantedScope(
    role="test",
    capabilities=frozenset({t.capability for t in COMPLAINT.transitions}),
)
STATES = [s.code for s in COMPLAINT.states]


def test_table_is_what_the_issue_lists():
    assert {r.transition: (set(r.sources), r.target) for r in COMPLAINT.as_table()} == EXPECTED


def test_public_labels_and_open311_status():
    labels = COMPLAINT.public_labels()
    assert set(labels) == set(STATES) and all(labels.values())
    assert OPEN311_STATUS["in_progress"] == "open"
    assert OPEN311_STATUS["waiting"] == "open"
    assert OPEN311_STATUS["resolved"] == "closed"
    assert OPEN311_STATUS["closed"] == "closed"
    assert OPEN311_STATUS["rejected"] == "closed"
    assert "received" not in PUBLIC_LISTED_STATES  # unverified reports are not published


def test_terminal_states():
    assert {s.code for s in COMPLAINT.states if s.terminal} == {"rejected", "merged"}


@pytest.mark.parametrize("state", STATES)
def test_every_transition_from_every_state(state, submit):
    complaint = submit()
    for name, (sources, target) in EXPECTED.items():
        Complaint.objects.filter(pk=complaint.pk).update(state=state)
        complaint.refresh_from_db()
        if state in sources:
            event = apply_transition(
                workflow=COMPLAINT,
                subject=complaint,
                name=name,
                actor=None,
                scope=ALL_CAPS,
                note="catatan",
            )
            assert event.to_state == target
            assert Complaint.objects.get(pk=complaint.pk).state == target
        else:
            with pytest.raises(IllegalTransition) as exc:
                apply_transition(
                    workflow=COMPLAINT,
                    subject=complaint,
                    name=name,
                    actor=None,
                    scope=ALL_CAPS,
                    note="catatan",
                )
            assert exc.value.status == 409
            assert Complaint.objects.get(pk=complaint.pk).state == state
