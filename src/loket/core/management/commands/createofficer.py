"""``loket createofficer``: an officer account with a membership in one agency."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from loket.accounts.passwords import officer_password_problems


class Command(BaseCommand):
    help = "Create an officer (with a second factor required at first sign-in) in one agency."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="full name")
        parser.add_argument("--agency-slug", required=True)
        parser.add_argument("--government-slug", required=True)
        parser.add_argument("--role", required=True, help="membership role, e.g. handler")
        parser.add_argument("--password", help="officer password; asked for when left out (safer)")
        parser.add_argument(
            "--platform-admin",
            action="store_true",
            help="also give Django admin rights (is_staff and is_superuser)",
        )

    def _ask_password(self) -> str:
        for _attempt in range(3):
            first = getpass.getpass("Password: ")
            problems = officer_password_problems(first)
            if problems:
                for problem in problems:
                    self.stderr.write(problem)
                continue
            if getpass.getpass("Password (again): ") != first:
                self.stderr.write("The passwords differ.")
                continue
            return first
        raise CommandError("No acceptable password given.")

    def handle(self, *args: Any, **options: Any) -> None:
        from loket.accounts.services import create_officer
        from loket.organizations.models import Agency, Role

        if options["role"] not in Role.values:
            raise CommandError(f"Unknown role; choose one of: {', '.join(Role.values)}")
        agency = (
            Agency.objects.select_related("government")
            .filter(slug=options["agency_slug"], government__slug=options["government_slug"])
            .first()
        )
        if agency is None:
            raise CommandError("No such agency in that government.")
        password = options["password"] or self._ask_password()
        try:
            user = create_officer(
                email=options["email"],
                full_name=options["name"],
                password=password,
                agency=agency,
                role=options["role"],
                platform_admin=options["platform_admin"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(str(m) for m in exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Officer #{user.pk} created in {agency}. They set up their authenticator app "
                "at first sign-in."
            )
        )
