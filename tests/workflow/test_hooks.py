"""After-transition hooks run inside the transition, for any actor, and can veto it."""

from __future__ import annotations

import pytest

from loket.workflow.hooks import register_after_transition, unregister_after_transition
from loket.workflow.scopes import GrantedScope
from loket.workflow.services import apply_transition
from tests.workflow_testapp.models import Ticket
from tests.workflow_testapp.states import TICKET

SCOPE = GrantedScope(
    role="test", capabilities=frozenset({t.capability for t in TICKET.transitions})
)


def test_hook_sees_the_new_state_and_can_roll_back(ticket):
    seen = []

    def hook(subject, event):
        seen.append((subject.state, event.transition))
        if subject.title == "tolak":
            raise RuntimeError("veto")

    register_after_transition(TICKET.name, hook)
    try:
        t = ticket("received")
        apply_transition(workflow=TICKET, subject=t, name="verify", actor=None, scope=SCOPE)
        assert seen == [("verification", "verify")]
        vetoed = ticket("received")
        vetoed.title = "tolak"
        with pytest.raises(RuntimeError):
            apply_transition(
                workflow=TICKET, subject=vetoed, name="verify", actor=None, scope=SCOPE
            )
        assert Ticket.objects.get(pk=vetoed.pk).state == "received" == vetoed.state
    finally:
        unregister_after_transition(TICKET.name, hook)
    apply_transition(workflow=TICKET, subject=t, name="dispatch", actor=None, scope=SCOPE)
    assert len(seen) == 2  # unregistered: not called again
