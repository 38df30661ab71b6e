"""``loket audit verify``: recompute the audit chain; exit 1 naming the first bad sequence."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from loket.core.audit import verify_chain


class Command(BaseCommand):
    help = "Audit chain tools: verify"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if result.ok:
            self.stdout.write(
                _("Rantai audit utuh: %(n)d catatan diperiksa.") % {"n": result.checked}
            )
            return
        self.stderr.write(
            _("Rantai audit RUSAK pada urutan %(seq)s: %(reason)s (%(n)d catatan sebelumnya utuh).")
            % {"seq": result.first_bad_sequence, "reason": result.reason, "n": result.checked}
        )
        sys.exit(1)
