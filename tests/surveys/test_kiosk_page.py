"""The counter kiosk: device key, one answer per ticket per day, per-device rate limit."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from loket.surveys.models import Channel, KioskDevice, SurveyResponse
from loket.surveys.services import kiosk_device_create, kiosk_device_deactivate
from loket.surveys.views import KIOSK_COOKIE
from tests import factories as f
from tests.surveys.helpers import service as make_service
from tests.surveys.pages import answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kiosk(settings):
    settings.SURVEY_KIOSK_RATE = 50
    gov = f.government()
    agency = f.agency(gov)
    services = [make_service(gov, agency), make_service(gov, agency)]
    for s in services:
        s.is_published = True
        s.save(update_fields=["is_published"])
    device, key = kiosk_device_create(agency=agency, name="Tablet loket 1", actor=None)
    url = f"/survei/kiosk/{gov.slug}/{agency.slug}/"
    return gov, agency, services, device, key, url


def test_key_in_query_moves_to_a_cookie_and_form_shows_services(client, kiosk):
    _gov, _agency, services, _device, key, url = kiosk
    first = client.get(url, {"kunci": key})
    assert first.status_code == 302 and first["Location"] == url
    cookie = first.cookies[KIOSK_COOKIE]
    assert cookie.value == key and cookie["httponly"] and cookie["path"] == url
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for s in services:
        assert s.name in html
    assert 'name="ticket_number"' in html and "Sangat mahal" in html
    assert KioskDevice.objects.get().key_hash != key


def test_answer_saved_then_fresh_form_with_thanks(client, kiosk):
    gov, agency, services, device, key, url = kiosk
    client.get(url, {"kunci": key})
    response = client.post(url, {**answers(2), "service": services[1].pk, "ticket_number": "A-017"})
    assert response.status_code == 302 and response["Location"] == url
    saved = SurveyResponse.objects.get()
    assert saved.channel == Channel.KIOSK
    assert (saved.service_id, saved.agency_id, saved.government_id) == (
        services[1].pk,
        agency.pk,
        gov.pk,
    )
    assert saved.u1 == 2 and saved.ticket.endswith(":A-017")
    page = client.get(url)
    assert "Terima kasih atas penilaian Anda" in page.content.decode()
    assert 'value="A-017"' not in page.content.decode()
    device.refresh_from_db()
    assert device.last_used_at is not None


def test_one_answer_per_ticket_per_service_per_day(client, kiosk):
    _gov, _agency, services, _device, key, url = kiosk
    client.get(url, {"kunci": key})
    data = {**answers(4), "service": services[0].pk, "ticket_number": "a-017"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "ticket_number": " A-017 "})
    assert again.status_code == 409
    assert "sudah dipakai" in again.content.decode()
    # The same number at another service's counter is another ticket.
    assert client.post(url, {**data, "service": services[1].pk}).status_code == 302
    assert SurveyResponse.objects.count() == 2


def test_bad_scores_and_missing_ticket_are_form_errors(client, kiosk):
    _gov, _agency, services, _device, key, url = kiosk
    client.get(url, {"kunci": key})
    bad = {**answers(4), "U2": "5", "service": services[0].pk, "ticket_number": "B1"}
    assert client.post(url, bad).status_code == 400
    no_ticket = {**answers(4), "service": services[0].pk, "ticket_number": ""}
    response = client.post(url, no_ticket)
    assert response.status_code == 400
    assert "Nomor tiket wajib diisi." in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_service_of_another_agency_is_refused(client, kiosk):
    gov, _agency, _services, _device, key, url = kiosk
    foreign = make_service(gov, f.agency(gov))
    client.get(url, {"kunci": key})
    data = {**answers(4), "service": foreign.pk, "ticket_number": "C1"}
    assert client.post(url, data).status_code == 400
    assert not SurveyResponse.objects.exists()


def test_wrong_missing_or_revoked_key_is_404(client, kiosk):
    gov, _agency, services, device, key, url = kiosk
    assert client.get(url).status_code == 404
    assert client.get(url, {"kunci": "salah"}).status_code == 404
    other_agency = f.agency(gov)
    assert (
        client.get(f"/survei/kiosk/{gov.slug}/{other_agency.slug}/", {"kunci": key}).status_code
        == 404
    )
    client.cookies[KIOSK_COOKIE] = "tebakan"
    data = {**answers(4), "service": services[0].pk, "ticket_number": "D1"}
    assert client.post(url, data).status_code == 404
    kiosk_device_deactivate(device=device, actor=None)
    client.cookies[KIOSK_COOKIE] = key
    assert client.get(url).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_rate_limit_per_device(client, kiosk, settings):
    _gov, agency, services, _device, key, url = kiosk
    settings.SURVEY_KIOSK_RATE = 3
    client.get(url, {"kunci": key})
    codes = [
        client.post(
            url, {**answers(4), "service": services[0].pk, "ticket_number": f"R{i}"}
        ).status_code
        for i in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    assert SurveyResponse.objects.count() == 3
    # Another tablet of the same agency has its own allowance.
    _, other_key = kiosk_device_create(agency=agency, name="Tablet 2", actor=None)
    other = client_for(url, other_key)
    data = {**answers(4), "service": services[0].pk, "ticket_number": "R9"}
    assert other.post(url, data).status_code == 302


def client_for(url, key):
    from django.test import Client

    c = Client()
    c.get(url, {"kunci": key})
    return c
