"""Running numbers: consecutive per series, never duplicated under concurrency."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from loket.core.sequences import next_number


@pytest.mark.django_db
def test_series_are_consecutive_and_independent():
    assert [next_number("a:2026") for _ in range(3)] == [1, 2, 3]
    assert next_number("b:2026") == 1
    assert next_number("a:2026") == 4


@pytest.mark.django_db
def test_rolled_back_number_is_given_again():
    next_number("c")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("c") == 2
        raise RuntimeError
    assert next_number("c") == 2


@pytest.mark.django_db(transaction=True)
def test_parallel_callers_never_share_a_number():
    numbers: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    numbers.append(next_number("parallel"))
        except BaseException as exc:  # asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(numbers) == list(range(1, 41))
