"""``loket apikey create|list|revoke``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from loket.api import keys
from loket.api.models import ApiKey

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("apikey", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_the_key_once_with_a_warning(government):
    out, err = _run("create", "Aplikasi Open311", "--scope", "open311", "--government", "lampung")
    plaintext = out.strip()
    parsed = keys.parse_key(plaintext)
    assert parsed is not None
    key = ApiKey.objects.get()
    assert key.prefix == parsed.prefix
    assert key.scopes == ["open311"] and key.government == government and key.user is None
    assert key.key_hash == keys.hash_secret(parsed.prefix, parsed.secret)
    assert "tidak dapat ditampilkan lagi" in err
    assert plaintext not in err


def test_create_defaults_to_read_scope():
    _run("create", "Dasbor")
    assert ApiKey.objects.get().scopes == ["read"]


def test_list_shows_no_secrets_and_revoke(government):
    out, _ = _run("create", "Mitra", "--scope", "open311", "--scope", "read")
    plaintext = out.strip()
    prefix, secret = keys.parse_key(plaintext).prefix, keys.parse_key(plaintext).secret
    listing, _ = _run("list")
    assert prefix in listing and "Mitra" in listing and "active" in listing
    assert "open311,read" in listing
    assert secret not in listing

    out, _ = _run("revoke", prefix)
    assert prefix in out
    assert ApiKey.objects.get().revoked_at is not None
    assert prefix not in _run("list")[0]
    assert "revoked" in _run("list", "--all")[0]
    out, _ = _run("revoke", prefix)
    assert "sudah dicabut" in out


def test_errors_are_clear():
    with pytest.raises(CommandError, match="admin"):
        _run("create", "X", "--scope", "admin")
    with pytest.raises(CommandError, match="tidak-ada"):
        _run("create", "X", "--government", "tidak-ada")
    with pytest.raises(CommandError, match="zzzzzzzz"):
        _run("revoke", "zzzzzzzz")
    assert ApiKey.objects.count() == 0
