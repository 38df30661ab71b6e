"""``loket ikm``: satisfaction-index tools.

loket ikm report --csv FILE [--weight exact|0.111] [--population N]
    IKM of the respondents in a paper-survey file, as JSON; touches no database.
loket ikm import FILE --government SLUG
    Import a paper-survey file (CSV or XLSX); nothing is imported when any row is bad.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from loket.surveys import ikm
from loket.surveys.importers import SurveyFileError, parse_survey_file


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def report_json(
    data: bytes, *, filename: str, weight: ikm.Weight, population: int | None
) -> dict[str, Any]:
    """The report printed by ``loket ikm report`` (also used by tests)."""
    rows = parse_survey_file(data, filename=filename)
    result = ikm.compute(count=len(rows), tallies=ikm.tally(r.scores for r in rows), weight=weight)
    out: dict[str, Any] = {
        "count": result.count,
        "nrr": {code: _float(result.nrr[code]) for code in ikm.ELEMENTS},
        "ikm": _float(result.unit),
        "ikm_display": ikm.display(result.unit) if result.unit is not None else None,
        "ikm_index": _float(result.index),
        "grade": result.grade.value if result.grade else None,
        "grade_label": result.grade.label if result.grade else None,
        "weight": weight.value,
    }
    if population is not None:
        target = ikm.krejcie_morgan(population)
        progress = ikm.sample_progress(collected=result.count, target=target)
        out["population"] = population
        out["sample_size"] = target
        out["sample_progress_percent"] = float(progress.percent)
        out["sample_reached"] = progress.reached
    return out


class Command(BaseCommand):
    help = "Satisfaction index (IKM) tools: report, import"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        report = sub.add_parser("report", help="IKM of a paper-survey file, as JSON")
        report.add_argument("--csv", required=True, dest="file", help="CSV or XLSX file")
        report.add_argument(
            "--weight", choices=[w.value for w in ikm.Weight], default=ikm.Weight.EXACT.value
        )
        report.add_argument("--population", type=int, default=None)
        imp = sub.add_parser("import", help="import a paper-survey file")
        imp.add_argument("file")
        imp.add_argument("--government", required=True, help="government slug")

    def _read(self, name: str) -> bytes:
        try:
            return Path(name).read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Berkas %(name)s tidak dapat dibaca: %(error)s")
                % {"name": name, "error": exc.strerror}
            ) from exc

    def _fail(self, error: SurveyFileError) -> None:
        for item in error.errors:
            self.stderr.write(str(item))
        sys.exit(1)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "report":
            population = options["population"]
            if population is not None and population < 0:
                raise CommandError(_("--population tidak boleh negatif."))
            data = self._read(options["file"])
            try:
                out = report_json(
                    data,
                    filename=options["file"],
                    weight=ikm.Weight(options["weight"]),
                    population=population,
                )
            except SurveyFileError as exc:
                self._fail(exc)
                return
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return

        from loket.organizations.models import Government
        from loket.surveys.services import paper_survey_import

        government = Government.objects.filter(slug=options["government"]).first()
        if government is None:
            raise CommandError(
                _("Pemerintah daerah %(slug)s tidak ditemukan.") % {"slug": options["government"]}
            )
        data = self._read(options["file"])
        try:
            result = paper_survey_import(
                government=government, data=data, filename=Path(options["file"]).name, actor=None
            )
        except SurveyFileError as exc:
            self._fail(exc)
            return
        self.stdout.write(_("%(n)d jawaban survei diimpor.") % {"n": result.imported})
