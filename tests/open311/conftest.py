"""Fixtures of the Open311 tests: the complaints world and integrator keys."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from loket.api.services import apikey_create
from tests.open311 import world as w


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters and the working-day calendar live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return w.build()


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def key(db):
    """Plaintext of an integrator key with the open311 scope."""
    return apikey_create(name="Aplikasi Open311", scopes=["open311"])[1]


@pytest.fixture
def read_key(db):
    """Plaintext of an integrator key without the open311 scope."""
    return apikey_create(name="Dasbor", scopes=["read"])[1]
