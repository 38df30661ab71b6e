"""Fixtures of the security suite: the probed world, a throwaway media storage, clients."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.security.objects import World, build_world, register_subject_access


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Users are created by the dozen here; a fast hasher keeps the suite quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    cache.clear()  # throttle and lockout counters start empty
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:
    undo = register_subject_access()
    try:
        yield build_world()
    finally:
        undo()
