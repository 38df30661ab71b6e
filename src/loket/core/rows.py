"""New rows inserted with a statement built once per model.

``Model.save(force_insert=True)`` builds its INSERT afresh every time: the compiler walks the
model's fields, quotes the names and assembles the statement. A filing inserts seven rows, and
building them cost about as much CPU as sending them. :func:`insert` builds the statement once
per model and database, then for each row only converts the values field by field, as ``save``
does (``pre_save`` for ``auto_now_add``, ``get_db_prep_save`` for the database's types), and
reads the new primary key back with ``RETURNING``.

It covers a plain model only. A model that overrides ``save`` (or the methods under it), has
``pre_save``/``post_save`` receivers, a parent model, ``order_with_respect_to``, a database
default, a generated or returned column, a field with its own placeholder, a row whose primary
key the caller set, or a value that is an expression, goes through ``save(force_insert=True)``
as before: the result is the same row either way (tests/core/test_rows.py).
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.signals import post_save, pre_save

type _Statement = tuple[str, list[models.Field[Any, Any]]]  # the SQL and its fields in order

# (model, database alias) -> its statement, or None when the model must use save()
_STATEMENTS: dict[tuple[type[models.Model], str], _Statement | None] = {}


def _statement(model: type[models.Model], using: str) -> _Statement | None:
    key = (model, using)
    if key not in _STATEMENTS:
        _STATEMENTS[key] = _build(model, using)
    return _STATEMENTS[key]


def _build(model: type[models.Model], using: str) -> _Statement | None:
    connection = connections[using]
    meta = model._meta
    pk = meta.pk
    if (
        pk is None
        or not isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField)
        or meta.parents  # multi-table inheritance writes several tables
        or meta.order_with_respect_to is not None  # save computes _order
        or any(
            getattr(model, name) is not getattr(models.Model, name)
            for name in ("save", "save_base", "_save_table", "_do_insert")
        )
        or not connection.features.can_return_columns_from_insert
    ):
        return None
    fields = [f for f in meta.concrete_fields if f is not pk]
    if not fields or any(
        f.has_db_default()
        or getattr(f, "generated", False)
        or getattr(f, "db_returning", False)
        or hasattr(f, "get_placeholder")  # a cast around its placeholder (arrays, ranges)
        for f in fields
    ):
        return None
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values}) "  # noqa: S608
        f"RETURNING {quote(str(pk.column))}"
    )
    return sql, fields


def insert[M: models.Model](obj: M, *, using: str = DEFAULT_DB_ALIAS) -> M:
    """Insert ``obj`` as a new row, as ``obj.save(force_insert=True)`` would; returns it with
    its primary key set."""
    model = type(obj)
    built = None if obj.pk is not None else _statement(model, using)
    if built is None or pre_save.has_listeners(model) or post_save.has_listeners(model):
        obj.save(force_insert=True, using=using)
        return obj
    sql, fields = built
    connection = connections[using]
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    params = []
    for field in fields:
        value = field.pre_save(obj, True)
        if hasattr(value, "resolve_expression"):
            obj.save(force_insert=True, using=using)
            return obj
        params.append(field.get_db_prep_save(value, connection=connection))
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = using
    return obj
