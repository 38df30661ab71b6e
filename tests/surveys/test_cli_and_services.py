"""``loket ikm report`` / ``loket ikm import`` and single-response submission."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from loket.core.models import AuditEvent
from loket.surveys import ikm
from loket.surveys.models import Channel, SurveyResponse
from loket.surveys.services import SurveyError, kiosk_ticket_key, survey_response_submit
from tests import factories
from tests.surveys.helpers import csv_bytes, service


def run_ikm(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ikm", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def boundary_csv() -> bytes:
    lines = []
    for i in range(10):
        a = 4 if i < 6 else 3
        b = 4 if i < 4 else 3
        lines.append(f"kia,2026-03-01,{a},{a},{a},{a},{a},{a},{b},{b},{b},,,,,")
    return csv_bytes(*lines)


def test_report_prints_json_with_both_weights_and_sample_size(tmp_path):
    path = tmp_path / "survei.csv"
    path.write_bytes(boundary_csv())
    code, out, _ = run_ikm("report", "--csv", str(path), "--population", "1000")
    assert code == 0
    data = json.loads(out)
    assert data["count"] == 10
    assert list(data["nrr"]) == list(ikm.ELEMENTS)
    assert data["nrr"]["U1"] == pytest.approx(3.6) and data["nrr"]["U9"] == pytest.approx(3.4)
    assert data["ikm"] == pytest.approx(88.3333333333)
    assert data["grade"] == "A"
    assert data["sample_size"] == 278
    code, out, _ = run_ikm("report", "--csv", str(path), "--weight", "0.111")
    data = json.loads(out)
    assert data["ikm"] == pytest.approx(88.245)
    assert data["grade"] == "B"
    assert "sample_size" not in data


def test_report_all_fours_is_100(tmp_path):
    path = tmp_path / "survei.csv"
    path.write_bytes(csv_bytes(*["kia,2026-03-01,4,4,4,4,4,4,4,4,4,,,,,"] * 3))
    assert json.loads(run_ikm("report", "--csv", str(path))[1])["ikm"] == 100.0
    data = json.loads(run_ikm("report", "--csv", str(path), "--weight", "0.111")[1])
    assert data["ikm"] == pytest.approx(99.9)
    assert data["ikm_display"] == "99.90"


def test_report_on_a_bad_file_exits_non_zero_with_line_numbers_and_no_result(tmp_path):
    path = tmp_path / "survei.csv"
    path.write_bytes(
        csv_bytes("kia,2026-03-01,4,4,4,4,4,4,4,4,4,,,,,", "kia,2026-03-01,4,4,5,4,4,4,4,4,4,,,,,")
    )
    code, out, err = run_ikm("report", "--csv", str(path))
    assert code == 1
    assert out == ""
    assert err.strip().startswith("Baris 3: nilai U3 harus 1 sampai 4")


def test_report_on_a_missing_file_is_a_command_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command("ikm", "report", "--csv", str(tmp_path / "tidak-ada.csv"))


@pytest.mark.django_db
def test_import_command(tmp_path):
    gov = factories.government(slug="kota-contoh")
    service(gov, factories.agency(gov), slug="kia")
    path = tmp_path / "survei.csv"
    path.write_bytes(boundary_csv())
    code, out, _ = run_ikm("import", str(path), "--government", "kota-contoh")
    assert code == 0 and "10" in out
    assert SurveyResponse.objects.filter(channel=Channel.PAPER).count() == 10
    path.write_bytes(csv_bytes("kia,2026-03-01,0,4,4,4,4,4,4,4,4,,,,,"))
    code, _, err = run_ikm("import", str(path), "--government", "kota-contoh")
    assert code == 1 and err.startswith("Baris 2")
    assert SurveyResponse.objects.count() == 10


@pytest.fixture
def svc(db):
    gov = factories.government()
    return service(gov, factories.agency(gov))


@pytest.mark.django_db
def test_kiosk_response_once_per_ticket(svc):
    key = kiosk_ticket_key(service=svc, day=dt.date(2026, 3, 1), number=" a-012 ")
    assert key.endswith(":2026-03-01:A-012")
    scores = dict.fromkeys(ikm.ELEMENTS, 4) | {"U4": None}
    response = survey_response_submit(
        government=svc.government, service=svc, channel=Channel.KIOSK, scores=scores,
        sex="P", age=30, ticket=key,
    )  # fmt: skip
    assert response.agency_id == svc.agency_id and response.u4 is None
    with pytest.raises(SurveyError) as exc:
        survey_response_submit(
            government=svc.government, service=svc, channel=Channel.KIOSK, scores=scores,
            ticket=key,
        )  # fmt: skip
    assert exc.value.status == 409
    assert SurveyResponse.objects.count() == 1
    event = AuditEvent.objects.get(action="survey.response_submitted")
    assert event.payload == {"channel": "kiosk", "service_id": svc.pk}
    # The same number on another day is another ticket.
    other_day = kiosk_ticket_key(service=svc, day=dt.date(2026, 3, 2), number="A-012")
    survey_response_submit(
        government=svc.government, service=svc, channel=Channel.KIOSK, scores=scores,
        ticket=other_day,
    )  # fmt: skip
    assert SurveyResponse.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scores", "extra"),
    [
        ({"U1": 0}, {}),
        ({"U1": 5}, {}),
        ({"U10": 3}, {}),
        ({}, {}),
        ({"U1": True}, {}),
        ({"U1": 3}, {"sex": "X"}),
        ({"U1": 3}, {"age": 7}),
    ],
)
def test_bad_responses_are_refused_and_nothing_saved(svc, scores, extra):
    with pytest.raises(SurveyError) as exc:
        survey_response_submit(
            government=svc.government, service=svc, channel=Channel.KIOSK, scores=scores, **extra
        )
    assert exc.value.status == 400
    assert SurveyResponse.objects.count() == 0


@pytest.mark.django_db
def test_service_of_another_government_is_not_found(svc):
    other = factories.government("18.03")
    with pytest.raises(SurveyError) as exc:
        survey_response_submit(
            government=other, service=svc, channel=Channel.KIOSK, scores={"U1": 4}
        )
    assert exc.value.status == 404
