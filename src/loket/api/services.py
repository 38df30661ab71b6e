"""Writes of the API app: creating and revoking keys and personal tokens."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.api import keys
from loket.api.models import ApiKey
from loket.api.scopes import unknown_scopes
from loket.core.audit import log_action

if TYPE_CHECKING:
    from loket.accounts.models import User
    from loket.organizations.models import Government

# A citizen rarely needs more than a couple of tokens; the cap keeps a leaked session from
# minting an unbounded number of them.
MAX_PERSONAL_TOKENS = 10
# last_used_at is informative only: one write a minute per key is enough and keeps reads
# from writing on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenLimitReached(Exception):
    """The user already holds the maximum number of active personal tokens."""


def apikey_create(
    *,
    name: str,
    scopes: list[str],
    user: User | None = None,
    government: Government | None = None,
    actor: Any = None,
) -> tuple[ApiKey, str]:
    """Create a key and return it with its plaintext, which is never stored nor shown again.

    With ``user`` it is a personal token acting as that user; without, an integrator key that
    acts as no user and is limited to its scopes. ``actor`` defaults to ``user`` (a citizen
    making their own token); the command line passes none.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Nama wajib diisi.")]})
    if len(name) > 100:
        raise ValidationError({"name": [_("Nama paling banyak 100 karakter.")]})
    unknown = unknown_scopes(scopes)
    if unknown:
        raise ValidationError(
            {"scopes": [_("Cakupan tidak dikenal: %(s)s.") % {"s": ", ".join(unknown)}]}
        )
    clean_scopes = sorted(set(scopes))
    with transaction.atomic():
        if user is not None:
            active = ApiKey.objects.filter(user=user, revoked_at__isnull=True).count()
            if active >= MAX_PERSONAL_TOKENS:
                raise TokenLimitReached
        prefix = keys.new_prefix()
        while ApiKey.objects.filter(prefix=prefix).exists():
            prefix = keys.new_prefix()
        secret = keys.new_secret()
        key = ApiKey.objects.create(
            name=name,
            prefix=prefix,
            key_hash=keys.hash_secret(prefix, secret),
            scopes=clean_scopes,
            user=user,
            government=government,
        )
        log_action(
            "api.key_created",
            actor=actor if actor is not None else user,
            obj=key,
            government_id=government.pk if government is not None else None,
            payload={
                "prefix": prefix,
                "name": name,
                "scopes": clean_scopes,
                "personal": user is not None,
            },
        )
    return key, keys.format_key(prefix, secret)


def apikey_revoke(*, key: ApiKey, actor: Any) -> ApiKey:
    """Revoke a key at once. Revoking a revoked key changes nothing and writes no event."""
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        log_action(
            "api.key_revoked",
            actor=actor,
            obj=locked,
            government_id=locked.government_id,
            payload={"prefix": locked.prefix, "personal": locked.user_id is not None},
        )
    return locked


def apikey_mark_used(*, key: ApiKey, now: datetime | None = None) -> None:
    """Record that a key was used, at most once per minute per key.

    Not audited: it is a usage hint, not a state change anyone acts on. The conditional
    UPDATE keeps concurrent requests on several servers from all writing.
    """
    now = now or timezone.now()
    threshold = now - LAST_USED_RESOLUTION
    if key.last_used_at is not None and key.last_used_at > threshold:
        return
    ApiKey.objects.filter(pk=key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=threshold)
    ).update(last_used_at=now)
    key.last_used_at = now
