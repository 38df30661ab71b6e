"""Install the demo data once (used by ``loket demo``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from loket.demo import data


def demo_accounts_text() -> str:
    lines = [
        "",
        f"Demo accounts (password for all: {data.DEMO_PASSWORD})",
        "  citizens:  " + ", ".join(data.citizen_email(c[0]) for c in data.CITIZENS),
        f"  officers (second factor: TOTP secret {data.DEMO_TOTP_SECRET}; "
        "`loket demo-code` prints the current code):",
    ]
    for officer in data.OFFICERS:
        lines.append(f"    {data.officer_email(officer):<42} {officer.role} · {officer.government}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Install the demo data (Lampung) unless it is already there."

    def handle(self, *args: Any, **options: Any) -> None:
        from loket.demo.services import install_demo

        if install_demo():
            self.stdout.write("Demo data installed.")
        elif options["verbosity"] > 1:
            self.stdout.write("Demo data already installed.")
