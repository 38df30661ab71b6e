"""The complaint life cycle of the issue, declared as a table: the engine's reference example.

received → verification → (rejected | forwarded | merged) → dispatched → in progress
→ waiting for the reporter (clock paused) → resolved → closed (confirmed or auto-closed after
10 working days) → reopened → in progress.
"""

from __future__ import annotations

from loket.core.permissions import COMPLAINT_ASSIGN, COMPLAINT_HANDLE, COMPLAINT_TRIAGE
from loket.workflow.scopes import SUBJECT_OWNER, SYSTEM
from loket.workflow.states import ALL, Stage, State, Transition, Workflow

TICKET = Workflow(
    name="test_ticket",
    initial="received",
    states=(
        State("received", "Diterima", "Laporan diterima"),
        State("verification", "Verifikasi", "Sedang diverifikasi"),
        State("rejected", "Ditolak", "Tidak dapat diproses", open=False, terminal=True),
        State("forwarded", "Diteruskan", "Diteruskan ke instansi lain", open=False, terminal=True),
        State("merged", "Digabung", "Digabung dengan laporan lain", open=False, terminal=True),
        State("dispatched", "Didisposisikan", "Diteruskan ke OPD"),
        State("in_progress", "Ditindaklanjuti", "Sedang ditindaklanjuti"),
        State("waiting", "Menunggu pelapor", "Menunggu tanggapan pelapor"),
        State("resolved", "Selesai ditindaklanjuti", "Selesai ditindaklanjuti"),
        State("closed", "Ditutup", "Selesai", open=False),
        State("reopened", "Dibuka kembali", "Dibuka kembali"),
    ),
    stages=(
        Stage("triage", "Verifikasi dan disposisi", days=3),
        Stage("follow_up", "Tindak lanjut OPD", days=5),
        Stage("confirmation", "Tanggapan pelapor", days=10, on_expiry="auto_close"),
    ),
    transitions=(
        Transition(
            "verify", "received", "verification", COMPLAINT_TRIAGE, "Verifikasi", start="triage"
        ),
        Transition(
            "reject",
            "verification",
            "rejected",
            COMPLAINT_TRIAGE,
            "Tolak",
            requires_note=True,
            public=True,
        ),
        Transition(
            "forward",
            "verification",
            "forwarded",
            COMPLAINT_TRIAGE,
            "Teruskan ke instansi lain",
            requires_note=True,
            public=True,
        ),
        Transition("merge", "verification", "merged", COMPLAINT_TRIAGE, "Gabungkan", public=True),
        Transition(
            "dispatch",
            "verification",
            "dispatched",
            COMPLAINT_TRIAGE,
            "Disposisi ke OPD",
            public=True,
            stop="triage",
            start="follow_up",
        ),
        Transition(
            "assign",
            ("dispatched", "reopened"),
            "in_progress",
            COMPLAINT_ASSIGN,
            "Tugaskan petugas",
        ),
        Transition(
            "ask_reporter",
            "in_progress",
            "waiting",
            COMPLAINT_HANDLE,
            "Minta keterangan pelapor",
            requires_note=True,
            public=True,
            pause=ALL,
        ),
        Transition(
            "reporter_replies",
            "waiting",
            "in_progress",
            SUBJECT_OWNER,
            "Pelapor menjawab",
            public=True,
            resume=ALL,
        ),
        Transition(
            "resolve",
            "in_progress",
            "resolved",
            COMPLAINT_HANDLE,
            "Selesaikan",
            requires_note=True,
            public=True,
            stop="follow_up",
            start="confirmation",
        ),
        Transition(
            "confirm",
            "resolved",
            "closed",
            SUBJECT_OWNER,
            "Konfirmasi selesai",
            public=True,
            stop="confirmation",
        ),
        Transition(
            "auto_close",
            "resolved",
            "closed",
            SYSTEM,
            "Ditutup otomatis",
            public=True,
            stop="confirmation",
        ),
        Transition(
            "reopen",
            ("resolved", "closed"),
            "reopened",
            SUBJECT_OWNER,
            "Buka kembali",
            requires_note=True,
            public=True,
            stop="confirmation",
            start="follow_up",
        ),
    ),
)
