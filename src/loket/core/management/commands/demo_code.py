"""Print the current second-factor code of the demo officers (refused in production)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Show the current TOTP code shared by the demo officers."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Not available in production.")
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        from loket.demo import data

        counter = int(time.time()) // 30
        code = format_hotp_value(hotp_value(data.DEMO_TOTP_SECRET, counter))
        remaining = 30 - int(time.time()) % 30
        self.stdout.write(f"{code}  (valid for {remaining} s more)")
