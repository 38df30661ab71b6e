"""Human-readable running numbers (tracking numbers, document and receipt numbers).

``next_number("complaint:12:2026")`` returns 1, 2, 3 … for that series. Taking a number is one
``UPDATE … RETURNING`` statement, so two requests never get the same number. The row stays
locked until the caller's transaction ends: called inside a long transaction, every other
request of the same series waits for it; called outside one (autocommit), the lock lasts one
statement. A rolled-back transaction gives its number back; a number taken outside the
transaction that then fails is simply skipped. No gaps are promised; no duplicates ever happen.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from loket.core.models import NumberSequence


def next_number(name: str) -> int:
    """The next number of series ``name``."""
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE name = %s RETURNING last",  # noqa: S608
            [name],
        )
        row = cursor.fetchone()
    if row is not None:
        return int(row[0])
    try:
        with transaction.atomic():
            NumberSequence.objects.create(name=name, last=1)
            return 1
    except IntegrityError:
        # Another request created the series first; take the next number of it.
        return next_number(name)
