"""The PDF of an issued document: a registry of per-service templates and the renderer.

A template is a function that turns :class:`DocumentContent` into a list of ReportLab
flowables (the body of the page); the renderer adds the page frame (A4 margins, the footer that
says how to verify) and builds the PDF. Register a service's own template with
:func:`register_document_template` from its module's ``AppConfig.ready``; ``"default"`` always
exists.

Same inputs give the same bytes: ReportLab runs in invariant mode (fixed creation date and
document id) and the QR code is drawn from its module matrix as vector squares. The text uses
the PDF base font Helvetica, so nothing is embedded and nothing depends on installed fonts;
characters it cannot show are transliterated to their closest Latin form.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

import segno
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
QR_ERROR_LEVEL = "m"
QR_SIZE = 32 * mm


def format_date_id(day: date) -> str:
    """``22 November 2026``: the date as an Indonesian official letter writes it."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class DocumentContent:
    """Everything a template may print. ``fields`` are (label, value) pairs in full."""

    government_name: str
    agency_name: str
    title: str
    number: str
    date_text: str
    applicant_name: str
    decision: str
    fields: Sequence[tuple[str, str]]
    signatory_name: str
    signatory_position: str
    verification_url: str


TemplateFunction = Callable[[DocumentContent], list[Flowable]]
_TEMPLATES: dict[str, TemplateFunction] = {}


def register_document_template(name: str, template: TemplateFunction) -> None:
    """Make ``template`` available under ``name`` (a service's configuration names it)."""
    _TEMPLATES[name] = template


def template_exists(name: str) -> bool:
    return name in _TEMPLATES


def plain_text(value: str) -> str:
    """``value`` reduced to characters Helvetica (WinAnsi) can show: letters with marks it
    lacks lose the mark (Ş → S); anything else becomes ``?``."""
    out: list[str] = []
    for char in value:
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            char = plain or "?"
        out.append(char)
    return "".join(out)


def pdf_text(value: str) -> str:
    """``value`` as :func:`plain_text`, XML-escaped for a ReportLab Paragraph."""
    return escape(plain_text(value))


def qr_code(url: str) -> segno.QRCode:
    """The QR code printed on a document: the verification URL, error level M."""
    return segno.make(url, error=QR_ERROR_LEVEL, micro=False)


def qr_drawing(url: str, size: float = QR_SIZE) -> Drawing:
    """The QR code as vector squares (with its quiet zone), ``size`` points wide."""
    matrix = list(qr_code(url).matrix_iter(scale=1, border=4))
    cells = len(matrix)
    cell = size / cells
    drawing = Drawing(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None))
    for row_index, row in enumerate(matrix):
        y = size - (row_index + 1) * cell
        for column_index, dark in enumerate(row):
            if dark:
                drawing.add(
                    Rect(
                        column_index * cell,
                        y,
                        cell,
                        cell,
                        fillColor=colors.black,
                        strokeColor=None,
                        strokeWidth=0,
                    )
                )
    return drawing


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14)
    return {
        "body": base,
        "heading": ParagraphStyle(
            "heading", parent=base, fontName="Helvetica-Bold", fontSize=13, alignment=TA_CENTER
        ),
        "subheading": ParagraphStyle("subheading", parent=base, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName="Helvetica-Bold",
            fontSize=12,
            leading=16,
            alignment=TA_CENTER,
            spaceBefore=6,
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
    }


def default_template(content: DocumentContent) -> list[Flowable]:
    """Header with the government and agency, title and number, the applicant, the decision,
    the fields table, then the QR code beside the signatory block."""
    s = _styles()
    story: list[Flowable] = [
        Paragraph(pdf_text(content.government_name.upper()), s["heading"]),
        Paragraph(pdf_text(content.agency_name), s["subheading"]),
        Spacer(1, 3 * mm),
        Table([[""]], colWidths=[170 * mm], rowHeights=[1]),
        Spacer(1, 4 * mm),
        Paragraph(pdf_text(content.title.upper()), s["title"]),
        Paragraph(pdf_text(_("Nomor: %(number)s") % {"number": content.number}), s["center"]),
        Spacer(1, 6 * mm),
        Paragraph(pdf_text(_("Diberikan kepada:")), s["body"]),
        Paragraph(f"<b>{pdf_text(content.applicant_name)}</b>", s["body"]),
        Spacer(1, 4 * mm),
    ]
    for paragraph in content.decision.split("\n\n"):
        if paragraph.strip():
            text = pdf_text(paragraph.strip()).replace("\n", "<br/>")
            story.append(Paragraph(text, s["body"]))
            story.append(Spacer(1, 2 * mm))
    if content.fields:
        rows = [
            [Paragraph(pdf_text(label), s["body"]), Paragraph(pdf_text(value), s["body"])]
            for label, value in content.fields
        ]
        table = Table(rows, colWidths=[55 * mm, 115 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f0f0")),
                ]
            )
        )
        story += [Spacer(1, 3 * mm), table]
    signature = [
        Paragraph(
            pdf_text(_("Diterbitkan pada %(date)s") % {"date": content.date_text}), s["body"]
        ),
        Paragraph(pdf_text(content.signatory_position), s["body"]),
        Spacer(1, 14 * mm),
        Paragraph(f"<b>{pdf_text(content.signatory_name)}</b>", s["body"]),
    ]
    block = Table(
        [[qr_drawing(content.verification_url), signature]],
        colWidths=[85 * mm, 85 * mm],
    )
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    story += [Spacer(1, 10 * mm), block]
    return story


register_document_template("default", default_template)


def footer_text(url: str) -> str:
    return _(
        "Keaslian dokumen ini dapat diperiksa dengan memindai kode QR atau membuka %(url)s"
    ) % {"url": url}


def render_document_pdf(content: DocumentContent, *, template: str = "default") -> bytes:
    """The PDF bytes of ``content`` laid out by ``template`` (always in Indonesian).

    Raises ``KeyError`` for a template name nobody registered.
    """
    template_function = _TEMPLATES[template]
    with translation.override("id"):
        story = template_function(content)
        footer = pdf_text(footer_text(content.verification_url))
        small = _styles()["small"]

        def draw_footer(canvas: Canvas, document: SimpleDocTemplate) -> None:
            paragraph = Paragraph(footer, small)
            width = A4[0] - 40 * mm
            _w, height = paragraph.wrap(width, 20 * mm)
            paragraph.drawOn(canvas, 20 * mm, 12 * mm + (12 * mm - height))

        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=20 * mm,
            bottomMargin=28 * mm,
            title=plain_text(f"{content.title} {content.number}"),
            author=plain_text(content.agency_name),
            creator="Loket",
            producer="Loket",
            subject="",
            invariant=1,
        )
        document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
