"""Fixtures of the officer complaint pages: the complaint tests' world (a kota with agencies,
officers in every role, categories, a report driven to any state) plus signed-in clients."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests import factories
from tests.complaints.conftest import (  # noqa: F401 - shared fixtures
    _fresh_calendar_cache,
    drive,
    org,
    routes,
    submit,
)


def signed_in(user) -> Client:
    """A client signed in as ``user``; officers get a TOTP authenticator first, as the
    back office requires (allauth would have asked for the code at login)."""
    from allauth.mfa.models import Authenticator

    if user.is_officer and not Authenticator.objects.filter(user=user).exists():
        factories.with_totp(user)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_user():
    return signed_in


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _nav():
    from loket.complaints.office_nav import register

    register()


def jpeg(name: str = "sesudah.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
