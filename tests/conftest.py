"""Test set-up shared by every test: a throwaway data dir and the real database."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("LOKET_DATA_DIR", tempfile.mkdtemp(prefix="loket-test-"))

import pytest


@pytest.fixture(autouse=True, scope="session")
def _allow_emptying_audit_table():
    """Tests empty tables between transactional tests; the audit triggers would refuse that.
    Tests of the triggers themselves switch the maintenance flag off again."""
    from loket.core.db import set_audit_maintenance

    set_audit_maintenance(True)
    yield
