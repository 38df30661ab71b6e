"""A declarative state-table API: each domain writes its workflow as a table in its states.py.

::

    COMPLAINT = Workflow(
        name="complaint",
        initial="received",
        states=(State("received", _("Diterima"), _("Laporan diterima")), …),
        stages=(Stage("triage", _("Verifikasi"), days=3), …),
        transitions=(
            Transition("verify", ("received",), "verification", COMPLAINT_TRIAGE,
                       _("Mulai verifikasi")),
            Transition("dispatch", ("verification",), "dispatched", COMPLAINT_TRIAGE,
                       _("Disposisi ke OPD"), public=True, stop=("triage",),
                       start=("follow_up",)),
            …
        ),
    )

A table is checked when it is built (at import time): unknown states, unreachable states,
duplicate codes and names, clocks that are paused or stopped but never started, and terminal
states that are left again all raise :class:`WorkflowDefinitionError`. The engine
(:mod:`loket.workflow.services`) applies transitions and their clock effects; this module has
no database access.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

ALL = "*"  # in stop/pause/resume: every running clock of the subject
Label = str | Promise
Budget = int | Callable[[Any], int]


class WorkflowDefinitionError(ValueError):
    """A workflow table that contradicts itself; raised when the table is built."""


@dataclass(frozen=True)
class State:
    """One state. ``open`` maps to Open311 ``open``/``closed``; a ``terminal`` state can never
    be left, and entering it stops every clock of the subject."""

    code: str
    label: Label
    public_label: Label
    open: bool = True
    terminal: bool = False


@dataclass(frozen=True)
class Stage:
    """A clock a transition can start: a working-day budget for one stage of the work.

    The budget is ``days`` (or ``days(subject)`` when it depends on the subject, e.g. the
    category or the current application step), unless the subject's government overrides it in
    ``government.settings["sla"]["<workflow>.<stage>"]``. ``on_expiry`` names a transition the
    SLA sweep applies as the system when the clock runs out (e.g. auto-close after the reporter
    stayed silent); such clocks are deadlines for the citizen, so they are never escalated.
    """

    code: str
    label: Label
    days: Budget
    on_expiry: str = ""


def _codes(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Transition:
    """An action that moves a subject from one of ``sources`` to ``target``.

    ``capability`` is asked of the actor's scope for the subject's government and agency.
    Clock effects run in this order: ``stop``, ``pause``, ``resume``, ``extend``, ``start``.
    ``stop``/``pause``/``resume`` take stage codes or :data:`ALL`; ``start`` takes stage codes
    (a running clock of the same stage is restarted); ``extend`` takes ``(stage, days)`` pairs
    that add working days to a running clock (e.g. the one PPID extension of 7 days).
    ``public`` puts the step on the public timeline.
    """

    name: str
    sources: tuple[str, ...]
    target: str
    capability: str
    label: Label
    requires_note: bool = False
    public: bool = False
    start: tuple[str, ...] = ()
    stop: tuple[str, ...] = ()
    pause: tuple[str, ...] = ()
    resume: tuple[str, ...] = ()
    extend: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        # Accept a single code where a tuple is expected: start="follow_up".
        for attr in ("sources", "start", "stop", "pause", "resume"):
            object.__setattr__(self, attr, _codes(getattr(self, attr)))
        if self.extend and isinstance(self.extend[0], str):
            object.__setattr__(self, "extend", (self.extend,))

    @property
    def has_clock_effects(self) -> bool:
        return bool(self.start or self.stop or self.pause or self.resume or self.extend)


@dataclass(frozen=True)
class TableRow:
    """One row of :meth:`Workflow.as_table`."""

    transition: str
    label: str
    sources: tuple[str, ...]
    target: str
    capability: str
    requires_note: bool
    public: bool
    clocks: str


_registry: dict[str, Workflow] = {}


@dataclass(frozen=True)
class Workflow:
    """A named state machine with its clocks. Building one validates it and registers it by
    name, so that the SLA sweep can find the stage labels and ``on_expiry`` transitions of a
    timer from the workflow name stored on it."""

    name: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    initial: str
    stages: tuple[Stage, ...] = ()
    _states: Mapping[str, State] = field(init=False, repr=False, compare=False)
    _transitions: Mapping[str, Transition] = field(init=False, repr=False, compare=False)
    _stages: Mapping[str, Stage] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_states", _unique(self.states, "code", "state", self.name))
        object.__setattr__(
            self, "_transitions", _unique(self.transitions, "name", "transition", self.name)
        )
        object.__setattr__(self, "_stages", _unique(self.stages, "code", "stage", self.name))
        self._validate()
        existing = _registry.get(self.name)
        if existing is not None and existing is not self:
            raise WorkflowDefinitionError(f"a workflow named {self.name!r} already exists")
        _registry[self.name] = self

    # --- validation -------------------------------------------------------------------------
    def _fail(self, message: str) -> WorkflowDefinitionError:
        return WorkflowDefinitionError(f"workflow {self.name!r}: {message}")

    def _validate(self) -> None:
        if self.initial not in self._states:
            raise self._fail(f"initial state {self.initial!r} is not declared")
        for t in self.transitions:
            for code in (*t.sources, t.target):
                if code not in self._states:
                    raise self._fail(f"transition {t.name!r} names unknown state {code!r}")
            if not t.sources:
                raise self._fail(f"transition {t.name!r} has no source state")
            if not t.capability:
                raise self._fail(f"transition {t.name!r} needs a capability")
            for source in t.sources:
                if self._states[source].terminal:
                    raise self._fail(f"transition {t.name!r} leaves terminal state {source!r}")
            for code in t.start:
                if code == ALL or code not in self._stages:
                    raise self._fail(f"transition {t.name!r} starts undeclared stage {code!r}")
            for code in (*t.stop, *t.pause, *t.resume):
                if code != ALL and code not in self._stages:
                    raise self._fail(f"transition {t.name!r} names undeclared stage {code!r}")
            for code, days in t.extend:
                if code not in self._stages or not isinstance(days, int) or days <= 0:
                    raise self._fail(f"transition {t.name!r} extends {code!r} wrongly")
        started = {code for t in self.transitions for code in t.start}
        for stage in self.stages:
            if stage.code not in started:
                raise self._fail(f"stage {stage.code!r} is never started")
            if isinstance(stage.days, int) and stage.days < 0:
                raise self._fail(f"stage {stage.code!r} has a negative budget")
            if stage.on_expiry and stage.on_expiry not in self._transitions:
                raise self._fail(f"stage {stage.code!r} expires into unknown transition")
        reachable = {self.initial}
        frontier = [self.initial]
        while frontier:
            state = frontier.pop()
            for t in self.transitions:
                if state in t.sources and t.target not in reachable:
                    reachable.add(t.target)
                    frontier.append(t.target)
        unreachable = [s.code for s in self.states if s.code not in reachable]
        if unreachable:
            raise self._fail(f"unreachable state(s) {unreachable}")

    # --- reading the table ------------------------------------------------------------------
    def state(self, code: str) -> State:
        try:
            return self._states[code]
        except KeyError:
            raise KeyError(f"workflow {self.name!r} has no state {code!r}") from None

    def transition(self, name: str) -> Transition | None:
        return self._transitions.get(name)

    def stage(self, code: str) -> Stage | None:
        return self._stages.get(code)

    def allowed(self, state: str) -> tuple[Transition, ...]:
        """Transitions that may leave ``state``, in table order (capabilities not checked)."""
        return tuple(t for t in self.transitions if state in t.sources)

    def is_allowed(self, state: str, name: str) -> bool:
        t = self._transitions.get(name)
        return t is not None and state in t.sources

    def is_open(self, state: str) -> bool:
        """Open311 status: True for ``open``, False for ``closed``."""
        return self.state(state).open

    def public_label(self, state: str) -> str:
        return str(self.state(state).public_label)

    def public_labels(self) -> dict[str, str]:
        """State code → the label citizens see."""
        return {s.code: str(s.public_label) for s in self.states}

    def choices(self) -> list[tuple[str, str]]:
        """(code, officer label) pairs for a model field or a filter."""
        return [(s.code, str(s.label)) for s in self.states]

    def as_table(self) -> list[TableRow]:
        """One row per transition: for documentation pages and table-driven tests."""
        rows = []
        for t in self.transitions:
            effects = [
                *(f"stop {c}" for c in t.stop),
                *(f"pause {c}" for c in t.pause),
                *(f"resume {c}" for c in t.resume),
                *(f"extend {c} +{d}" for c, d in t.extend),
                *(f"start {c}" for c in t.start),
            ]
            if self._states[t.target].terminal:
                effects.append("stop *")
            rows.append(
                TableRow(
                    transition=t.name,
                    label=str(t.label),
                    sources=t.sources,
                    target=t.target,
                    capability=t.capability,
                    requires_note=t.requires_note,
                    public=t.public,
                    clocks=", ".join(effects),
                )
            )
        return rows


def _unique(items: tuple[Any, ...], attr: str, what: str, workflow: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in items:
        key = getattr(item, attr)
        if not key:
            raise WorkflowDefinitionError(f"workflow {workflow!r}: a {what} has no {attr}")
        if key in found:
            raise WorkflowDefinitionError(f"workflow {workflow!r}: duplicate {what} {key!r}")
        found[key] = item
    return found


def get_workflow(name: str) -> Workflow | None:
    """The registered workflow of that name (modules register theirs by importing states.py)."""
    return _registry.get(name)
