"""The one application life cycle, shared by every service, as a workflow-engine table.

Per-service workflows are data (WorkflowDefinition: ordered steps with a role and a
working-day limit each, plus an overall limit). They map onto this single table:

* the application's ``step_index`` says which step it is at, ``current_role`` who acts;
* ``forward`` is a self-loop on ``processing`` that moves to the next step and restarts the
  ``step`` clock, whose budget is read from the new step (``Stage.days`` is a callable);
* the ``overall`` clock runs from submission to the end with the definition's overall limit;
* returning for revision pauses both clocks, the citizen's resubmission resumes them.

draft → processing (step 1 … n) → approved → issued; processing ⇄ revision; processing →
rejected.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from loket.core.permissions import APPLICATION_COUNTER, APPLICATION_PROCESS
from loket.workflow.scopes import SUBJECT_OWNER
from loket.workflow.states import ALL, Stage, State, Transition, Workflow


def step_budget(application: Any) -> int:
    """Working days of the application's current step."""
    return int(application.workflow_definition.step(application.step_index)["days"])


def overall_budget(application: Any) -> int:
    """Working days of the whole application (the definition's overall limit)."""
    return int(application.workflow_definition.overall_days)


APPLICATION = Workflow(
    name="application",
    initial="draft",
    states=(
        State("draft", _("Draf"), _("Draf")),
        State("processing", _("Diproses"), _("Sedang diproses")),
        State("revision", _("Dikembalikan untuk perbaikan"), _("Perlu perbaikan dari pemohon")),
        State("approved", _("Disetujui"), _("Disetujui, dokumen sedang disiapkan")),
        State("issued", _("Selesai"), _("Selesai, dokumen terbit"), open=False, terminal=True),
        State("rejected", _("Ditolak"), _("Ditolak"), open=False, terminal=True),
    ),
    stages=(
        Stage("step", _("Langkah proses"), days=step_budget),
        Stage("overall", _("Penyelesaian permohonan"), days=overall_budget),
    ),
    transitions=(
        Transition(
            "submit",
            ("draft",),
            "processing",
            SUBJECT_OWNER,
            _("Permohonan diajukan"),
            public=True,
            start=("overall", "step"),
        ),
        Transition(
            "submit_counter",
            ("draft",),
            "processing",
            APPLICATION_COUNTER,
            _("Permohonan diajukan di loket"),
            public=True,
            start=("overall", "step"),
        ),
        Transition(
            "forward",
            ("processing",),
            "processing",
            APPLICATION_PROCESS,
            _("Diteruskan ke langkah berikutnya"),
            public=True,
            start=("step",),
        ),
        Transition(
            "return",
            ("processing",),
            "revision",
            APPLICATION_PROCESS,
            _("Dikembalikan untuk perbaikan"),
            requires_note=True,
            public=True,
            pause=(ALL,),
        ),
        Transition(
            "resubmit",
            ("revision",),
            "processing",
            SUBJECT_OWNER,
            _("Perbaikan dikirim"),
            public=True,
            resume=(ALL,),
        ),
        Transition(
            "resubmit_counter",
            ("revision",),
            "processing",
            APPLICATION_COUNTER,
            _("Perbaikan dikirim di loket"),
            public=True,
            resume=(ALL,),
        ),
        Transition(
            "reject",
            ("processing",),
            "rejected",
            APPLICATION_PROCESS,
            _("Ditolak"),
            requires_note=True,
            public=True,
        ),
        Transition(
            "approve",
            ("processing",),
            "approved",
            APPLICATION_PROCESS,
            _("Disetujui"),
            public=True,
            stop=("step",),
        ),
        Transition(
            "issue",
            ("approved",),
            "issued",
            APPLICATION_PROCESS,
            _("Dokumen diterbitkan"),
            public=True,
        ),
    ),
)
