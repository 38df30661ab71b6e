"""The application life cycle through the services: submission (idempotent, numbered), the
per-service workflow mapped onto the engine table, revision loops with paused clocks,
resubmission rules, versioning, and bad input that leaves nothing behind."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from loket.applications import definitions as defs
from loket.applications import services
from loket.applications.models import Application, ApplicationDocument, FormDefinition
from loket.applications.rendering import field_views
from loket.applications.states import APPLICATION
from loket.core.models import StoredFile
from loket.core.permissions import officer_scope
from loket.notifications.models import Notification
from loket.workflow.errors import IllegalTransition
from loket.workflow.selectors import timeline, timers_for
from tests.applications.conftest import (
    FIELDS,
    REQUIREMENTS,
    complete_values,
    documents,
    pdf,
    png,
    posted,
)

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def running(application):
    return {t.stage: t for t in timers_for(application, running_only=True)}


def test_the_engine_table_of_the_application_life_cycle():
    rows = {row.transition: row for row in APPLICATION.as_table()}
    assert rows["submit"].clocks == "start overall, start step"
    assert (rows["forward"].sources, rows["forward"].target) == (("processing",), "processing")
    assert rows["forward"].clocks == "start step"
    assert rows["return"].clocks == "pause *" and rows["return"].requires_note
    assert rows["resubmit"].clocks == "resume *"
    assert rows["approve"].clocks == "stop step"
    assert rows["issue"].clocks == "stop *"
    assert rows["reject"].clocks == "stop *" and rows["reject"].requires_note


def test_submit_numbers_per_government_and_starts_both_clocks(org, submit, service):
    first = submit()
    second = submit(applicant=org.other_citizen)
    year = first.submitted_at.astimezone(WIB).year
    prefix = org.gov.tracking_prefix
    assert first.tracking_number == f"PMH-{prefix}-{year}-000001"
    assert second.tracking_number == f"PMH-{prefix}-{year}-000002"
    assert first.state == "processing" and first.current_role == "handler"
    clocks = running(first)
    assert clocks["step"].budget_working_days == 2
    assert clocks["overall"].budget_working_days == 5
    assert Notification.objects.filter(recipient=org.citizen, kind="application.submitted").exists()
    # NIK kept encrypted, never in clear in the row.
    assert "1871014508900002" not in str(Application.objects.get(pk=first.pk).data)


def test_double_submit_with_one_key_makes_one_application(org, service):
    draft = services.application_start(applicant=org.citizen, service=service)
    kwargs = dict(applicant=org.citizen, application=draft, idempotency_key="ketuk-dua-kali-1")
    a = services.application_submit(**kwargs, values=complete_values(), uploads=documents())
    b = services.application_submit(**kwargs, values=complete_values(), uploads=documents())
    assert a.pk == b.pk and a.tracking_number == b.tracking_number
    assert Application.objects.exclude(tracking_number=None).count() == 1
    assert timeline(a, public_only=False).filter(transition="submit").count() == 1
    # A fresh key cannot submit it again either.
    with pytest.raises(IllegalTransition):
        services.application_submit(
            applicant=org.citizen,
            application=draft,
            values=complete_values(),
            uploads={},
            idempotency_key="kunci-lain-123",
        )


def test_incomplete_submission_keeps_nothing(org, service):
    draft = services.application_start(applicant=org.citizen, service=service)
    with pytest.raises(ValidationError) as err:
        services.application_submit(
            applicant=org.citizen,
            application=draft,
            values=complete_values(nama_usaha=None, punya_npwp="ya"),
            uploads={"ktp": png()},
            idempotency_key="kunci-0000001",
        )
    assert set(err.value.message_dict) == {"nama_usaha", "npwp", "surat_pernyataan"}
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.tracking_number is None and draft.data == {}
    assert not ApplicationDocument.objects.filter(application=draft).exists()


def test_wrong_file_kind_for_a_requirement_is_refused_and_nothing_is_saved(org, service):
    draft = services.application_start(applicant=org.citizen, service=service)
    files_before = StoredFile.objects.count()
    with pytest.raises(ValidationError) as err:
        services.application_save_draft(
            applicant=org.citizen,
            application=draft,
            values=complete_values(),
            uploads={"ktp": pdf(), "surat_pernyataan": png()},  # this one must be a PDF
        )
    assert "PDF" in err.value.message_dict["surat_pernyataan"][0]
    draft.refresh_from_db()
    assert draft.data == {}
    assert not ApplicationDocument.objects.filter(application=draft).exists()
    assert StoredFile.objects.count() == files_before


def test_draft_keeps_partial_values_and_hidden_fields_are_dropped(org, service):
    draft = services.application_start(applicant=org.citizen, service=service)
    services.application_save_draft(
        applicant=org.citizen,
        application=draft,
        values=posted(nama_usaha="Toko", punya_npwp="tidak", npwp="01.234"),
        uploads={},
    )
    draft.refresh_from_db()
    assert draft.data == {"nama_usaha": "Toko", "punya_npwp": "tidak", "setuju": False}
    assert services.application_start(applicant=org.citizen, service=service).pk == draft.pk


def test_two_steps_revision_loop_pauses_clocks_then_approve_and_issue(org, submit):
    app = submit(now=None)
    handler, supervisor = org.handler, org.supervisor
    h_scope, s_scope = officer_scope(handler), officer_scope(supervisor)
    # The supervisor cannot act at the handler's step; the approve needs the last step.
    with pytest.raises(IllegalTransition):
        services.application_forward(
            officer=supervisor, scope=s_scope, application=app, expected_step=0
        )
    with pytest.raises(IllegalTransition):
        services.application_approve(
            officer=handler, scope=h_scope, application=app, expected_step=0
        )
    for loop in range(2):
        services.application_return(
            officer=handler,
            scope=h_scope,
            application=app,
            expected_step=0,
            fields=["nama_usaha"],
            documents=["ktp"],
            note=f"Perbaiki nama usaha ({loop})",
        )
        app.refresh_from_db()
        assert app.state == "revision"
        assert app.revision_fields == ["nama_usaha"] and app.revision_documents == ["ktp"]
        assert all(t.is_paused and t.deadline is None for t in running(app).values())
        services.application_resubmit(
            actor=org.citizen,
            application=app,
            values=posted(nama_usaha=f"Toko Maju {loop}"),
            uploads={"ktp": pdf("ktp-baru.pdf")},
        )
        app.refresh_from_db()
        assert app.state == "processing" and app.data["nama_usaha"] == f"Toko Maju {loop}"
        assert all(not t.is_paused and t.deadline for t in running(app).values())
    assert ApplicationDocument.objects.filter(application=app, code="ktp").count() == 3
    services.application_forward(
        officer=handler, scope=h_scope, application=app, expected_step=0, note="Berkas lengkap"
    )
    app.refresh_from_db()
    assert (app.step_index, app.current_role) == (1, "supervisor")
    assert running(app)["step"].budget_working_days == 1
    # A stale form (still showing step 0) is refused.
    with pytest.raises(IllegalTransition):
        services.application_approve(
            officer=supervisor, scope=s_scope, application=app, expected_step=0
        )
    services.application_approve(
        officer=supervisor, scope=s_scope, application=app, expected_step=1
    )
    app.refresh_from_db()
    assert app.state == "approved" and "step" not in running(app)
    services.application_issue(officer=supervisor, scope=s_scope, application=app)
    app.refresh_from_db()
    assert app.state == "issued" and app.completed_at and app.output_reference
    assert not running(app)
    assert Notification.objects.filter(recipient=org.citizen, kind="application.survey").exists()
    public = [e.transition for e in timeline(app, public_only=True)]
    assert public == [
        "submit",
        "return",
        "resubmit",
        "return",
        "resubmit",
        "forward",
        "approve",
        "issue",
    ]
    # Internal notes stay internal; the return note is the citizen's.
    forward = timeline(app, public_only=True).get(transition="forward")
    assert forward.public_note == ""
    assert timeline(app, public_only=True).filter(transition="return")[0].public_note


def test_reject_needs_a_reason_and_closes(org, submit):
    app = submit()
    scope = officer_scope(org.handler)
    with pytest.raises(ValidationError):
        services.application_reject(
            officer=org.handler, scope=scope, application=app, expected_step=0, note="  "
        )
    services.application_reject(
        officer=org.handler,
        scope=scope,
        application=app,
        expected_step=0,
        note="Bukan kewenangan kami",
    )
    app.refresh_from_db()
    assert app.state == "rejected" and app.decision_note == "Bukan kewenangan kami"
    assert not running(app)


RESUBMIT_ERRORS = [
    # (values, uploads, code with the error, fragment)
    (dict(nama_usaha="Baru", ponsel="0813 0000 1111"), {"ktp": "pdf"}, "ponsel", "tidak diminta"),
    (
        dict(nama_usaha="Baru"),
        {"ktp": "pdf", "surat_pernyataan": "pdf"},
        "surat_pernyataan",
        "tidak diminta",
    ),
    (dict(nama_usaha="Baru"), {}, "ktp", "Unggah ulang"),
    (dict(nama_usaha=""), {"ktp": "pdf"}, "nama_usaha", "Wajib"),
    (dict(nama_usaha="Baru", nik="1871014508900003"), {"ktp": "pdf"}, "nik", "tidak diminta"),
]


@pytest.mark.parametrize(("values", "uploads", "code", "fragment"), RESUBMIT_ERRORS)
def test_resubmission_may_change_only_what_was_returned(
    org, submit, values, uploads, code, fragment
):
    app = submit()
    services.application_return(
        officer=org.handler,
        scope=officer_scope(org.handler),
        application=app,
        expected_step=0,
        fields=["nama_usaha"],
        documents=["ktp"],
        note="Nama usaha salah",
    )
    files = {k: pdf() for k in uploads}
    with pytest.raises(ValidationError) as err:
        services.application_resubmit(
            actor=org.citizen, application=app, values=posted(**values), uploads=files
        )
    assert fragment.lower() in err.value.message_dict[code][0].lower()
    app.refresh_from_db()
    assert app.state == "revision" and app.data["nama_usaha"] == "Toko Maju"
    assert ApplicationDocument.objects.filter(application=app, code="ktp").count() == 1


def test_unchanged_values_of_other_fields_may_be_sent_back(org, submit):
    app = submit()
    services.application_return(
        officer=org.handler,
        scope=officer_scope(org.handler),
        application=app,
        expected_step=0,
        fields=["nama_usaha"],
        documents=[],
        note="Nama usaha salah",
    )
    services.application_resubmit(
        actor=org.citizen,
        application=app,
        values=posted(nama_usaha="Toko Benar", ponsel="+6281234567890", punya_npwp="tidak"),
        uploads={},
    )
    app.refresh_from_db()
    assert app.state == "processing"


def test_return_must_name_known_fields_and_a_note(org, submit):
    app = submit()
    scope = officer_scope(org.handler)
    for fields, docs, note in ((["nope"], [], "x"), ([], [], "x"), (["nama_usaha"], [], "")):
        with pytest.raises(ValidationError):
            services.application_return(
                officer=org.handler,
                scope=scope,
                application=app,
                expected_step=0,
                fields=fields,
                documents=docs,
                note=note,
            )
    app.refresh_from_db()
    assert app.state == "processing"


def test_form_versions_old_application_renders_after_the_form_changes(org, submit, service):
    app = submit()
    new_fields = [
        {"code": "alamat", "type": "textarea", "label": "Alamat usaha", "required": True},
        {"code": "luas", "type": "number", "label": "Luas (m²)", "min": 1},
    ]
    form = services.form_definition_save(
        actor=None, service=service, fields=new_fields, requirements=[]
    )
    assert form.number == 2
    app = Application.objects.select_related("form").get(pk=app.pk)
    assert app.form.number == 1
    views = {v.code: v for v in field_views(app)}
    assert views["nama_usaha"].display == "Toko Maju"
    assert views["nik"].display == "1871**********02"
    assert "alamat" not in views
    # New drafts use the new version; the old version is immutable.
    draft = services.application_start(applicant=org.other_citizen, service=service)
    assert draft.form.number == 2
    with pytest.raises(ValueError):
        FormDefinition.objects.get(pk=app.form_id).save()
    # Saving the same definition again makes no new version.
    again = services.form_definition_save(
        actor=None, service=service, fields=new_fields, requirements=[]
    )
    assert again.pk == form.pk


def test_invalid_definitions_save_nothing(service):
    before = FormDefinition.objects.filter(service=service).count()
    bad = [*FIELDS, {"code": "zz", "type": "text", "label": "Z", "show_if": {"field": "qq"}}]
    with pytest.raises(defs.DefinitionError):
        services.form_definition_save(
            actor=None, service=service, fields=bad, requirements=REQUIREMENTS
        )
    with pytest.raises(defs.DefinitionError):
        services.workflow_definition_save(actor=None, service=service, steps=[], overall_days=3)
    assert FormDefinition.objects.filter(service=service).count() == before
    assert service.workflow_definitions.count() == 1


def test_sla_counts_working_days_with_2026_holidays_and_pauses(org, service):
    # Tuesday 17 March 2026; 18–24 March hold Nyepi, cuti bersama and Idul Fitri.
    draft = services.application_start(applicant=org.citizen, service=service)
    app = services.application_submit(
        applicant=org.citizen,
        application=draft,
        values=complete_values(),
        uploads=documents(),
        idempotency_key="kunci-sla-0001",
        now=wib(2026, 3, 17, 10, 0),
    )
    clocks = running(app)
    # Step 1: 2 working days → 25 and 26 March. Overall: 5 → 25, 26, 27, 30, 31 March.
    assert clocks["step"].deadline.astimezone(WIB).date().isoformat() == "2026-03-26"
    assert clocks["overall"].deadline.astimezone(WIB).date().isoformat() == "2026-03-31"
    services.application_return(
        officer=org.handler,
        scope=officer_scope(org.handler),
        application=app,
        expected_step=0,
        fields=["nama_usaha"],
        documents=[],
        note="Perbaiki",
        now=wib(2026, 3, 25, 9, 0),
    )
    services.application_resubmit(
        actor=org.citizen,
        application=app,
        values=posted(nama_usaha="Toko Baru"),
        uploads={},
        now=wib(2026, 3, 30, 9, 0),
    )
    clocks = running(app)
    # Paused on day 1 (25 March) until 30 March: 26, 27 and 30 March were the citizen's.
    step_deadline = clocks["step"].deadline.astimezone(WIB).date()
    assert step_deadline.isoformat() == "2026-03-31"
    services.application_forward(
        officer=org.handler,
        scope=officer_scope(org.handler),
        application=app,
        expected_step=0,
        now=wib(2026, 3, 31, 8, 0),
    )
    # Step 2 (1 working day) starts on Tuesday 31 March → 1 April.
    assert running(app)["step"].deadline.astimezone(WIB).date().isoformat() == "2026-04-01"
