"""Human-readable running numbers (tracking numbers, document and receipt numbers).

``next_number("complaint:12:2026")`` returns 1, 2, 3 … for that series. The row is locked for
the rest of the caller's transaction, so two requests never get the same number; a rolled-back
transaction gives its number back (no gaps are promised, no duplicates ever happen).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from loket.core.models import NumberSequence


def next_number(name: str) -> int:
    """The next number of series ``name``; call inside the transaction that uses it."""
    with transaction.atomic():
        updated = NumberSequence.objects.filter(name=name).update(last=F("last") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    NumberSequence.objects.create(name=name, last=1)
                    return 1
            except IntegrityError:
                # Another transaction created the series first; increment it instead.
                NumberSequence.objects.filter(name=name).update(last=F("last") + 1)
        return NumberSequence.objects.values_list("last", flat=True).get(name=name)
