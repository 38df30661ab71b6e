"""Reactions to login events: the UI language follows the account, lockouts are audited."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

from loket.core.audit import log_action

log = logging.getLogger("loket.accounts.login")


def apply_account_language(
    sender: Any, request: Any, response: Any, user: Any, **kwargs: Any
) -> None:
    """After login, show the site in the language chosen on the profile."""
    language = getattr(user, "language", "")
    if response is not None and language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )


def record_lockout(
    sender: Any, request: Any, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    """django-axes locked an identifier out. ``username`` is already our keyed hash."""
    log.warning("login locked out ref=%s", username or "-")
    log_action("account.locked_out", object_type="accounts.login", payload={"ref": username or ""})


def connect() -> None:
    from allauth.account.signals import user_logged_in
    from axes.signals import user_locked_out

    user_logged_in.connect(apply_account_language, dispatch_uid="loket-account-language")
    user_locked_out.connect(record_lockout, dispatch_uid="loket-lockout-audit")
