"""Reference rows that every filing reads (a government by its slug, a category by its id or
Open311 code, a desa/kelurahan by its code), kept in the shared cache for a few minutes.

Each read would otherwise be a query of its own, and a filing's queries are most of its cost.
A row is cached under ``loket:ref:<model>:<field>:<value>``. Saving or deleting a row of a
registered model drops its keys through signals; the cache is shared, so every web server and
worker sees the change at once. What changes without signals (a bulk update, a renamed slug
still cached under the old one) lasts at most ``REFERENCE_SECONDS``. A lookup that finds
nothing is not cached, so a row created a moment ago is found at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import models

REFERENCE_SECONDS = 300

# model label -> the fields its rows are looked up by (registered by ``cache_by``)
_FIELDS: dict[str, tuple[str, ...]] = {}


def _key(label: str, field: str, value: object) -> str:
    return f"loket:ref:{label}:{field}:{value}"


def cache_by(model: type[models.Model], *fields: str) -> None:
    """Register the lookup fields of a model whose rows are read through :func:`cached`, and
    drop a row's keys whenever it is saved or deleted."""
    from django.db.models.signals import post_delete, post_save

    label = model._meta.label_lower
    _FIELDS[label] = fields
    for signal in (post_save, post_delete):
        uid = f"loket-ref-{label}-{signal is post_save}"
        signal.connect(_forget, sender=model, dispatch_uid=uid)


def _forget(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    forget(instance)


def forget(instance: models.Model) -> None:
    """Drop the cached copies of ``instance`` (after a change the signals do not see)."""
    label = instance._meta.label_lower
    cache.delete_many(
        [_key(label, field, getattr(instance, field)) for field in _FIELDS.get(label, ())]
    )


def cached[M: models.Model](
    model: type[M], field: str, value: object, load: Callable[[], M | None]
) -> M | None:
    """The row of ``model`` whose ``field`` is ``value``: from the cache, else ``load()``
    (cached when it finds one). ``field`` must be registered with :func:`cache_by`."""
    label = model._meta.label_lower
    if field not in _FIELDS.get(label, ()):
        raise ValueError(f"{label}.{field} is not a cached lookup")
    key = _key(label, field, value)
    row: M | None = cache.get(key)
    if row is None:
        row = load()
        if row is not None:
            cache.set(key, row, REFERENCE_SECONDS)
    return row
