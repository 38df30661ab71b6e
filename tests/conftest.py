"""Test set-up shared by every test: a throwaway data dir and the real database."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("LOKET_DATA_DIR", tempfile.mkdtemp(prefix="loket-test-"))

import pytest

from tests.browser import browser, make_page, page  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True, scope="session")
def _allow_emptying_audit_table():
    """Tests empty tables between transactional tests; the audit triggers would refuse that.
    Tests of the triggers themselves switch the maintenance flag off again."""
    from loket.core.db import set_audit_maintenance

    set_audit_maintenance(True)
    yield


# --- No personal data or test passwords in logs, for the whole run ---------------------------
# One handler on the root logger sees every record of the session *before* the redaction filter
# of the console handler rewrites it, so code that logs personal data is caught at the source
# even where the filter would have hidden it. The check runs once, when the session ends.

_PII_PATTERNS = {
    "NIK": r"(?<![\w])\d{16}(?![\w])",
    "email": r"[\w.+-]+@[\w-]+\.[A-Za-z][\w.-]*",
    "mobile number": r"(?<![\w])\+?(?:62|0)8\d{7,12}(?![\w])",
}


def _known_test_passwords() -> set[str]:
    """Passwords the tests sign in with: constants of tests/factories.py and every literal
    ``password="…"`` in tests/factories.py and the tests' conftest files."""
    import re
    from pathlib import Path

    from tests import factories

    found = {
        value
        for name, value in vars(factories).items()
        if "PASSWORD" in name.upper() and isinstance(value, str)
    }
    here = Path(__file__).parent
    for source in [here / "factories.py", *here.glob("*/conftest.py")]:
        text = source.read_text(encoding="utf-8")
        found.update(re.findall(r"password\s*=\s*\"([^\"]{6,})\"", text))
    return found


class _LogLeakCollector:
    def __init__(self) -> None:
        import logging
        import re

        self.records: list[tuple[str, str, str]] = []  # (logger, level, message)
        self.patterns = {label: re.compile(rx) for label, rx in _PII_PATTERNS.items()}
        self.passwords = _known_test_passwords()
        self.handler = logging.Handler(level=logging.DEBUG)
        self.handler.emit = self._emit  # type: ignore[method-assign]

    def _emit(self, record) -> None:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            message += " | " + repr(record.exc_info[1])
        self.records.append((record.name, record.levelname, message))

    def _matches(self, label: str, message: str) -> bool:
        if label != "NIK":
            return bool(self.patterns[label].search(message))
        # Payment codes are 16 digits too, but end with a Luhn check digit (and say nothing
        # about a person); the NIKs the tests use do not.
        from loket.payments.codes import is_valid_code

        return any(not is_valid_code(m) for m in self.patterns[label].findall(message))

    def leaks(self) -> list[str]:
        found = []
        for name, level, message in self.records:
            what = [label for label in self.patterns if self._matches(label, message)]
            what += ["test password" for p in self.passwords if p in message][:1]
            if what:
                found.append(f"{name} {level} ({', '.join(what)}): {message[:300]!r}")
        return found


@pytest.fixture(autouse=True, scope="session")
def _no_personal_data_in_logs():
    """Fails the run (as a teardown error) if any log record of the session carried a NIK, an
    email, an Indonesian mobile number or a test password; lists logger, level and message."""
    import logging

    collector = _LogLeakCollector()
    root = logging.getLogger()
    root.handlers.insert(0, collector.handler)
    yield collector
    if collector.handler in root.handlers:
        root.removeHandler(collector.handler)
    leaks = collector.leaks()
    if leaks:
        pytest.fail(
            f"{len(leaks)} log record(s) carried personal data or a test password:\n"
            + "\n".join(f"  - {line}" for line in leaks[:50]),
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached reference rows (loket.core.refcache),
    calendars and counters of one test never reach the next, whose rows may reuse their ids."""
    from django.core.cache import cache

    from loket.core.calendar import forget_local_calendars

    cache.clear()
    forget_local_calendars()


@pytest.fixture
def throttle_clock(monkeypatch):
    """The API's rate-limit windows are aligned on the clock; a test that counts requests up
    to a limit runs 30 s into a minute, so its requests never straddle two windows. The clock
    is the returned list's one item: a test may move it."""
    from loket.api import throttling

    now = [1_800_000_030.0]
    monkeypatch.setattr(throttling, "_now", lambda: now[0])
    return now


@pytest.fixture(autouse=True)
def _reseed_migration_rows(request):
    """Transactional tests (live server, threads) empty every table between tests, including
    the rows data migrations put there; put those back so each test starts from a migrated
    database, as production does."""
    names = request.fixturenames
    if "transactional_db" not in names and "live_server" not in names:
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    importlib.import_module("loket.catalog.migrations.0002_seed_themes").seed(apps, None)
