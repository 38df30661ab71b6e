"""Domain errors: a request that cannot be done, with a message for the user and an HTTP
status. Services raise them; the API's exception handler and DomainErrorMiddleware turn them
into answers (404 for "not found or not yours", 409 for a conflict with the current state,
400 for anything else), so a domain error never becomes a 500."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "domain_error"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message or str(getattr(type(self), "default_message", "")) or self.code
