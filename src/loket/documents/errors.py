"""Domain errors of the documents module."""

from __future__ import annotations


class DocumentError(Exception):
    """A request about a document that cannot be done, with a message for the user."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AlreadyRevoked(DocumentError):
    status = 409
