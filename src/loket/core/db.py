"""Database helpers shared by every app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.backends.signals import connection_created

_audit_maintenance = False


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        # The audit triggers ask this function; a connection that lacks it (sqlite3 CLI)
        # fails the trigger and so refuses the change too.
        connection.connection.create_function(
            "loket_audit_maintenance", 0, lambda: 1 if _audit_maintenance else 0
        )
    elif connection.vendor == "postgresql" and _audit_maintenance:
        with connection.cursor() as cursor:
            cursor.execute("SET loket.audit_maintenance = 'on'")


def install() -> None:
    connection_created.connect(_on_connection_created, dispatch_uid="loket-db-functions")


def set_audit_maintenance(enabled: bool) -> None:
    """Allow (or forbid again) deleting audit rows: only for emptying a test database."""
    global _audit_maintenance
    _audit_maintenance = enabled
    if connection.connection is not None and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET loket.audit_maintenance = %s", ["on" if enabled else "off"])


@contextmanager
def audit_maintenance(enabled: bool) -> Iterator[None]:
    previous = _audit_maintenance
    set_audit_maintenance(enabled)
    try:
        yield
    finally:
        set_audit_maintenance(previous)
