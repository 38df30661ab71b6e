"""The pages over HTTP: the citizen's path, the officer's actions, the editors' 400s and
constant query counts on lists."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from loket.applications import services
from loket.applications.models import Application, FormDefinition, WorkflowDefinition
from loket.core.permissions import officer_scope
from loket.organizations.models import Role
from tests import factories as f
from tests.applications.conftest import FIELDS, VALID_NIK, pdf, png

pytestmark = pytest.mark.django_db


def login_officer(client, user):
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user).exists():
        f.with_totp(user)
    client.force_login(user)


def form_data(**overrides):
    data = {
        "nama_usaha": "Toko Maju",
        "nik": VALID_NIK,
        "ponsel": "081234567890",
        "punya_npwp": "tidak",
        "setuju": "on",
        "action": "submit",
        "idempotency_key": "kunci-halaman-01",
    }
    data.update(overrides)
    return data


def test_citizen_starts_fills_and_submits_once(client, org, service):
    client.force_login(org.citizen)
    start = reverse("applications:start", kwargs={"service_id": service.pk})
    assert client.get(start).status_code == 200
    response = client.post(start)
    app = Application.objects.get(applicant=org.citizen)
    assert response.url == reverse("applications:edit", kwargs={"pk": app.pk})
    page = client.get(response.url)
    assert page.status_code == 200 and b"Nama usaha" in page.content
    edit = response.url
    bad = client.post(edit, {**form_data(), "ktp": pdf(), "surat_pernyataan": png()})
    assert bad.status_code == 400
    assert "PDF" in bad.content.decode()
    app.refresh_from_db()
    assert app.state == "draft" and not app.documents.exists()
    ok = client.post(edit, {**form_data(), "ktp": pdf(), "surat_pernyataan": pdf()})
    assert ok.status_code == 302
    again = client.post(edit, {**form_data(), "ktp": pdf(), "surat_pernyataan": pdf()})
    assert again.status_code == 302  # the draft is gone: straight to the status page
    assert Application.objects.exclude(tracking_number=None).count() == 1
    app.refresh_from_db()
    detail = client.get(reverse("applications:detail", kwargs={"pk": app.pk}))
    content = detail.content.decode()
    assert app.tracking_number in content and 'data-testid="step-deadline"' in content
    assert VALID_NIK not in content


def test_catalog_detail_links_to_start(client, service):
    url = reverse("catalog:detail", args=[service.government.slug, service.slug])
    content = client.get(url).content.decode()
    assert reverse("applications:start", kwargs={"service_id": service.pk}) in content


def test_start_of_a_service_without_form_is_404(client, org):
    from tests.catalog.conftest import make_service

    plain = make_service(org.agency)
    client.force_login(org.citizen)
    assert client.get(reverse("applications:start", args=[plain.pk])).status_code == 404


def test_officer_returns_and_citizen_revises_over_http(client, org, submit):
    app = submit()
    login_officer(client, org.handler)
    office = reverse("applications_office:detail", kwargs={"pk": app.pk})
    assert client.get(office).status_code == 200
    act = reverse("applications_office:act", kwargs={"pk": app.pk, "action": "return"})
    assert client.post(act, {"step": 0, "fields": ["nama_usaha"], "note": ""}).status_code == 400
    assert (
        client.post(
            act,
            {
                "step": 0,
                "fields": ["nama_usaha"],
                "documents": ["ktp"],
                "note": "Nama tidak sesuai KTP",
            },
        ).status_code
        == 302
    )
    client.force_login(org.citizen)
    detail = client.get(reverse("applications:detail", kwargs={"pk": app.pk})).content.decode()
    assert 'data-testid="returned-nama_usaha"' in detail and 'data-testid="returned-ktp"' in detail
    assert "Nama tidak sesuai KTP" in detail
    revise = reverse("applications:revise", kwargs={"pk": app.pk})
    page = client.get(revise).content.decode()
    assert 'name="nama_usaha"' in page and 'name="ponsel"' not in page
    sneaky = client.post(
        revise, {"nama_usaha": "Toko Benar", "ponsel": "081300001111", "ktp": pdf()}
    )
    assert sneaky.status_code == 400
    assert client.post(revise, {"nama_usaha": "Toko Benar", "ktp": pdf()}).status_code == 302
    app.refresh_from_db()
    assert app.state == "processing" and app.data["nama_usaha"] == "Toko Benar"
    login_officer(client, org.handler)
    stale = reverse("applications_office:act", kwargs={"pk": app.pk, "action": "forward"})
    assert client.post(stale, {"step": 3}).status_code == 409
    assert (
        client.post(
            reverse("applications_office:act", kwargs={"pk": app.pk, "action": "zap"})
        ).status_code
        == 400
    )


def test_form_editor_saves_versions_and_refuses_bad_definitions(client, org, service):
    editor = f.officer(org.agency, Role.SUPERVISOR)
    login_officer(client, editor)
    url = reverse("applications_office:form_editor", kwargs={"service_id": service.pk})
    assert client.get(url).status_code == 200
    before = FormDefinition.objects.count()
    broken = client.post(url, {"fields": "[{", "requirements": "[]"})
    assert broken.status_code == 400 and "JSON" in broken.content.decode()
    cyclic = [
        {"code": "a", "type": "text", "label": "A", "show_if": {"field": "b"}},
        {"code": "b", "type": "text", "label": "B", "show_if": {"field": "a"}},
    ]
    bad = client.post(url, {"fields": json.dumps(cyclic), "requirements": "[]"})
    assert bad.status_code == 400 and "lingkaran" in bad.content.decode()
    unknown = [{"code": "a", "type": "text", "label": "A", "show_if": {"field": "zz"}}]
    assert (
        client.post(url, {"fields": json.dumps(unknown), "requirements": "[]"}).status_code == 400
    )
    assert FormDefinition.objects.count() == before
    good = client.post(url, {"fields": json.dumps(FIELDS[:1]), "requirements": "[]"})
    assert good.status_code == 302
    assert FormDefinition.objects.filter(service=service).count() == 2
    # Another agency's service: 404.
    other = f.officer(org.other_agency, Role.SUPERVISOR)
    login_officer(client, other)
    assert client.get(url).status_code == 404


def test_workflow_editor_rows_and_no_step_is_400(client, org, service):
    editor = f.officer(org.agency, Role.SUPERVISOR)
    login_officer(client, editor)
    url = reverse("applications_office:workflow_editor", kwargs={"service_id": service.pk})
    assert client.get(url).status_code == 200
    empty = client.post(
        url, {"step_name": [""], "step_role": ["handler"], "step_days": [""], "overall_days": "5"}
    )
    assert empty.status_code == 400 and "sedikitnya satu langkah" in empty.content.decode()
    ok = client.post(
        url,
        {
            "step_name": ["Periksa", "Tanda tangan"],
            "step_role": ["handler", "supervisor"],
            "step_days": ["2", "2"],
            "overall_days": "4",
        },
    )
    assert ok.status_code == 302
    latest = WorkflowDefinition.objects.filter(service=service).order_by("-number").first()
    assert latest.number == 2 and [s["days"] for s in latest.steps] == [2, 2]


def test_counter_pages(client, org, service):
    login_officer(client, org.counter)
    assert client.get(reverse("applications_office:counter")).status_code == 200
    url = reverse("applications_office:counter_file", kwargs={"service_id": service.pk})
    assert client.get(url).status_code == 200
    data = {
        **form_data(),
        "walk_in_name": "Sri",
        "walk_in_phone": "081299990000",
        "ktp": pdf(),
        "surat_pernyataan": pdf(),
    }
    assert client.post(url, data).status_code == 302
    app = Application.objects.get(filed_by=org.counter)
    assert app.is_walk_in and app.state == "processing"
    assert client.get(reverse("applications_office:detail", args=[app.pk])).status_code == 200
    missing = {**form_data(idempotency_key="kunci-halaman-02"), "walk_in_name": ""}
    assert client.post(url, missing).status_code == 400


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_take_a_constant_number_of_queries(client, org, submit, service):
    citizen_list = reverse("applications:mine")
    queue = reverse("applications_office:queue")
    for _ in range(2):
        submit()
    client.force_login(org.citizen)
    small_citizen = _queries(client, citizen_list)
    login_officer(client, org.handler)
    small_queue = _queries(client, queue)
    small_overdue = _queries(client, queue + "?tab=overdue")
    for _ in range(5):
        submit()
    client.force_login(org.citizen)
    assert _queries(client, citizen_list) == small_citizen
    login_officer(client, org.handler)
    assert _queries(client, queue) == small_queue
    assert _queries(client, queue + "?tab=overdue") == small_overdue


def test_queue_shows_only_the_officers_step(client, org, submit):
    app = submit()
    login_officer(client, org.supervisor)
    assert (
        app.tracking_number not in client.get(reverse("applications_office:queue")).content.decode()
    )
    services.application_forward(
        officer=org.handler, scope=officer_scope(org.handler), application=app, expected_step=0
    )
    assert app.tracking_number in client.get(reverse("applications_office:queue")).content.decode()
