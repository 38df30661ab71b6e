"""After-transition hooks: a module reacts to every step of its workflow, whoever took it.

Most steps are taken by a module's own services, which can act after ``apply_transition``
returns; some are taken by the engine itself (``on_expiry`` transitions of the SLA sweep, such
as auto-close), and the module still has to stamp its columns and tell people. A hook runs
inside the transition's transaction, after the audit entry, with the subject already in its
new state; an exception rolls the whole transition back::

    register_after_transition("complaint", on_complaint_transition)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from loket.workflow.models import WorkflowEvent

AfterTransition = Callable[[Any, "WorkflowEvent"], None]
_hooks: dict[str, list[AfterTransition]] = {}


def register_after_transition(workflow: str, hook: AfterTransition) -> None:
    """Call ``hook(subject, event)`` after every transition of ``workflow`` (once per hook)."""
    hooks = _hooks.setdefault(workflow, [])
    if hook not in hooks:
        hooks.append(hook)


def unregister_after_transition(workflow: str, hook: AfterTransition) -> None:
    hooks = _hooks.get(workflow, [])
    if hook in hooks:
        hooks.remove(hook)


def run_after_transition(workflow: str, subject: Any, event: WorkflowEvent) -> None:
    for hook in tuple(_hooks.get(workflow, ())):
        hook(subject, event)
