"""The invitation link: signed, expiring, one answer per subject, labels and bad scores."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from loket.applications import integration
from loket.surveys import tokens
from loket.surveys.models import Channel, SurveyResponse
from tests import factories as f
from tests.surveys.pages import answers, completed_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def application():
    gov = f.government()
    return completed_application(f.agency(gov))


def test_application_invitation_url_is_the_respond_page(application):
    url = integration.survey_url(application)
    assert url.startswith("/survei/isi/application-")
    token = url.rstrip("/").rsplit("/", 1)[1]
    ref = tokens.read_invitation_token(token)
    assert ref is not None and ref.subject_id == application.pk


def test_page_shows_every_element_with_its_labels(client, application):
    response = client.get(integration.survey_url(application))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<fieldset") >= 10 and html.count("<legend") >= 10
    for label in (
        "Tidak sesuai",
        "Sangat sesuai",
        "Sangat mahal",
        "Cukup mahal",
        "Gratis",
        "Tidak sopan dan ramah",
        "Sangat sopan dan ramah",
        "Buruk",
        "Sangat baik",
    ):
        assert label in html
    for code in ("U1", "U5", "U9"):
        assert f'name="{code}"' in html
    assert application.service.name in html


def test_valid_answer_is_saved_against_the_subjects_service(client, application):
    url = integration.survey_url(application)
    response = client.post(url, answers(3, suggestion="Antrean terlalu panjang"))
    assert response.status_code == 302
    saved = SurveyResponse.objects.get()
    assert saved.channel == Channel.INVITATION
    assert saved.service_id == application.service_id
    assert saved.agency_id == application.agency_id
    assert saved.government_id == application.government_id
    assert saved.scores() == {f"U{i}": 3 for i in range(1, 10)}
    assert (saved.age, saved.sex, saved.education) == (34, "P", "s1")
    assert saved.suggestion == "Antrean terlalu panjang"
    assert saved.ticket == f"invite:application:{application.pk}"
    follow = client.get(url)
    assert follow.status_code == 200
    assert b'data-testid="survey-done"' in follow.content


def test_second_post_is_refused_with_409_and_nothing_added(client, application):
    url = integration.survey_url(application)
    assert client.post(url, answers(4)).status_code == 302
    again = client.post(url, answers(1))
    assert again.status_code == 409
    assert b'data-testid="survey-done"' in again.content
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().u1 == 4


def test_a_new_token_for_the_same_application_cannot_answer_twice(client, application):
    first = tokens.invitation_token(subject_type="application", subject_id=application.pk)
    other_day = timezone.localdate() - dt.timedelta(days=2)
    second = tokens.invitation_token(
        subject_type="application", subject_id=application.pk, issued_on=other_day
    )
    assert first != second
    assert client.post(f"/survei/isi/{first}/", answers()).status_code == 302
    assert client.post(f"/survei/isi/{second}/", answers()).status_code == 409
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize("bad", ["0", "5", "x", ""])
def test_score_outside_1_to_4_is_a_form_error_and_nothing_saved(client, application, bad):
    data = answers(4)
    data["U4"] = bad
    response = client.post(integration.survey_url(application), data)
    assert response.status_code == 400
    assert b'id="err-U4"' in response.content
    assert b'id="err-U1"' not in response.content
    assert not SurveyResponse.objects.exists()


def test_missing_element_is_a_form_error(client, application):
    data = answers(4)
    del data["U9"]
    response = client.post(integration.survey_url(application), data)
    assert response.status_code == 400
    assert "Pilih salah satu jawaban." in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_tampered_token_is_404(client, application):
    token = integration.survey_token(application)
    kind, raw_id, day, sig = token.split("-")
    other_id = tokens._b36(int(raw_id, 36) + 1)
    flipped = sig[:-1] + ("a" if sig[-1] != "a" else "b")
    for bad in (
        f"{kind}-{other_id}-{day}-{sig}",
        f"{kind}-{raw_id}-{day}-{flipped}",
        f"complaint-{raw_id}-{day}-{sig}",
        "application-1-1-" + "a" * 26,
        "rubbish",
    ):
        assert client.get(f"/survei/isi/{bad}/").status_code == 404
        assert client.post(f"/survei/isi/{bad}/", answers()).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_expired_token_is_404(client, application, settings):
    settings.SURVEY_INVITATION_DAYS = 30
    old = timezone.localdate() - dt.timedelta(days=31)
    token = tokens.invitation_token(
        subject_type="application", subject_id=application.pk, issued_on=old
    )
    assert client.get(f"/survei/isi/{token}/").status_code == 404
    fresh = tokens.invitation_token(
        subject_type="application",
        subject_id=application.pk,
        issued_on=timezone.localdate() - dt.timedelta(days=29),
    )
    assert client.get(f"/survei/isi/{fresh}/").status_code == 200


def test_token_from_the_future_is_404(client, application):
    future = timezone.localdate() + dt.timedelta(days=5)
    token = tokens.invitation_token(
        subject_type="application", subject_id=application.pk, issued_on=future
    )
    assert client.get(f"/survei/isi/{token}/").status_code == 404


def test_application_not_completed_is_404(client):
    pending = completed_application(f.agency(f.government()), state="processing")
    token = tokens.invitation_token(subject_type="application", subject_id=pending.pk)
    assert client.get(f"/survei/isi/{token}/").status_code == 404


def test_token_signed_with_another_data_key_is_404(client, application, settings):
    token = integration.survey_token(application)
    settings.DATA_KEY = "another-data-key-another-data-key-123"
    assert client.get(f"/survei/isi/{token}/").status_code == 404


def test_home_card_links_to_the_survey_page(client):
    assert client.get("/survei/").status_code == 200
    assert b'href="/survei/"' in client.get("/").content
