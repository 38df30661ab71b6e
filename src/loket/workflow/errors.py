"""Domain errors of the workflow engine; views and the API turn them into HTTP answers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from loket.core.errors import DomainError


class WorkflowError(DomainError):
    """A workflow request that cannot be done, with a message for the user and an HTTP status."""

    status = 400
    code = "workflow_error"


class IllegalTransition(WorkflowError):
    """The action does not exist, is not allowed from the current state, or someone else
    changed the state first. Views and the API answer 409 Conflict."""

    status = 409
    code = "illegal_transition"


class NotPermitted(WorkflowError):
    """The actor may not take this action here. Views and the API answer 404, exactly as for a
    missing object, so that ids reveal nothing."""

    status = 404
    code = "not_found"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or _("Tidak ditemukan."))
