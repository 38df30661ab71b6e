"""``loket import-regions FILE.csv`` / ``--bundled``: load the Kemendagri region list.

All lines or none: a bad file exits 1 with the bad line numbers and saves nothing.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from loket.organizations.regions import (
    BUNDLED_REGIONS,
    RegionFileError,
    import_regions,
)


class Command(BaseCommand):
    help = "Import a Kemendagri region list (code,name CSV or CSV.gz), or the bundled one."

    def add_arguments(self, parser: ArgumentParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("file", nargs="?", help="code,name CSV file (.csv or .csv.gz)")
        source.add_argument(
            "--bundled", action="store_true", help="import the list shipped with Loket"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = BUNDLED_REGIONS if options["bundled"] else options["file"]
        started = time.monotonic()
        try:
            result = import_regions(path=path)
        except RegionFileError as exc:
            raise CommandError(exc.message) from exc
        elapsed = time.monotonic() - started
        counts = result.counts
        self.stdout.write(
            _(
                "Wilayah diimpor dalam %(seconds).1f detik: %(provinces)d provinsi, "
                "%(regencies)d kabupaten/kota, %(districts)d kecamatan, "
                "%(villages)d desa/kelurahan (%(created)d baru, %(updated)d diperbarui, "
                "%(unchanged)d tetap)."
            )
            % {
                "seconds": elapsed,
                **counts,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
        )
