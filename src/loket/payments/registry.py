"""What the module owning a bill's subject registers: who may see the bill, and what happens
when it is paid."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from loket.payments.models import Bill

PaymentListener = Callable[["Bill"], None]
BillAccess = Callable[[Any, "Bill"], bool]
_LISTENERS: dict[str, list[PaymentListener]] = {}
_ACCESS: dict[str, BillAccess] = {}


def register_payment_listener(model_label: str, listener: PaymentListener) -> None:
    """Call ``listener(bill)`` when a bill for a subject of ``model_label``
    (``"app_label.modelname"``) is paid, inside the confirming transaction: if it raises, the
    payment is not recorded either. Call it from ``AppConfig.ready``."""
    listeners = _LISTENERS.setdefault(model_label.lower(), [])
    if listener not in listeners:
        listeners.append(listener)


def unregister_payment_listener(model_label: str, listener: PaymentListener) -> None:
    listeners = _LISTENERS.get(model_label.lower(), [])
    if listener in listeners:
        listeners.remove(listener)


def payment_listeners(model_label: str) -> list[PaymentListener]:
    return list(_LISTENERS.get(model_label.lower(), []))


def register_bill_access(model_label: str, check: BillAccess) -> None:
    """Let the module owning ``model_label`` decide which users (besides cashiers of the
    bill's agency) may see a bill, its receipt and the payment simulator."""
    _ACCESS[model_label.lower()] = check


def unregister_bill_access(model_label: str) -> None:
    _ACCESS.pop(model_label.lower(), None)


def bill_access(model_label: str) -> BillAccess | None:
    return _ACCESS.get(model_label.lower())
