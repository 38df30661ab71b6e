"""Accessibility checks reuse the browser fixtures of the journeys (tests/e2e/conftest.py)."""

from __future__ import annotations

import pytest

from tests.security.objects import build_world, register_subject_access


def pytest_collection_modifyitems(config, items):
    from pathlib import Path

    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    from loket.catalog.models import Theme

    # Transactional tests empty every table, the migrations' data rows included.
    Theme.objects.get_or_create(slug="surat-keterangan", defaults={"name": "Surat keterangan"})
    undo = register_subject_access()
    try:
        yield build_world()
    finally:
        undo()
