"""Reference rows that every filing reads (a government by its slug, a category by its id or
Open311 code, a desa/kelurahan by its code), kept in the shared cache for a few minutes.

Each read would otherwise be a query of its own, and a filing's queries are most of its cost.
A row is cached under ``loket:ref:<model>:<fields>:<field>:<value>`` (``<fields>`` changes with
the model's columns, so a release that changes them never reads rows pickled by the one
before). Saving or deleting a row of a registered model drops its keys, those of its values
before the save included (a renamed slug), at once and again when the transaction commits: a
filing that read the old row in between cannot put it back for long. The cache is shared, so
every web server and worker sees the change. What changes without signals (a bulk update of
region names) lasts at most ``REFERENCE_SECONDS``; so does a drop that the cache server missed
while it was away. A lookup that finds nothing is not cached, so a new row is found at once.

Only worth it with a cache in memory (Redis, or the process's own in tests): with the database
cache a hit is a query too, so :func:`fast_cache` is False there and rows are read directly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import models, transaction

REFERENCE_SECONDS = 300

# model label -> (lookup fields, key prefix) (registered by ``cache_by``)
_MODELS: dict[str, tuple[tuple[str, ...], str]] = {}


def fast_cache() -> bool:
    """Whether the default cache answers without a database query (Redis, local memory)."""
    return not isinstance(caches["default"], DatabaseCache)


def cache_by(model: type[models.Model], *fields: str) -> None:
    """Register the lookup fields of a model whose rows are read through :func:`cached`, and
    drop a row's keys whenever it is saved or deleted."""
    from django.db.models.signals import post_delete, post_save, pre_save

    label = model._meta.label_lower
    columns = ",".join(f.attname for f in model._meta.concrete_fields)
    version = hashlib.sha256(columns.encode()).hexdigest()[:8]
    _MODELS[label] = (fields, f"loket:ref:{label}:{version}")
    pre_save.connect(_forget_previous, sender=model, dispatch_uid=f"loket-ref-{label}-pre")
    for signal in (post_save, post_delete):
        uid = f"loket-ref-{label}-{signal is post_save}"
        signal.connect(_forget, sender=model, dispatch_uid=uid)


def _keys(label: str, pairs: Iterable[tuple[str, object]]) -> list[str]:
    prefix = _MODELS[label][1]
    return [f"{prefix}:{field}:{value}" for field, value in pairs]


def _drop(keys: list[str]) -> None:
    if keys:
        cache.delete_many(keys)
        # Again once the change is visible to others: a reader between the two may have
        # cached the row as it was.
        transaction.on_commit(lambda: cache.delete_many(keys))


def _forget(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    forget(instance)


def _forget_previous(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    """Before a save: the keys of the row's stored values (a slug or code about to change)."""
    label = instance._meta.label_lower
    named = [field for field in _MODELS[label][0] if field != "pk"]
    if raw or instance.pk is None or not named or not fast_cache():
        return
    stored = sender._default_manager.filter(pk=instance.pk).values(*named).first()
    if stored:
        _drop(_keys(label, stored.items()))


def forget(instance: models.Model) -> None:
    """Drop the cached copies of ``instance`` (also after a change the signals do not see,
    such as a queryset ``update`` of that row)."""
    label = instance._meta.label_lower
    if label in _MODELS and fast_cache():
        _drop(_keys(label, ((field, getattr(instance, field)) for field in _MODELS[label][0])))


def cached[M: models.Model](
    model: type[M], field: str, value: object, load: Callable[[], M | None]
) -> M | None:
    """The row of ``model`` whose ``field`` is ``value``: from the cache, else ``load()``
    (cached when it finds one). ``field`` must be registered with :func:`cache_by`.

    Pass a function that builds its query when called (``lambda: Model.objects.filter(...)
    .first()``): building a queryset costs about as much as a cache hit, and a hit needs none.
    """
    label = model._meta.label_lower
    if field not in _MODELS.get(label, ((), ""))[0]:
        raise ValueError(f"{label}.{field} is not a cached lookup")
    if not fast_cache():
        return load()
    key = _keys(label, [(field, value)])[0]
    row: M | None = cache.get(key)
    if row is None:
        row = load()
        if row is not None:
            cache.set(key, row, REFERENCE_SECONDS)
    return row
