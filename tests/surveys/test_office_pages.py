"""Back-office survey pages: report numbers, exports, import, weight, kiosks, permissions."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from loket.organizations.models import Role
from loket.surveys import ikm, selectors
from loket.surveys.models import Channel, KioskDevice, SurveyResponse
from loket.surveys.services import survey_weight_set
from tests import factories as f
from tests.surveys.helpers import csv_bytes
from tests.surveys.helpers import service as make_service
from tests.surveys.pages import login_officer

pytestmark = pytest.mark.django_db

D = dt.date(2026, 3, 10)
PERIOD = {"period": "custom", "date_from": "2026-03-01", "date_to": "2026-03-31"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def add(svc, scores, day=D, suggestion=""):
    return SurveyResponse.objects.create(
        government=svc.government,
        agency=svc.agency,
        service=svc,
        channel=Channel.PAPER,
        answered_on=day,
        suggestion=suggestion,
        **{code.lower(): v for code, v in scores.items()},
    )


def boundary_rows(svc):
    """10 respondents: exact weight → 88.33 (A); 0.111 → 88.245 (B)."""
    for i in range(10):
        scores = {f"U{n}": (4 if i < 6 else 3) for n in range(1, 7)}
        scores |= {f"U{n}": (4 if i < 4 else 3) for n in range(7, 10)}
        add(svc, scores, suggestion=f"Saran nomor {i}" if i % 2 else "")


@pytest.fixture
def org():
    gov = f.government()
    agency = f.agency(gov)
    other = f.agency(gov)
    svc = make_service(gov, agency)
    boundary_rows(svc)
    add(make_service(gov, other), dict.fromkeys(ikm.ELEMENTS, 2))
    add(svc, dict.fromkeys(ikm.ELEMENTS, 1), day=dt.date(2026, 4, 2))  # outside the period
    return gov, agency, other, svc


def test_report_numbers_equal_ikm_summary_with_both_weights(client, org):
    gov, agency, _other, _svc = org
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    for weight, grade in ((ikm.Weight.EXACT, "A"), (ikm.Weight.ROUNDED, "B")):
        survey_weight_set(government=gov, weight=weight, actor=None)
        gov.refresh_from_db()
        expected = selectors.ikm_summary(
            government=gov, agency=agency, date_from=D.replace(day=1), date_to=D.replace(day=31)
        ).result
        assert expected.grade.value == grade
        response = client.get("/kantor/survei/", {"agency": agency.pk, **PERIOD})
        assert response.status_code == 200
        html = response.content.decode()
        assert f'data-testid="count">{expected.count}<' in html
        assert f'data-testid="unit">{ikm.display(expected.unit)}<' in html
        assert f'data-testid="index">{ikm.display(expected.index)}<' in html
        assert f'data-testid="grade">{grade} ({expected.grade.label})<' in html
        for code in ikm.ELEMENTS:
            assert f'data-testid="nrr-{code}">{ikm.display(expected.nrr[code])}<' in html
            assert str(ikm.ELEMENT_NAMES[code]) in html
    assert ikm.display(expected.unit) == "88.25"  # 0.111: 88.245 shown as 88.25, graded B


def test_government_total_and_per_agency_for_a_coordinator(client, org):
    gov, agency, other, _svc = org
    login_officer(client, f.officer(other, Role.COORDINATOR))
    response = client.get("/kantor/survei/", PERIOD)
    assert response.status_code == 200
    expected = selectors.ikm_summary(
        government=gov, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31)
    ).result
    html = response.content.decode()
    assert f'data-testid="count">{expected.count}<' in html and expected.count == 11
    assert f'data-testid="unit">{ikm.display(expected.unit)}<' in html
    assert agency.name in html and other.name in html  # breakdown per agency


def test_period_month_quarter_year(client, org):
    _gov, agency, _other, _svc = org
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    counts = {}
    for params in (
        {"period": "month", "year": 2026, "month": 3},
        {"period": "month", "year": 2026, "month": 4},
        {"period": "quarter", "year": 2026, "quarter": 1},
        {"period": "quarter", "year": 2026, "quarter": 2},
        {"period": "year", "year": 2026},
    ):
        html = client.get("/kantor/survei/", {"agency": agency.pk, **params}).content.decode()
        counts[tuple(params.values())] = html.split('data-testid="count">')[1].split("<")[0]
    assert list(counts.values()) == ["10", "1", "10", "1", "11"]


def test_bad_custom_range_is_400(client, org):
    _gov, agency, _other, _svc = org
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    bad = {"period": "custom", "date_from": "2026-03-31", "date_to": "2026-03-01"}
    response = client.get("/kantor/survei/", {"agency": agency.pk, **bad})
    assert response.status_code == 400
    assert "Tanggal awal harus sebelum tanggal akhir." in response.content.decode()


def test_sample_size_from_entered_population(client, org):
    _gov, agency, _other, svc = org
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    params = {"agency": agency.pk, "service": svc.pk, "population": 100, **PERIOD}
    html = client.get("/kantor/survei/", params).content.decode()
    assert "perlu 80 responden; terkumpul 10 (12.5%)" in html


def test_suggestions_newest_first_and_paginated(client, org):
    _gov, agency, _other, svc = org
    for i in range(25):
        add(
            svc,
            dict.fromkeys(ikm.ELEMENTS, 3),
            day=D + dt.timedelta(days=1),
            suggestion=f"Baru {i}",
        )
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    page1 = client.get("/kantor/survei/", {"agency": agency.pk, **PERIOD}).content.decode()
    assert "Baru 24" in page1 and "Saran nomor" not in page1
    assert page1.index("Baru 24") < page1.index("Baru 23")
    page2 = client.get("/kantor/survei/", {"agency": agency.pk, "hal": 2, **PERIOD})
    assert "Saran nomor 9" in page2.content.decode()


def _export(client, agency, fmt):
    response = client.get(f"/kantor/survei/ekspor/{fmt}/", {"agency": agency.pk, **PERIOD})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return response.content


@pytest.mark.parametrize("weight", list(ikm.Weight))
def test_csv_and_xlsx_parse_back_to_the_same_numbers(client, org, weight):
    gov, agency, _other, _svc = org
    survey_weight_set(government=gov, weight=weight, actor=None)
    gov.refresh_from_db()
    expected = selectors.ikm_summary(
        government=gov, agency=agency, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31)
    ).result
    login_officer(client, f.officer(agency, Role.SUPERVISOR))

    rows = list(csv.reader(io.StringIO(_export(client, agency, "csv").decode("utf-8-sig"))))
    by_first = {r[0]: r for r in rows if r}
    for code in ikm.ELEMENTS:
        assert by_first[code][3] == ikm.display(expected.nrr[code])
    assert by_first["Jumlah responden"][1] == str(expected.count)
    assert by_first["IKM (25-100)"][1] == ikm.display(expected.unit)
    assert by_first["IKM (1-4)"][1] == ikm.display(expected.index)
    assert by_first["Mutu pelayanan"][1] == expected.grade.value
    assert any(r and r[-1] == "Saran nomor 9" for r in rows)

    book = load_workbook(io.BytesIO(_export(client, agency, "xlsx")))
    values = {r[0]: r for r in book["IKM"].iter_rows(values_only=True) if r and r[0]}
    for code in ikm.ELEMENTS:
        assert values[code][3] == pytest.approx(float(expected.nrr[code]))
    assert values["IKM (25-100)"][1] == pytest.approx(float(expected.unit))
    assert values["Mutu pelayanan"][1] == expected.grade.value
    assert values["Jumlah responden"][1] == expected.count


def test_pdf_export(client, org):
    _gov, agency, _other, _svc = org
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    body = _export(client, agency, "pdf")
    assert body.startswith(b"%PDF-")
    assert b"(A) Tj" in body and b"(88.33) Tj" in body


def test_csv_cells_cannot_run_as_formulas(client, org):
    _gov, agency, _other, svc = org
    add(svc, dict.fromkeys(ikm.ELEMENTS, 4), suggestion='=HYPERLINK("x")')
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    text = _export(client, agency, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_report_query_count_does_not_grow(client, org):
    gov, agency, other, _svc = org
    login_officer(client, f.officer(other, Role.COORDINATOR))
    client.get("/kantor/survei/", PERIOD)

    def count(params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/kantor/survei/", params).status_code == 200
        return len(ctx)

    before = (count(PERIOD), count({"agency": agency.pk, **PERIOD}))
    for _ in range(4):
        extra = make_service(gov, agency)
        for i in range(3):
            add(extra, dict.fromkeys(ikm.ELEMENTS, 3), suggestion=f"Lagi {i}")
        add(make_service(gov, f.agency(gov)), dict.fromkeys(ikm.ELEMENTS, 4), suggestion="X")
    assert (count(PERIOD), count({"agency": agency.pk, **PERIOD})) == before


# --- permissions --------------------------------------------------------------------------------
def test_citizen_and_officers_without_reach_get_404(client, org):
    _gov, agency, _other, _svc = org
    client.force_login(f.citizen())
    assert client.get("/kantor/survei/").status_code == 404
    client.logout()
    login_officer(client, f.officer(agency, Role.HANDLER))
    for url in ("/kantor/survei/", "/kantor/survei/ekspor/csv/", "/kantor/survei/impor/",
                "/kantor/survei/kios/", "/kantor/survei/bobot/"):  # fmt: skip
        assert client.get(url).status_code == 404


def test_supervisor_of_another_agency_gets_404(client, org):
    _gov, agency, other, svc = org
    login_officer(client, f.officer(other, Role.SUPERVISOR))
    assert client.get("/kantor/survei/", {"agency": agency.pk, **PERIOD}).status_code == 404
    assert client.get("/kantor/survei/ekspor/pdf/", {"agency": agency.pk}).status_code == 404
    assert client.get("/kantor/survei/", {"agency": other.pk, "service": svc.pk}).status_code == 404
    # Their own report does not include the government total.
    html = client.get("/kantor/survei/", PERIOD).content.decode()
    assert 'data-testid="count">1<' in html


def test_leader_reads_but_does_not_manage(client, org):
    _gov, agency, _other, _svc = org
    login_officer(client, f.officer(agency, Role.LEADER))
    assert client.get("/kantor/survei/", PERIOD).status_code == 200
    assert client.get("/kantor/survei/impor/").status_code == 404
    assert client.get("/kantor/survei/kios/").status_code == 404
    assert client.get("/kantor/survei/bobot/").status_code == 404


def test_foreign_government_officer_sees_nothing_of_ours(client, org):
    _gov, agency, _other, _svc = org
    foreign = f.agency(f.government("18.01"))
    login_officer(client, f.officer(foreign, Role.COORDINATOR))
    assert client.get("/kantor/survei/", {"agency": agency.pk}).status_code == 404
    html = client.get("/kantor/survei/", PERIOD).content.decode()
    assert 'data-testid="count">0<' in html


def test_nav_entry_for_dashboard_roles(client, org):
    _gov, agency, _other, _svc = org
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    assert b'href="/kantor/survei/"' in client.get("/kantor/").content
    assert client.get("/kantor/survei/").status_code == 200  # current month by default
    assert client.get("/kantor/survei/ekspor/csv/").status_code == 200
    assert client.get("/kantor/survei/ekspor/doc/").status_code == 404


# --- import ------------------------------------------------------------------------------------
def _upload(client, gov, content: bytes, name="kuesioner.csv"):
    return client.post(
        "/kantor/survei/impor/",
        {"government": gov.pk, "file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_import_good_file_shows_counts(client, org):
    gov, agency, _other, svc = org
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    before = SurveyResponse.objects.count()
    response = _upload(
        client,
        gov,
        csv_bytes(
            f"{svc.slug},2026-03-02,4,4,4,4,4,4,4,4,4,30,L,SMA,Swasta,Bagus",
            f"{svc.slug},02/03/2026,3,3,3,3,3,3,3,3,3,,,,,",
        ),
    )
    assert response.status_code == 200
    assert "2 responden diimpor." in response.content.decode()
    assert f"{svc.name}: 2" in response.content.decode()
    assert SurveyResponse.objects.count() == before + 2


def test_import_bad_file_lists_every_bad_line_and_saves_nothing(client, org):
    gov, agency, _other, svc = org
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    before = SurveyResponse.objects.count()
    response = _upload(
        client,
        gov,
        csv_bytes(
            f"{svc.slug},2026-03-02,4,4,4,4,4,4,4,4,4,,,,,",
            f"{svc.slug},2026-03-02,5,4,4,4,4,4,4,4,4,,,,,",
            f"{svc.slug},2026-03-02,4,4,4,4,4,4,4,4,4,,,,,",
            f"{svc.slug},2026-03-02,0,4,4,4,4,4,4,4,4,,,,,",
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-line="3"' in html and 'data-line="5"' in html
    assert 'data-line="2"' not in html and 'data-line="4"' not in html
    assert SurveyResponse.objects.count() == before


def test_agency_officer_cannot_import_for_another_agencys_service(client, org):
    gov, agency, other, _svc = org
    foreign_service = make_service(gov, other)
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    before = SurveyResponse.objects.count()
    response = _upload(
        client, gov, csv_bytes(f"{foreign_service.slug},2026-03-02,4,4,4,4,4,4,4,4,4,,,,,")
    )
    assert response.status_code == 400 and 'data-line="2"' in response.content.decode()
    assert SurveyResponse.objects.count() == before


def test_import_wrong_file_kind_is_400(client, org):
    gov, agency, _other, _svc = org
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    response = _upload(client, gov, b"hello", name="kuesioner.txt")
    assert response.status_code == 400
    assert "Berkas harus CSV atau XLSX." in response.content.decode()


# --- weight and kiosks -------------------------------------------------------------------------
def test_coordinator_sets_the_weight(client, org):
    gov, agency, _other, _svc = org
    login_officer(client, f.officer(agency, Role.COORDINATOR))
    response = client.post("/kantor/survei/bobot/", {"government": gov.pk, "weight": "0.111"})
    assert response.status_code == 302
    gov.refresh_from_db()
    assert selectors.ikm_weight_for(gov) is ikm.Weight.ROUNDED
    bad = client.post("/kantor/survei/bobot/", {"government": gov.pk, "weight": "0.2"})
    assert bad.status_code == 400
    foreign = f.government("18.02")
    assert (
        client.post(
            "/kantor/survei/bobot/", {"government": foreign.pk, "weight": "0.111"}
        ).status_code
        == 400
    )
    foreign.refresh_from_db()
    assert selectors.ikm_weight_for(foreign) is ikm.Weight.EXACT


def test_supervisor_creates_and_deactivates_a_kiosk(client, org):
    gov, agency, other, _svc = org
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    response = client.post("/kantor/survei/kios/", {"agency": agency.pk, "name": "Tablet 1"})
    assert response.status_code == 201
    url = response.content.decode().split('data-testid="kiosk-url">')[1].split("<")[0]
    assert f"/survei/kiosk/{gov.slug}/{agency.slug}/?kunci=" in url
    key = url.split("kunci=")[1]
    device = KioskDevice.objects.get()
    assert device.agency == agency and key not in device.key_hash
    assert key not in client.get("/kantor/survei/kios/").content.decode()
    assert client.post("/kantor/survei/kios/", {"agency": other.pk, "name": "X"}).status_code == 400
    intruder = f.officer(other, Role.SUPERVISOR)
    client.logout()
    login_officer(client, intruder)
    assert client.post(f"/kantor/survei/kios/{device.pk}/nonaktif/").status_code == 404
    client.logout()
    login_officer(client, f.officer(agency, Role.SUPERVISOR))
    assert client.post(f"/kantor/survei/kios/{device.pk}/nonaktif/").status_code == 302
    device.refresh_from_db()
    assert not device.is_active
