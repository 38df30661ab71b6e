"""The IKM report as CSV, XLSX (openpyxl) and PDF (ReportLab, base fonts only).

All three write the same values as the page: NRR and IKM rounded for display (halves upwards)
in CSV and PDF; XLSX cells hold the unrounded numbers with a two-decimal format so they can be
recomputed. Text that a spreadsheet would run as a formula is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from loket.surveys.models import SurveyResponse
from loket.surveys.reports import IkmReport

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _header_rows(report: IkmReport) -> list[list[Any]]:
    return [
        [_("Laporan Indeks Kepuasan Masyarakat (IKM)")],
        [_("Pemerintah daerah"), report.government.name],
        [_("Perangkat daerah"), report.agency.name if report.agency else _("Semua")],
        [_("Layanan"), report.service.name if report.service else _("Semua")],
        [_("Periode"), report.date_from.isoformat(), report.date_to.isoformat()],
        [_("Bobot unsur"), report.weight_display],
    ]


def _element_header() -> list[str]:
    return [_("Unsur"), _("Nama unsur"), _("Jumlah menjawab"), _("NRR"), _("NRR tertimbang")]


def _breakdown_header(report: IkmReport) -> list[str]:
    first = _("Layanan") if report.breakdown_by == "service" else _("Perangkat daerah")
    return [first, _("Jumlah responden"), _("IKM (25-100)"), _("Mutu pelayanan")]


def _suggestion_header() -> list[str]:
    return [_("Tanggal"), _("Layanan"), _("Saran")]


def _suggestion_rows(suggestions: Iterable[SurveyResponse]) -> list[list[Any]]:
    return [
        [s.answered_on.isoformat(), s.service.name if s.service else "", s.suggestion]
        for s in suggestions
    ]


def report_csv(report: IkmReport, suggestions: Sequence[SurveyResponse]) -> bytes:
    """The report as UTF-8 CSV (with a BOM so spreadsheet programs read it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)

    def row(values: Iterable[Any]) -> None:
        writer.writerow([_safe(v) for v in values])

    for line in _header_rows(report):
        row(line)
    row([])
    row(_element_header())
    for e in report.elements:
        row([e.code, e.name, e.answered, e.nrr_display, e.weighted_display])
    row([])
    row([_("Jumlah responden"), report.result.count])
    row([_("IKM (1-4)"), report.index_display])
    row([_("IKM (25-100)"), report.unit_display])
    row([_("Mutu pelayanan"), report.grade, report.grade_label])
    if report.progress is not None:
        row([_("Populasi"), report.population])
        row([_("Target sampel (Krejcie-Morgan)"), report.progress.target])
        row([_("Capaian sampel (%)"), report.percent_display])
    if report.breakdown:
        row([])
        row(_breakdown_header(report))
        for b in report.breakdown:
            r = b.summary.result
            row([b.label, r.count, b.ikm_display, r.grade.value if r.grade else "—"])
    if suggestions:
        row([])
        row(_suggestion_header())
        for line in _suggestion_rows(suggestions):
            row(line)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_xlsx(report: IkmReport, suggestions: Sequence[SurveyResponse]) -> bytes:
    """The report as an XLSX workbook: sheet "IKM" (summary and breakdown) and "Saran"."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet: Any = book.active
    sheet.title = "IKM"
    bold = Font(bold=True)
    for line in _header_rows(report):
        sheet.append([_safe(v) for v in line])
    sheet["A1"].font = bold
    sheet.append([])
    sheet.append(_element_header())
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for e in report.elements:
        sheet.append(
            [
                e.code,
                e.name,
                e.answered,
                float(e.nrr) if e.nrr is not None else None,
                float(e.weighted) if e.weighted is not None else None,
            ]
        )
        sheet.cell(sheet.max_row, 4).number_format = "0.00"
        sheet.cell(sheet.max_row, 5).number_format = "0.0000"
    sheet.append([])
    r = report.result
    sheet.append([_("Jumlah responden"), r.count])
    sheet.append([_("IKM (1-4)"), float(r.index) if r.index is not None else None])
    sheet.cell(sheet.max_row, 2).number_format = "0.00"
    sheet.append([_("IKM (25-100)"), float(r.unit) if r.unit is not None else None])
    sheet.cell(sheet.max_row, 2).number_format = "0.00"
    sheet.append([_("Mutu pelayanan"), report.grade, report.grade_label])
    if report.progress is not None:
        sheet.append([_("Populasi"), report.population])
        sheet.append([_("Target sampel (Krejcie-Morgan)"), report.progress.target])
        sheet.append([_("Capaian sampel (%)"), float(report.progress.percent)])
    if report.breakdown:
        sheet.append([])
        sheet.append(_breakdown_header(report))
        for b in report.breakdown:
            res = b.summary.result
            sheet.append(
                [
                    _safe(b.label),
                    res.count,
                    float(res.unit) if res.unit is not None else None,
                    res.grade.value if res.grade else None,
                ]
            )
            sheet.cell(sheet.max_row, 3).number_format = "0.00"
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 40
    notes: Any = book.create_sheet(_("Saran"))
    notes.append(_suggestion_header())
    for line in _suggestion_rows(suggestions):
        notes.append([_safe(v) for v in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _pdf_text(value: str) -> str:
    """Escape for a ReportLab paragraph and keep to what Helvetica (WinAnsi) can show."""
    from xml.sax.saxutils import escape

    return escape(value.encode("cp1252", "replace").decode("cp1252"))


def report_pdf(report: IkmReport, suggestions: Sequence[SurveyResponse]) -> bytes:
    """The report as a one-document PDF (A4, uncompressed text so it can be searched)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    out = io.BytesIO()
    title = _("Laporan Indeks Kepuasan Masyarakat (IKM)")
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        subject=f"{report.subject_label} {report.unit_display} {report.grade}",
        pageCompression=0,
    )
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    story: list[Any] = [Paragraph(_pdf_text(title), styles["Title"])]
    for line in _header_rows(report)[1:]:
        story.append(
            Paragraph(
                f"<b>{_pdf_text(str(line[0]))}</b>: "
                + _pdf_text(" – ".join(str(v) for v in line[1:])),
                body,
            )
        )
    story.append(Spacer(1, 4 * mm))
    rows: list[list[Any]] = [_element_header()]
    rows += [
        [e.code, Paragraph(_pdf_text(e.name), body), e.answered, e.nrr_display,
         e.weighted_display]
        for e in report.elements
    ]  # fmt: skip
    story.append(Table(rows, colWidths=[14 * mm, 80 * mm, 26 * mm, 20 * mm, 30 * mm], style=grid))
    story.append(Spacer(1, 4 * mm))
    summary = [
        [_("Jumlah responden"), str(report.result.count)],
        [_("IKM (1-4)"), report.index_display],
        [_("IKM (25-100)"), report.unit_display],
        [_("Mutu pelayanan"), report.grade],
        [_("Kinerja unit pelayanan"), report.grade_label or "—"],
    ]
    if report.progress is not None:
        summary += [
            [_("Populasi"), str(report.population)],
            [_("Target sampel (Krejcie-Morgan)"), str(report.progress.target)],
            [_("Capaian sampel (%)"), report.percent_display],
        ]
    story.append(Table(summary, colWidths=[70 * mm, 40 * mm], style=grid))
    if report.breakdown:
        story.append(Spacer(1, 4 * mm))
        rows = [_breakdown_header(report)]
        for b in report.breakdown:
            res = b.summary.result
            rows.append(
                [Paragraph(_pdf_text(b.label), body), res.count, b.ikm_display,
                 res.grade.value if res.grade else "—"]
            )  # fmt: skip
        story.append(Table(rows, colWidths=[90 * mm, 30 * mm, 30 * mm, 20 * mm], style=grid))
    if suggestions:
        story.append(Spacer(1, 4 * mm))
        story.append(Paragraph(_pdf_text(_("Saran responden")), styles["Heading2"]))
        rows = [_suggestion_header()]
        rows += [
            [d, Paragraph(_pdf_text(svc), body), Paragraph(_pdf_text(text), body)]
            for d, svc, text in _suggestion_rows(suggestions[:100])
        ]
        story.append(Table(rows, colWidths=[22 * mm, 50 * mm, 98 * mm], style=grid))
    doc.build(story)
    return out.getvalue()
