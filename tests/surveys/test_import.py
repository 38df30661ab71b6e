"""Paper-survey import: CSV and XLSX, every bad row by line, all or nothing, audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from loket.core.models import AuditEvent
from loket.surveys import ikm
from loket.surveys.importers import SurveyFileError, parse_survey_file
from loket.surveys.models import Channel, Education, Occupation, SurveyResponse
from loket.surveys.services import paper_survey_import
from tests import factories
from tests.surveys.helpers import HEADER, csv_bytes, service

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov_svc():
    gov = factories.government()
    agency = factories.agency(gov)
    return gov, service(gov, agency, slug="ktp-el"), service(gov, agency, slug="kia")


def messages(exc: pytest.ExceptionInfo[SurveyFileError]) -> list[str]:
    return [str(e) for e in exc.value.errors]


def test_good_csv_is_imported_with_profile_and_audit(gov_svc):
    gov, ktp, kia = gov_svc
    data = csv_bytes(
        "ktp-el,2026-03-01,4,4,3,4,4,3,4,4,3,34,L,SMA,Swasta,Antrean cepat",
        "KIA,05/03/2026,3,,3,3,3,3,3,3,3,,P,S2,pns,",
        "ktp-el,2026-03-02,2,2,2,2,2,2,2,2,2,60,p,d3,Wiraswasta,",
    )
    result = paper_survey_import(government=gov, data=data, filename="kertas.csv", actor=None)
    assert result.imported == 3
    assert result.by_service == {"ktp-el": 2, "kia": 1}
    rows = list(SurveyResponse.objects.order_by("answered_on"))
    assert [r.channel for r in rows] == [Channel.PAPER] * 3
    first = rows[0]
    assert first.service == ktp and first.agency_id == ktp.agency_id
    assert first.scores()["U3"] == 3 and first.age == 34 and first.sex == "L"
    assert first.education == Education.SMA and first.occupation == Occupation.PRIVATE
    assert first.suggestion == "Antrean cepat"
    kia_row = SurveyResponse.objects.get(service=kia)
    assert kia_row.answered_on == dt.date(2026, 3, 5)
    assert kia_row.u2 is None  # empty = not answered
    assert kia_row.education == Education.S2_PLUS and kia_row.occupation == Occupation.PNS
    event = AuditEvent.objects.get(action="survey.paper_imported")
    assert event.government_id == gov.pk
    assert event.payload["rows"] == 3
    assert event.payload["services"] == {"kia": 1, "ktp-el": 2}
    assert event.payload["date_from"] == "2026-03-01"


def test_every_bad_row_is_reported_by_line_and_nothing_is_imported(gov_svc):
    gov, _, _ = gov_svc
    data = csv_bytes(
        "ktp-el,2026-03-01,4,4,4,4,4,4,4,4,4,,,,,",  # line 2: good
        "ktp-el,2026-03-01,0,4,4,4,4,4,4,4,4,,,,,",  # line 3: score 0
        "ktp-el,2026-03-01,4,4,4,4,4,4,4,4,5,,,,,",  # line 4: score 5
        "izin-gaib,2026-03-01,4,4,4,4,4,4,4,4,4,,,,,",  # line 5: unknown service
        "kia,31/02/2026,4,4,4,4,4,4,4,4,4,,,,,",  # line 6: bad date
        "kia,2026-03-01,4,4,4,4,4,4,4,4,4,,X,,,",  # line 7: bad sex
        "kia,2026-03-01,,,,,,,,,,,,,,",  # line 8: nothing answered
    )
    with pytest.raises(SurveyFileError) as exc:
        paper_survey_import(government=gov, data=data, filename="kertas.csv", actor=None)
    got = messages(exc)
    assert 'Baris 5: layanan "izin-gaib" tidak dikenal.' in got
    assert [m.split(":")[0] for m in got] == sorted(m.split(":")[0] for m in got)
    assert any(m.startswith("Baris 3: nilai U1 harus 1 sampai 4") and '"0"' in m for m in got)
    assert any(m.startswith("Baris 4: nilai U9 harus 1 sampai 4") and '"5"' in m for m in got)
    assert any(m.startswith("Baris 6: tanggal") for m in got)
    assert any(m.startswith("Baris 7: jenis kelamin") for m in got)
    assert any(m.startswith("Baris 8: tidak ada unsur yang dijawab") for m in got)
    assert not any(m.startswith("Baris 2") for m in got)
    assert SurveyResponse.objects.count() == 0
    assert not AuditEvent.objects.filter(action="survey.paper_imported").exists()


def test_unknown_service_is_reported_by_line_and_nothing_imported(gov_svc):
    gov, _, _ = gov_svc
    other = factories.government("18.02")
    service(other, factories.agency(other), slug="izin-lain")
    data = csv_bytes(
        "ktp-el,2026-03-01,4,4,4,4,4,4,4,4,4,,,,,",
        "izin-lain,2026-03-01,4,4,4,4,4,4,4,4,4,,,,,",  # exists, but in another government
    )
    with pytest.raises(SurveyFileError) as exc:
        paper_survey_import(government=gov, data=data, filename="kertas.csv", actor=None)
    assert messages(exc) == ['Baris 3: layanan "izin-lain" tidak dikenal.']
    assert SurveyResponse.objects.count() == 0


def test_missing_column_is_named():
    header = HEADER.replace(",U7", "").replace("date,", "")
    with pytest.raises(SurveyFileError) as exc:
        parse_survey_file(csv_bytes("x", header=header))
    assert messages(exc) == ["Baris 1: kolom wajib tidak ada: date, U7."]


def test_indonesian_headers_semicolons_and_bom_are_accepted():
    header = (
        "Layanan;Tanggal;u1;u2;u3;u4;u5;u6;u7;u8;u9;Umur;Jenis Kelamin;Pendidikan;Pekerjaan;Saran"
    )
    data = "\ufeff".encode() + csv_bytes(
        "kia;2026-03-01;4;4;4;4;4;4;4;4;4;20;P;S1;TNI;Bagus sekali", header=header
    ).replace(b"\n", b"\r\n")
    rows = parse_survey_file(data, today=dt.date(2026, 3, 31))
    assert len(rows) == 1 and rows[0].suggestion == "Bagus sekali"
    assert rows[0].occupation == Occupation.TNI and rows[0].education == Education.S1


def test_future_dates_and_bad_ages_are_refused():
    data = csv_bytes(
        "kia,2026-04-01,4,4,4,4,4,4,4,4,4,,,,,",
        "kia,2026-03-01,4,4,4,4,4,4,4,4,4,tiga,,,,",
        "kia,2026-03-01,4,4,4,4,4,4,4,4,4,,,Profesor,,",
    )
    with pytest.raises(SurveyFileError) as exc:
        parse_survey_file(data, today=dt.date(2026, 3, 31))
    got = messages(exc)
    assert got[0] == "Baris 2: tanggal 2026-04-01 belum terjadi."
    assert got[1].startswith("Baris 3: umur")
    assert got[2].startswith('Baris 4: pendidikan "Profesor" tidak dikenal')


def test_header_only_and_empty_files_are_refused():
    with pytest.raises(SurveyFileError) as exc:
        parse_survey_file(csv_bytes())
    assert messages(exc) == ["Baris 2: berkas tidak berisi responden."]
    with pytest.raises(SurveyFileError) as exc:
        parse_survey_file(b"")
    assert messages(exc) == ["Baris 1: berkas kosong: tidak ada baris judul."]


def test_quoted_newline_keeps_line_numbers_of_later_rows():
    data = csv_bytes(
        'kia,2026-03-01,4,4,4,4,4,4,4,4,4,,,,,"baris satu\nbaris dua"',
        "kia,2026-03-01,9,4,4,4,4,4,4,4,4,,,,,",
    )
    with pytest.raises(SurveyFileError) as exc:
        parse_survey_file(data, today=dt.date(2026, 3, 31))
    assert messages(exc)[0].startswith("Baris 4: nilai U1")


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_import_with_real_dates_and_float_scores(gov_svc):
    gov, _, _ = gov_svc
    header = HEADER.split(",")
    data = xlsx([
        header,
        ["ktp-el", dt.datetime(2026, 3, 1), 4.0, 4, 4, 4, 4, 4, 4, 4, 4, 41.0, "L", "SD", "Lain2"],
        [None] * len(header),  # a blank row is skipped
        ["ktp-el", "02/03/2026", 3, 3, 3, 3, 3, 3, 3, 3, None, None, None, None, None, "Ok"],
    ])  # fmt: skip
    result = paper_survey_import(government=gov, data=data, filename="kertas.xlsx", actor=None)
    assert result.imported == 2
    first = SurveyResponse.objects.get(answered_on=dt.date(2026, 3, 1))
    assert (
        first.u1 == 4 and first.age == 41 and first.occupation == Occupation.OTHER
    )  # "Lain2" = lain-lain
    second = SurveyResponse.objects.get(answered_on=dt.date(2026, 3, 2))
    assert second.u9 is None and second.suggestion == "Ok"


def test_xlsx_bad_rows_use_sheet_row_numbers(gov_svc):
    gov, _, _ = gov_svc
    header = HEADER.split(",")
    data = xlsx([
        header,
        ["ktp-el", "2026-03-01", 4, 4, 4, 4, 4, 4, 4, 4, 4],
        ["ktp-el", "2026-03-01", 4, 4, 4, 4, 4, 4, 4, 4, 5],
    ])  # fmt: skip
    with pytest.raises(SurveyFileError) as exc:
        paper_survey_import(government=gov, data=data, filename="kertas.xlsx", actor=None)
    assert messages(exc)[0].startswith("Baris 3: nilai U9")
    assert SurveyResponse.objects.count() == 0


def test_broken_xlsx_is_a_clear_error():
    with pytest.raises(SurveyFileError) as exc:
        parse_survey_file(b"PK\x03\x04 not really a zip", filename="x.xlsx")
    assert messages(exc)[0].startswith("Baris 1: Berkas XLSX tidak dapat dibaca")


def test_imported_rows_give_the_same_ikm_as_the_file(gov_svc):
    from loket.surveys.selectors import ikm_summary

    gov, _, _ = gov_svc
    data = csv_bytes(
        "ktp-el,2026-03-01,4,3,2,1,4,3,2,1,4,,,,,",
        "kia,2026-03-02,3,3,,3,3,3,3,3,3,,,,,",
    )
    paper_survey_import(government=gov, data=data, filename="k.csv", actor=None)
    rows = parse_survey_file(data)
    expected = ikm.compute(count=2, tallies=ikm.tally(r.scores for r in rows))
    got = ikm_summary(government=gov, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 2))
    assert got.result == expected
