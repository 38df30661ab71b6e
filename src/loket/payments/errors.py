"""Domain errors of the payments module; views and the callback turn them into HTTP answers."""

from __future__ import annotations


class PaymentError(Exception):
    """A payment request that cannot be done, with a message for the user and an HTTP status."""

    status = 400
    code = "payment_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BillNotFound(PaymentError):
    status = 404
    code = "bill_not_found"


class InvalidCode(PaymentError):
    status = 400
    code = "invalid_code"


class AmountMismatch(PaymentError):
    status = 400
    code = "amount_mismatch"


class BillConflict(PaymentError):
    """Already paid under another reference, cancelled or expired."""

    status = 409
    code = "conflict"
