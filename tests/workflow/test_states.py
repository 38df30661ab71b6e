"""The state-table API: validation when a table is built, and the helpers read from it."""

from __future__ import annotations

import pytest

from loket.workflow.states import (
    ALL,
    Stage,
    State,
    Transition,
    Workflow,
    WorkflowDefinitionError,
    get_workflow,
)
from tests.workflow_testapp.states import TICKET

S = (
    State("a", "A", "A publik"),
    State("b", "B", "B publik"),
    State("z", "Z", "Z publik", open=False, terminal=True),
)


def _build(name, states=S, transitions=None, initial="a", stages=()):
    transitions = transitions or (
        Transition("go", "a", "b", "x.do", "Maju"),
        Transition("end", "b", "z", "x.do", "Selesai"),
    )
    return Workflow(
        name=name, states=states, transitions=transitions, initial=initial, stages=stages
    )


def test_a_valid_table_builds_and_registers():
    wf = _build("t_valid")
    assert get_workflow("t_valid") is wf
    assert [t.name for t in wf.allowed("a")] == ["go"]
    assert wf.allowed("z") == ()
    assert wf.is_allowed("b", "end") and not wf.is_allowed("a", "end")
    assert wf.is_open("b") and not wf.is_open("z")
    assert wf.public_labels() == {"a": "A publik", "b": "B publik", "z": "Z publik"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"initial": "q"}, "initial state"),
        ({"transitions": (Transition("go", "a", "q", "x.do", "?"),)}, "unknown state 'q'"),
        ({"transitions": (Transition("go", "q", "b", "x.do", "?"),)}, "unknown state 'q'"),
        ({"transitions": (Transition("go", "a", "b", "x.do", "?"),)}, "unreachable state(s) ['z']"),
        (
            {
                "transitions": (
                    Transition("go", "a", "b", "x.do", "?"),
                    Transition("go", "b", "z", "x.do", "?"),
                )
            },
            "duplicate transition 'go'",
        ),
        ({"states": (*S, State("a", "A2", "A2"))}, "duplicate state 'a'"),
        (
            {
                "transitions": (
                    Transition("go", "a", "z", "x.do", "?"),
                    Transition("back", "z", "b", "x.do", "?"),
                )
            },
            "leaves terminal state 'z'",
        ),
        (
            {
                "transitions": (
                    Transition("go", "a", "b", "x.do", "?", pause="clock"),
                    Transition("end", "b", "z", "x.do", "?"),
                )
            },
            "undeclared stage 'clock'",
        ),
        (
            {"stages": (Stage("clock", "Jam", days=3),)},
            "stage 'clock' is never started",
        ),
        (
            {
                "transitions": (
                    Transition("go", "a", "b", "", "?"),
                    Transition("end", "b", "z", "x.do", "?"),
                )
            },
            "needs a capability",
        ),
        (
            {
                "stages": (Stage("clock", "Jam", days=3, on_expiry="nope"),),
                "transitions": (
                    Transition("go", "a", "b", "x.do", "?", start="clock"),
                    Transition("end", "b", "z", "x.do", "?"),
                ),
            },
            "expires into unknown transition",
        ),
    ],
)
def test_contradictory_tables_fail_when_built(kwargs, message):
    with pytest.raises(WorkflowDefinitionError) as err:
        _build("t_invalid", **kwargs)
    assert message in str(err.value)
    assert get_workflow("t_invalid") is None


def test_the_same_name_cannot_be_registered_twice():
    _build("t_twice")
    with pytest.raises(WorkflowDefinitionError):
        _build("t_twice")


def test_as_table_documents_every_transition_and_its_clocks():
    rows = {row.transition: row for row in TICKET.as_table()}
    assert list(rows) == [t.name for t in TICKET.transitions]
    assert rows["dispatch"].sources == ("verification",)
    assert rows["dispatch"].clocks == "stop triage, start follow_up"
    assert rows["ask_reporter"].clocks == f"pause {ALL}"
    assert rows["reject"].clocks == "stop *"  # entering a terminal state stops every clock
    assert rows["reject"].requires_note and rows["reject"].public
    assert not rows["assign"].public
