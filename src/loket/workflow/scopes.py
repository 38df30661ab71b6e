"""Who may take a transition: anything that answers ``can(capability, government_id=, …)``.

Officers act through :class:`loket.core.permissions.OfficerScope`. Two more kinds of actors
need a scope: the citizen a subject belongs to (the domain module checks ownership first and then
acts with :func:`owner_scope`) and the system itself (periodic jobs, :data:`SYSTEM_SCOPE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

# Capabilities no officer role holds: they are given only by the scopes below.
SYSTEM = "workflow.system"
SUBJECT_OWNER = "workflow.owner"


class Scope(Protocol):
    def can(self, capability: str, *, government_id: int, agency_id: int | None = None) -> bool:
        """May this actor use ``capability`` on an object of this government (and agency)?"""
        ...


@dataclass(frozen=True)
class GrantedScope:
    """A scope holding a fixed set of capabilities everywhere; ``role`` names the actor in the
    timeline and the audit trail."""

    role: str
    capabilities: frozenset[str]

    def can(self, capability: str, *, government_id: int, agency_id: int | None = None) -> bool:
        return capability in self.capabilities


SYSTEM_SCOPE = GrantedScope(role="system", capabilities=frozenset({SYSTEM}))


def owner_scope(role: str = "citizen") -> GrantedScope:
    """The scope of the citizen who owns the subject. Call it only after checking ownership."""
    return GrantedScope(role=role, capabilities=frozenset({SUBJECT_OWNER}))
