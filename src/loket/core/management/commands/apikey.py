"""``loket apikey``: create, list and revoke integrator keys.

loket apikey create NAME [--scope S ...] [--government SLUG]
loket apikey list [--all]
loket apikey revoke PREFIX
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from loket.api import selectors, services
from loket.api.errors import validation_fields
from loket.api.scopes import SCOPES
from loket.organizations.models import Government


class Command(BaseCommand):
    help = "Integrator API keys: create (printed once), list, revoke"

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create an integrator key and print it once")
        create.add_argument("name")
        create.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            default=None,
            help=f"repeatable; one of: {', '.join(sorted(SCOPES))} (default: read)",
        )
        create.add_argument("--government", help="slug of the government the key belongs to")
        listing = actions.add_parser("list", help="List keys (never their secrets)")
        listing.add_argument("--all", action="store_true", help="include revoked keys")
        revoke = actions.add_parser("revoke", help="Revoke a key by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options["name"], options["scopes"] or ["read"], options["government"])
        elif action == "list":
            self._list(include_revoked=options["all"])
        else:
            self._revoke(options["prefix"])

    def _create(self, name: str, scopes: list[str], government_slug: str | None) -> None:
        government = None
        if government_slug:
            government = Government.objects.filter(slug=government_slug).first()
            if government is None:
                raise CommandError(
                    _("Pemerintah daerah %(slug)s tidak ada.") % {"slug": government_slug}
                )
        try:
            key, plaintext = services.apikey_create(name=name, scopes=scopes, government=government)
        except ValidationError as exc:
            messages = validation_fields(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            )
            raise CommandError(
                " ".join(m for values in messages.values() for m in values)
                + " "
                + _("Cakupan yang dikenal: %(s)s.") % {"s": ", ".join(sorted(SCOPES))}
            ) from None
        self.stdout.write(plaintext)
        self.stderr.write(
            _(
                "Kunci %(prefix)s dibuat (cakupan: %(scopes)s). Simpan sekarang: kunci ini "
                "tidak dapat ditampilkan lagi."
            )
            % {"prefix": key.prefix, "scopes": ", ".join(key.scopes) or "-"}
        )

    def _list(self, *, include_revoked: bool) -> None:
        rows = selectors.apikey_list(include_revoked=include_revoked)
        header = f"{'PREFIX':<10} {'KIND':<9} {'SCOPES':<16} {'GOVERNMENT':<20} "
        header += f"{'LAST USED':<17} {'STATUS':<8} NAME"
        self.stdout.write(header)
        for key in rows:
            kind = "personal" if key.user_id is not None else "integr."
            government = key.government.slug if key.government is not None else "-"
            used = key.last_used_at.strftime("%Y-%m-%d %H:%M") if key.last_used_at else "-"
            state = "revoked" if key.revoked_at is not None else "active"
            self.stdout.write(
                f"{key.prefix:<10} {kind:<9} {','.join(key.scopes) or '-':<16} "
                f"{government:<20} {used:<17} {state:<8} {key.name}"
            )

    def _revoke(self, prefix: str) -> None:
        key = selectors.apikey_by_prefix(prefix=prefix.strip())
        if key is None:
            raise CommandError(_("Tidak ada kunci dengan awalan %(p)s.") % {"p": prefix})
        if key.revoked_at is not None:
            self.stdout.write(_("Kunci %(p)s sudah dicabut sebelumnya.") % {"p": key.prefix})
            return
        services.apikey_revoke(key=key, actor=None)
        self.stdout.write(_("Kunci %(p)s dicabut.") % {"p": key.prefix})
