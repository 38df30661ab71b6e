"""apply_transition: legality as a table, capabilities per role, notes, the race, the timeline."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from loket.core.models import AuditEvent
from loket.core.permissions import OfficerScope, officer_scope
from loket.workflow.errors import IllegalTransition, NotPermitted
from loket.workflow.scopes import SYSTEM_SCOPE, owner_scope
from loket.workflow.selectors import timeline, timers_for
from loket.workflow.services import apply_transition
from tests.workflow_testapp.models import Ticket
from tests.workflow_testapp.states import TICKET

pytestmark = pytest.mark.django_db

ALMIGHTY = OfficerScope(user_id=None, is_superuser=True)
PAIRS = [(s.code, t.name) for s in TICKET.states for t in TICKET.transitions]


@pytest.mark.parametrize(("state", "name"), PAIRS)
def test_every_state_and_transition_pair_is_legal_or_409(ticket, state, name):
    subject = ticket(state)
    transition = TICKET.transition(name)
    if state in transition.sources:
        event = apply_transition(
            workflow=TICKET,
            subject=subject,
            name=name,
            actor=None,
            scope=ALMIGHTY,
            note="Catatan petugas",
        )
        assert (event.from_state, event.to_state) == (state, transition.target)
        assert Ticket.objects.get(pk=subject.pk).state == transition.target == subject.state
    else:
        with pytest.raises(IllegalTransition) as err:
            apply_transition(
                workflow=TICKET,
                subject=subject,
                name=name,
                actor=None,
                scope=ALMIGHTY,
                note="Catatan petugas",
            )
        assert err.value.status == 409
        assert "tidak dapat dilakukan" in err.value.message
        assert Ticket.objects.get(pk=subject.pk).state == state
        assert not timeline(subject, public_only=False).exists()


def test_unknown_transition_is_409(ticket):
    with pytest.raises(IllegalTransition) as err:
        apply_transition(
            workflow=TICKET, subject=ticket(), name="teleport", actor=None, scope=ALMIGHTY
        )
    assert err.value.status == 409


# (transition, state it starts from, officer attribute on the org fixture, allowed?)
CAPABILITY_MATRIX = [
    ("verify", "received", "coordinator", True),
    ("verify", "received", "foreign_coordinator", False),  # another government
    ("verify", "received", "liaison", False),
    ("verify", "received", "supervisor", False),
    ("verify", "received", "leader", False),
    ("verify", "received", "counter", False),
    ("assign", "dispatched", "liaison", True),
    ("assign", "dispatched", "supervisor", True),
    ("assign", "dispatched", "other_supervisor", False),  # another agency
    ("assign", "dispatched", "handler", False),
    ("assign", "dispatched", "coordinator", False),
    ("ask_reporter", "in_progress", "handler", True),
    ("ask_reporter", "in_progress", "other_handler", False),
    ("ask_reporter", "in_progress", "leader", False),
    ("reporter_replies", "waiting", "coordinator", False),  # only the reporter
    ("auto_close", "resolved", "coordinator", False),  # only the system
    ("confirm", "resolved", "handler", False),
]


@pytest.mark.parametrize(("name", "state", "who", "allowed"), CAPABILITY_MATRIX)
def test_capabilities_per_role(org, ticket, name, state, who, allowed):
    subject = ticket(state)
    user = getattr(org, who)
    call = dict(
        workflow=TICKET,
        subject=subject,
        name=name,
        actor=user,
        scope=officer_scope(user),
        note="Catatan",
    )
    if allowed:
        event = apply_transition(**call)
        assert event.actor == user
        assert event.actor_role == user.memberships.get().role
    else:
        with pytest.raises(NotPermitted) as err:
            apply_transition(**call)
        assert err.value.status == 404
        assert Ticket.objects.get(pk=subject.pk).state == state


def test_forbidden_actor_learns_nothing_about_the_state(org, ticket):
    # From a state where the transition is illegal, a forbidden actor still gets 404, not 409.
    with pytest.raises(NotPermitted):
        apply_transition(
            workflow=TICKET,
            subject=ticket("closed"),
            name="verify",
            actor=org.liaison,
            scope=officer_scope(org.liaison),
        )


def test_reporter_and_system_scopes(org, ticket):
    waiting = ticket("waiting")
    event = apply_transition(
        workflow=TICKET,
        subject=waiting,
        name="reporter_replies",
        actor=org.reporter,
        scope=owner_scope(),
    )
    assert event.actor_role == "citizen"
    resolved = ticket("resolved")
    event = apply_transition(
        workflow=TICKET, subject=resolved, name="auto_close", actor=None, scope=SYSTEM_SCOPE
    )
    assert (event.actor, event.actor_role) == (None, "system")


def test_scope_must_belong_to_the_actor(org, ticket):
    with pytest.raises(ValueError):
        apply_transition(
            workflow=TICKET,
            subject=ticket(),
            name="verify",
            actor=org.handler,
            scope=officer_scope(org.coordinator),
        )


@pytest.mark.parametrize("note", ["", "   \n"])
def test_required_note(org, ticket, note):
    subject = ticket("verification")
    with pytest.raises(ValidationError) as err:
        apply_transition(
            workflow=TICKET,
            subject=subject,
            name="reject",
            actor=org.coordinator,
            scope=officer_scope(org.coordinator),
            note=note,
        )
    assert "note" in err.value.message_dict
    assert Ticket.objects.get(pk=subject.pk).state == "verification"
    assert not AuditEvent.objects.filter(action="test_ticket.reject").exists()


def test_stale_instance_loses_the_compare_and_set(org, ticket):
    subject = ticket("verification")
    first = Ticket.objects.get(pk=subject.pk)
    second = Ticket.objects.get(pk=subject.pk)
    scope = officer_scope(org.coordinator)
    apply_transition(
        workflow=TICKET, subject=first, name="dispatch", actor=org.coordinator, scope=scope
    )
    with pytest.raises(IllegalTransition) as err:
        apply_transition(
            workflow=TICKET,
            subject=second,
            name="reject",
            actor=org.coordinator,
            scope=scope,
            note="Bukan wewenang",
        )
    assert err.value.status == 409
    assert "diubah oleh orang lain" in err.value.message
    assert Ticket.objects.get(pk=subject.pk).state == "dispatched"
    assert [e.transition for e in timeline(subject, public_only=False)] == ["dispatch"]
    # The losing request wrote nothing: no event, no audit entry, no timer change.
    assert not AuditEvent.objects.filter(action="test_ticket.reject").exists()
    assert [t.stage for t in timers_for(subject, running_only=True)] == ["follow_up"]


@pytest.mark.django_db(transaction=True)
def test_two_officers_at_once_exactly_one_wins(org, ticket):
    subject = ticket("verification")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(name: str, note: str) -> None:
        instance = Ticket.objects.get(pk=subject.pk)
        barrier.wait(timeout=10)
        try:
            apply_transition(
                workflow=TICKET,
                subject=instance,
                name=name,
                actor=org.coordinator,
                scope=officer_scope(org.coordinator),
                note=note,
            )
            outcomes[name] = "won"
        except IllegalTransition:
            outcomes[name] = "lost"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=args)
        for args in (("dispatch", ""), ("reject", "Bukan wewenang"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["lost", "won"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "won")
    assert Ticket.objects.get(pk=subject.pk).state == TICKET.transition(winner).target
    assert [e.transition for e in timeline(subject, public_only=False)] == [winner]


def test_timeline_public_and_internal(org, ticket):
    subject = ticket("verification")
    coordinator = officer_scope(org.coordinator)
    apply_transition(
        workflow=TICKET,
        subject=subject,
        name="dispatch",
        actor=org.coordinator,
        scope=coordinator,
        note="Pelapor tetangga kepala dinas",
    )  # internal note
    apply_transition(
        workflow=TICKET,
        subject=subject,
        name="assign",
        actor=org.liaison,
        scope=officer_scope(org.liaison),
        note="Ke tim jalan",
    )  # internal step
    apply_transition(
        workflow=TICKET,
        subject=subject,
        name="ask_reporter",
        actor=org.handler,
        scope=officer_scope(org.handler),
        note="Mohon kirim foto lokasi.",
        public=True,
    )
    officers = list(timeline(subject, public_only=False))
    public = list(timeline(subject, public_only=True))
    assert [e.transition for e in officers] == ["dispatch", "assign", "ask_reporter"]
    assert [e.transition for e in public] == ["dispatch", "ask_reporter"]
    assert public[0].public_note == ""  # a public step with an internal note
    assert public[0].note == "Pelapor tetangga kepala dinas"
    assert public[1].public_note == "Mohon kirim foto lokasi."


def test_internal_step_made_public_by_a_public_answer(org, ticket):
    subject = ticket("dispatched")
    apply_transition(
        workflow=TICKET,
        subject=subject,
        name="assign",
        actor=org.liaison,
        scope=officer_scope(org.liaison),
        note="Sedang kami tangani.",
        public=True,
    )
    [event] = timeline(subject, public_only=True)
    assert event.public_note == "Sedang kami tangani."


def test_audit_records_note_length_not_text_and_extra_fields(org, ticket):
    subject = ticket("verification")
    apply_transition(
        workflow=TICKET,
        subject=subject,
        name="dispatch",
        actor=org.coordinator,
        scope=officer_scope(org.coordinator),
        note="Hubungi 081234567890",
        extra={"agency_id": org.other_agency.pk, "title": "Jalan berlubang"},
    )
    entry = AuditEvent.objects.get(action="test_ticket.dispatch")
    assert entry.actor_id == org.coordinator.pk and entry.actor_role == "coordinator"
    assert entry.object_type == "workflow_testapp.ticket" and entry.object_id == str(subject.pk)
    assert entry.payload["note_length"] == len("Hubungi 081234567890")
    assert "081234567890" not in str(entry.payload)
    assert entry.payload["fields"] == {"agency_id": org.other_agency.pk, "title": "(diubah)"}
    assert entry.payload["from"] == "verification" and entry.payload["to"] == "dispatched"
    fresh = Ticket.objects.get(pk=subject.pk)
    assert fresh.agency_id == org.other_agency.pk and fresh.title == "Jalan berlubang"
    assert subject.agency_id == org.other_agency.pk


@pytest.mark.parametrize("extra", [{"state": "closed"}, {"nope": 1}, {"government_id": 1}])
def test_extra_cannot_touch_state_or_unknown_fields(org, ticket, extra):
    subject = ticket("verification")
    with pytest.raises(ValueError):
        apply_transition(
            workflow=TICKET,
            subject=subject,
            name="dispatch",
            actor=org.coordinator,
            scope=officer_scope(org.coordinator),
            extra=extra,
        )
    assert Ticket.objects.get(pk=subject.pk).state == "verification"
