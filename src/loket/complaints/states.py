"""The life of a complaint as one table (engine: :mod:`loket.workflow.states`).

::

    received ─verify─▶ verification ─dispatch─▶ dispatched ─start_work─▶ in_progress
       │                 │ ├─reject─▶ rejected (end)             ▲   │ ├─ask_reporter─▶ waiting
       │                 │ ├─merge──▶ merged (end)               │   │ │  (clocks paused) │
       │                 │ └─forward─▶ forwarded ─receive─▶ received (other government)   │
       └─auto_dispatch─▶ dispatched  (system, when the government enables it)             │
    dispatched ─decline─▶ verification (the agency: "not our authority")               │
    dispatched ─redirect─▶ dispatched (coordinator: another agency)                    │
    waiting ─reporter_replies / resume─▶ in_progress ◀──────────────────────────────────┘
    in_progress ─resolve─▶ resolved ─confirm / auto_close─▶ closed
    resolved | closed ─reopen─▶ reopened ─start_work─▶ in_progress

Clocks (working days, counted with the government's calendar; see README for the choices):

* ``triage`` 3: from filing to dispatch (the coordinator verifies and routes);
* ``follow_up`` 5: from dispatch (or reopening) to the agency's first answer (start of work);
* ``settle`` 60 *calendar* days from dispatch to resolution (Perpres 76/2013), turned into the
  number of working days that fit in those calendar days when the clock starts;
* ``confirmation`` 10: after resolution the reporter confirms; when it runs out the engine's
  sweep applies ``auto_close``.

Budgets: the category's ``sla_overrides[stage]`` wins, then the government's
``settings["sla"]["complaint.<stage>"]``, then the defaults above.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from loket.core.permissions import (
    COMPLAINT_ASSIGN,
    COMPLAINT_HANDLE,
    COMPLAINT_TRIAGE,
)
from loket.workflow.scopes import SUBJECT_OWNER, SYSTEM
from loket.workflow.states import ALL, Stage, State, Transition, Workflow

DEFAULT_BUDGETS: dict[str, int] = {
    "triage": 3,
    "follow_up": 5,
    "settle": 60,  # calendar days
    "confirmation": 10,
}
CALENDAR_DAY_STAGES = frozenset({"settle"})


def _override(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def stage_budget(complaint: Any, stage: str, *, at: datetime | None = None) -> int:
    """The working-day budget of ``stage`` for ``complaint`` when its clock starts at ``at``.

    Category override, then government override, then default. Stages kept in calendar days
    (``settle``) are converted to the working days that fit between ``at`` and ``at + days``.
    """
    category = getattr(complaint, "category", None)
    days = _override((getattr(category, "sla_overrides", None) or {}).get(stage))
    if days is None:
        sla = (complaint.government.settings or {}).get("sla")
        if isinstance(sla, dict):
            days = _override(sla.get(f"complaint.{stage}"))
    if days is None:
        days = DEFAULT_BUDGETS[stage]
    if stage in CALENDAR_DAY_STAGES:
        from loket.core.calendar import calendar_for_government

        start = at or getattr(complaint, "_clock_at", None) or timezone.now()
        calendar = calendar_for_government(complaint.government)
        return max(0, calendar.working_days_between(start, start + timedelta(days=days)))
    return days


def _budget(stage: str) -> Any:
    return lambda complaint: stage_budget(complaint, stage)


COMPLAINT = Workflow(
    name="complaint",
    initial="received",
    states=(
        State("received", _("Diterima"), _("Laporan diterima")),
        State("verification", _("Verifikasi"), _("Sedang diverifikasi")),
        State("rejected", _("Ditolak"), _("Tidak dapat diproses"), open=False, terminal=True),
        State("forwarded", _("Diteruskan"), _("Diteruskan ke instansi lain")),
        State(
            "merged", _("Digabung"), _("Digabung dengan laporan lain"), open=False, terminal=True
        ),
        State("dispatched", _("Didisposisikan"), _("Diteruskan ke perangkat daerah")),
        State("in_progress", _("Ditindaklanjuti"), _("Sedang ditindaklanjuti")),
        State("waiting", _("Menunggu pelapor"), _("Menunggu tanggapan pelapor")),
        State("resolved", _("Selesai ditindaklanjuti"), _("Selesai ditindaklanjuti"), open=False),
        State("closed", _("Ditutup"), _("Selesai"), open=False),
        State("reopened", _("Dibuka kembali"), _("Dibuka kembali")),
    ),
    stages=(
        Stage("triage", _("Verifikasi dan disposisi"), days=_budget("triage")),
        Stage("follow_up", _("Tindak lanjut perangkat daerah"), days=_budget("follow_up")),
        Stage("settle", _("Penyelesaian"), days=_budget("settle")),
        Stage(
            "confirmation",
            _("Tanggapan pelapor"),
            days=_budget("confirmation"),
            on_expiry="auto_close",
        ),
    ),
    transitions=(
        # The filing itself starts "triage" (services.complaint_submit); forwarding restarts it
        # in the receiving government.
        Transition(
            "verify", ("received",), "verification", COMPLAINT_TRIAGE, _("Mulai verifikasi")
        ),
        Transition(
            "reject",
            ("verification",),
            "rejected",
            COMPLAINT_TRIAGE,
            _("Tolak"),
            requires_note=True,
            public=True,
        ),
        Transition(
            "forward",
            ("verification", "dispatched"),
            "forwarded",
            COMPLAINT_TRIAGE,
            _("Teruskan ke pemerintah daerah lain"),
            requires_note=True,
            public=True,
            stop=(ALL,),
        ),
        Transition(
            "receive",
            ("forwarded",),
            "received",
            SYSTEM,
            _("Diterima pemerintah daerah tujuan"),
            public=True,
            start=("triage",),
        ),
        Transition(
            "merge",
            ("verification",),
            "merged",
            COMPLAINT_TRIAGE,
            _("Gabungkan dengan laporan lain"),
            public=True,
        ),
        Transition(
            "dispatch",
            ("verification",),
            "dispatched",
            COMPLAINT_TRIAGE,
            _("Disposisi ke OPD"),
            public=True,
            stop=("triage",),
            start=("follow_up", "settle"),
        ),
        Transition(
            "auto_dispatch",
            ("received",),
            "dispatched",
            SYSTEM,
            _("Disposisi otomatis ke OPD"),
            public=True,
            stop=("triage",),
            start=("follow_up", "settle"),
        ),
        Transition(
            "redirect",
            ("dispatched",),
            "dispatched",
            COMPLAINT_TRIAGE,
            _("Alihkan ke OPD lain"),
            public=True,
            start=("follow_up",),
        ),
        Transition(
            "decline",
            ("dispatched",),
            "verification",
            COMPLAINT_ASSIGN,
            _("Kembalikan ke verifikator (bukan wewenang)"),
            requires_note=True,
            stop=("follow_up", "settle"),
            start=("triage",),
        ),
        Transition(
            "start_work",
            ("dispatched", "reopened"),
            "in_progress",
            COMPLAINT_HANDLE,
            _("Mulai tindak lanjut"),
            public=True,
            stop=("follow_up",),
        ),
        Transition(
            "ask_reporter",
            ("in_progress",),
            "waiting",
            COMPLAINT_HANDLE,
            _("Minta keterangan pelapor"),
            requires_note=True,
            public=True,
            pause=(ALL,),
        ),
        Transition(
            "reporter_replies",
            ("waiting",),
            "in_progress",
            SUBJECT_OWNER,
            _("Pelapor menjawab"),
            public=True,
            resume=(ALL,),
        ),
        Transition(
            "resume",
            ("waiting",),
            "in_progress",
            COMPLAINT_HANDLE,
            _("Lanjutkan tanpa jawaban pelapor"),
            requires_note=True,
            public=True,
            resume=(ALL,),
        ),
        Transition(
            "resolve",
            ("in_progress",),
            "resolved",
            COMPLAINT_HANDLE,
            _("Selesaikan"),
            requires_note=True,
            public=True,
            stop=("follow_up", "settle"),
            start=("confirmation",),
        ),
        Transition(
            "confirm",
            ("resolved",),
            "closed",
            SUBJECT_OWNER,
            _("Konfirmasi selesai"),
            public=True,
            stop=("confirmation",),
        ),
        Transition(
            "auto_close",
            ("resolved",),
            "closed",
            SYSTEM,
            _("Ditutup otomatis"),
            public=True,
            stop=("confirmation",),
        ),
        Transition(
            "reopen",
            ("resolved", "closed"),
            "reopened",
            SUBJECT_OWNER,
            _("Buka kembali"),
            requires_note=True,
            public=True,
            stop=("confirmation",),
            start=("follow_up", "settle"),
        ),
    ),
)

# States in which a public report appears in public lists, on the map and as a duplicate
# suggestion: after a coordinator has looked at it (moderation), and not when it ended as
# rejected or merged.
PUBLIC_LISTED_STATES: tuple[str, ...] = (
    "dispatched",
    "in_progress",
    "waiting",
    "resolved",
    "closed",
    "reopened",
)
OPEN_STATES: tuple[str, ...] = tuple(s.code for s in COMPLAINT.states if s.open)
# Open311 ``status``: open or closed.
OPEN311_STATUS: dict[str, str] = {s.code: "open" if s.open else "closed" for s in COMPLAINT.states}
