"""The back-office menu entry of complaints. ``register()`` is meant to be called from
``ComplaintsConfig.ready()`` (like the other modules' entries); it is idempotent."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from loket.backoffice.nav import NavEntry, register_nav
    from loket.core import permissions as perms

    register_nav(NavEntry(_("Pengaduan"), "complaints_office:queue", perms.COMPLAINT_READ, 10))
