"""The PDF renderer: Indonesian dates, determinism, the QR code drawn in the page, templates."""

from __future__ import annotations

import re
from datetime import date

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from loket.documents.rendering import (
    QR_SIZE,
    DocumentContent,
    format_date_id,
    plain_text,
    qr_code,
    register_document_template,
    render_document_pdf,
)
from tests.documents.conftest import pdf_streams, pdf_text

URL = "https://loket.lampungprov.go.id/verifikasi/AbCdEfGhIjKlMnOpQrStUvWx/"


def content(**overrides) -> DocumentContent:
    values = {
        "government_name": "Pemerintah Provinsi Lampung",
        "agency_name": "Dinas Penanaman Modal dan PTSP",
        "title": "Izin Usaha",
        "number": "503/0012/DPMPTSP/2026",
        "date_text": "22 November 2026",
        "applicant_name": "Budi Santoso",
        "decision": "Memberikan izin usaha kepada pemohon.",
        "fields": [("Jenis usaha", "Warung makan (skala mikro)")],
        "signatory_name": "Ir. Andi",
        "signatory_position": "Kepala Dinas",
        "verification_url": URL,
    }
    values.update(overrides)
    return DocumentContent(**values)


def test_indonesian_dates():
    assert format_date_id(date(2026, 11, 22)) == "22 November 2026"
    assert format_date_id(date(2026, 1, 1)) == "1 Januari 2026"
    assert format_date_id(date(2025, 8, 17)) == "17 Agustus 2025"
    assert format_date_id(date(2024, 2, 29)) == "29 Februari 2024"
    assert format_date_id(date(2026, 5, 5)) == "5 Mei 2026"


def test_same_inputs_give_the_same_bytes_and_different_inputs_do_not():
    first = render_document_pdf(content())
    assert first.startswith(b"%PDF-") and first.rstrip().endswith(b"%%EOF")
    assert render_document_pdf(content()) == first
    assert render_document_pdf(content(number="503/0013/DPMPTSP/2026")) != first


def test_pdf_shows_every_part_in_indonesian():
    text = pdf_text(render_document_pdf(content()))
    for expected in (
        "PEMERINTAH PROVINSI LAMPUNG",
        "Dinas Penanaman Modal dan PTSP",
        "IZIN USAHA",
        "Nomor: 503/0012/DPMPTSP/2026",
        "Budi Santoso",
        "Memberikan izin usaha kepada pemohon.",
        "Jenis usaha",
        "Warung makan (skala mikro)",
        "Diterbitkan pada 22 November 2026",
        "Kepala Dinas",
        "Ir. Andi",
        "memindai kode QR",
        URL,
    ):
        assert expected in text, expected


def test_markup_and_unusual_characters_are_printed_safely():
    pdf = render_document_pdf(content(applicant_name="Şiti <b>Aminah</b> & 中"))
    # Printed literally (ReportLab splits the run around the angle brackets).
    assert "Siti<b>Aminah</b>&?" in pdf_text(pdf).replace(" ", "")
    assert plain_text("Ā “kutip”") == "A “kutip”"


def test_qr_code_in_the_page_is_the_one_for_the_verification_url():
    matrix = [list(row) for row in qr_code(URL).matrix_iter(scale=1, border=4)]
    cell = QR_SIZE / len(matrix)
    assert qr_code(URL).designator.endswith("M")

    rects = re.findall(
        rb"(-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+) re", pdf_streams(render_document_pdf(content()))
    )
    squares = [
        (float(x), float(y))
        for x, y, w, h in rects
        if abs(float(w) - cell) < 0.01 and abs(float(h) - cell) < 0.01
    ]
    dark = {(r, c) for r, row in enumerate(matrix) for c, v in enumerate(row) if v}
    assert len(squares) == len(dark)
    # Rebuild the module grid from the drawn squares (PDF y grows upwards).
    top = max(y for _x, y in squares)
    left = min(x for x, _y in squares)
    left_module = min(c for _r, c in dark)
    top_module = min(r for r, _c in dark)
    drawn = {
        (round((top - y) / cell) + top_module, round((x - left) / cell) + left_module)
        for x, y in squares
    }
    assert drawn == dark


def test_a_registered_template_is_used():
    def certificate(doc: DocumentContent):
        return [Paragraph(f"SERTIFIKAT {doc.number}", ParagraphStyle("x"))]

    register_document_template("test-certificate", certificate)
    text = pdf_text(render_document_pdf(content(), template="test-certificate"))
    assert "SERTIFIKAT 503/0012/DPMPTSP/2026" in text
    assert "Diberikan kepada" not in text
    assert URL in text  # the footer belongs to every template
