"""Errors of the complaints module, on top of the engine's (IllegalTransition → 409,
NotPermitted → 404) and Django's ValidationError (→ 400 with the field messages)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from loket.workflow.errors import IllegalTransition, NotPermitted, WorkflowError

__all__ = ["IdentityWithheld", "IllegalTransition", "NotPermitted", "WorkflowError"]


class IdentityWithheld(WorkflowError):
    """The reporter chose to stay anonymous: no officer, whatever the role, may see who it is.
    Views and the API answer 403."""

    status = 403
    code = "identity_withheld"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or _("Pelapor memilih anonim; identitasnya tidak dapat dibuka."))
