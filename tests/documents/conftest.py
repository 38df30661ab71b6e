"""Builders for the documents tests. The subject is any model; an Agency row stands in."""

from __future__ import annotations

import base64
import re
import zlib
from typing import Any

import pytest

from loket.documents.access import register_document_access, unregister_document_access
from loket.documents.services import DocumentField, issue_document
from tests import factories as f

SUBJECT_LABEL = "organizations.agency"


def pdf_streams(pdf: bytes) -> bytes:
    """The decoded content of every stream (ReportLab writes ASCII85 + Flate)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        raw = match.group(1).strip()
        if raw.endswith(b"~>"):
            raw = base64.a85decode(raw[:-2])
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return b"\n".join(out)


def pdf_text(pdf: bytes) -> str:
    """The strings shown with Tj in the page content, joined (enough for ASCII text)."""
    shown = re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", pdf_streams(pdf))
    return " ".join(s.replace(b"\\(", b"(").replace(b"\\)", b")").decode("cp1252") for s in shown)


@pytest.fixture
def gov():
    return f.government("18.71")


@pytest.fixture
def agency(gov):
    return f.agency(gov)


@pytest.fixture
def officer(agency):
    from loket.organizations.models import Role

    return f.officer(agency, Role.SUPERVISOR)


@pytest.fixture
def owner_access():
    """Subjects' documents may be downloaded by the user named in ``allowed``."""
    allowed: dict[str, Any] = {"user_id": None}

    def check(user, document):
        return user.pk == allowed["user_id"]

    register_document_access(SUBJECT_LABEL, check)
    yield allowed
    unregister_document_access(SUBJECT_LABEL)


def issue(gov, agency, actor=None, **overrides):
    values: dict[str, Any] = {
        "subject": agency,
        "government": gov,
        "agency": agency,
        "title": "Surat Keterangan Domisili",
        "applicant_name": "Budi Santoso",
        "decision": "Menerangkan bahwa yang bersangkutan benar berdomisili di wilayah ini.",
        "fields": [
            DocumentField("NIK", "3515144508680002"),
            ("Alamat", "Jl. Pahlawan No. 1, Bandar Lampung"),
            DocumentField("Nomor telepon", "081234567890", public=False),
        ],
        "signatory_name": "Dra. Siti Aminah, M.Si.",
        "signatory_position": "Kepala Dinas",
        "actor": actor,
    }
    values.update(overrides)
    return issue_document(**values)
