"""Bulk seeding of complaints for the read benchmarks (COPY on PostgreSQL, executemany on
SQLite), on top of the demo data (governments, agencies, officers, categories).

Rows are spread over Bandar Lampung: its desa/kelurahan, the leaf categories of its tree, the
agencies of its routing table, two years of filing dates, every state of the workflow in
realistic proportions, about 60 % public. Each report gets its filing event (the public
timeline of the tracking page) and, while open, the running SLA clock of its stage (the
officer queues' deadlines and the at-risk / overdue queues read them). Seeded tracking
numbers use the prefix ``BDS`` so they never meet the numbers the counter hands out.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

# (state, share). Open states get a running clock.
STATES: tuple[tuple[str, float], ...] = (
    ("received", 0.06),
    ("verification", 0.05),
    ("dispatched", 0.14),
    ("in_progress", 0.15),
    ("waiting", 0.03),
    ("resolved", 0.08),
    ("closed", 0.42),
    ("rejected", 0.04),
    ("reopened", 0.01),
    ("merged", 0.02),
)
STAGE_OF = {
    "received": ("triage", 3),
    "verification": ("triage", 3),
    "dispatched": ("follow_up", 5),
    "in_progress": ("settle", 42),
    "waiting": ("settle", 42),
    "reopened": ("follow_up", 5),
    "resolved": ("confirmation", 10),
}
WITH_AGENCY = {"dispatched", "in_progress", "waiting", "resolved", "closed", "reopened"}
WITH_HANDLER = {"in_progress", "waiting", "resolved", "closed", "reopened"}
# Bandar Lampung, roughly: the city's box.
LAT = (-5.52, -5.35)
LNG = (105.19, 105.34)
WORDS = (
    "jalan berlubang dekat sekolah", "lampu jalan mati sejak seminggu", "sampah menumpuk di TPS",
    "saluran air tersumbat saat hujan", "parkir liar menutup trotoar",
    "pohon tumbang di tepi jalan",
    "genangan air di perempatan", "antrian KTP-el lama", "bau limbah dari pabrik",
)  # fmt: skip

COMPLAINT_COLUMNS = (
    "id", "tracking_number", "report_class", "title", "description", "latitude", "longitude",
    "landmark", "attributes", "visibility", "identity", "source", "state", "estimate_date",
    "public_answer", "rating", "rating_comment", "support_count", "created_at", "updated_at",
    "resolved_at", "closed_at", "agency_id", "category_id", "government_id", "handler_id",
    "merged_into_id", "region_id", "sla_deadline", "sla_at_risk_at", "sla_escalation_level",
)  # fmt: skip
EVENT_COLUMNS = (
    "subject_id", "workflow", "transition", "from_state", "to_state", "actor_role", "note",
    "is_public", "note_is_public", "created_at", "actor_id", "government_id", "subject_type_id",
)  # fmt: skip
TIMER_COLUMNS = (
    "subject_id", "workflow", "stage", "started_at", "budget_working_days", "pauses", "deadline",
    "at_risk_at", "paused_at", "stopped_at", "breached_at", "escalation_level",
    "last_escalated_at", "next_escalation_at", "government_id", "subject_type_id",
)  # fmt: skip


@dataclass
class SeedContext:
    government_id: int
    category_ids: list[int]
    agency_ids: list[int]
    handler_ids: list[int]
    region_codes: list[str]
    content_type_id: int
    first_id: int
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class SeedResult:
    rows: int
    seconds: float
    first_id: int
    public_listed: int = 0
    sample_numbers: list[str] = field(default_factory=list)


def generate(
    ctx: SeedContext, count: int, *, seed: int = 2026
) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...] | None]]:
    """Yield (complaint row, filing event row, running timer row or None) ``count`` times."""
    rng = random.Random(seed)
    states = [s for s, _ in STATES]
    weights = [w for _, w in STATES]
    span = 730 * 86400
    for i in range(count):
        pk = ctx.first_id + i
        state = rng.choices(states, weights)[0]
        age = rng.random() ** 1.6 * span  # more recent reports than old ones
        created = ctx.now - timedelta(seconds=age)
        if state in STAGE_OF and age > 120 * 86400:
            created = ctx.now - timedelta(seconds=rng.random() * 120 * 86400)
        public = rng.random() < 0.6
        agency = rng.choice(ctx.agency_ids) if state in WITH_AGENCY else None
        handler = rng.choice(ctx.handler_ids) if state in WITH_HANDLER and ctx.handler_ids else None
        resolved = created + timedelta(days=rng.randint(1, 30)) if state in {
            "resolved", "closed"} else None  # fmt: skip
        closed = resolved + timedelta(days=3) if state == "closed" and resolved else None
        title = rng.choice(WORDS).capitalize()
        timer = None
        running_deadline = None
        if state in STAGE_OF:
            stage, budget = STAGE_OF[state]
            started = created + timedelta(hours=rng.randint(0, 48))
            # deadlines around now: some overdue, some at risk, most later
            deadline = ctx.now + timedelta(hours=rng.uniform(-240, 24 * budget))
            paused = state == "waiting"
            running_deadline = None if paused else deadline
            timer = (
                str(pk), "complaint", stage, started, budget, "[]",
                None if paused else deadline,
                None if paused else deadline - timedelta(days=1),
                ctx.now if paused else None, None,
                deadline if (not paused and deadline < ctx.now) else None, 0, None, None,
                ctx.government_id, ctx.content_type_id,
            )  # fmt: skip
        row = (
            pk, f"BDS-{created.year}-{pk:08d}", "pengaduan", title,
            f"{title}. Mohon segera ditindaklanjuti (laporan uji {pk}).",
            round(rng.uniform(*LAT), 6), round(rng.uniform(*LNG), 6), "", "{}",
            "public" if public else "confidential",
            "anonymous" if rng.random() < 0.7 else "shown", "web", state, None,
            "Sudah ditangani." if resolved else "", 4 if state == "closed" else None, "",
            rng.randint(0, 5) if public else 0, created, resolved or created, resolved, closed,
            agency, rng.choice(ctx.category_ids), ctx.government_id, handler, None,
            rng.choice(ctx.region_codes), running_deadline,
            running_deadline - timedelta(days=1) if running_deadline else None, 0,
        )  # fmt: skip
        event = (
            str(pk), "complaint", "submit", "", "received", "reporter", "", True, False, created,
            None, ctx.government_id, ctx.content_type_id,
        )  # fmt: skip
        yield row, event, timer


def context_for_demo(first_id: int) -> SeedContext:
    """Bandar Lampung from the demo data."""
    from django.contrib.contenttypes.models import ContentType

    from loket.complaints.models import Category, Complaint, RoutingRule
    from loket.organizations.models import Government, Membership, Region

    gov = Government.objects.get(slug="bandar-lampung")
    cats = list(
        Category.objects.filter(government=gov, is_active=True, parent__isnull=False).values_list(
            "id", flat=True
        )
    )
    agencies = sorted(
        set(RoutingRule.objects.filter(government=gov).values_list("agency_id", flat=True))
    )
    handlers = list(
        Membership.objects.filter(agency_id__in=agencies, role="handler").values_list(
            "user_id", flat=True
        )
    )
    regions = list(
        Region.objects.filter(code__startswith=gov.region_id + ".", level=4).values_list(
            "code", flat=True
        )
    )
    return SeedContext(
        government_id=gov.pk,
        category_ids=cats,
        agency_ids=agencies,
        handler_ids=handlers,
        region_codes=regions,
        content_type_id=ContentType.objects.get_for_model(Complaint).pk,
        first_id=first_id,
    )


def seed_complaints(count: int, *, progress: Callable[[str], None] = print) -> SeedResult:
    """Insert ``count`` complaints (+ events and timers) in the configured database."""
    from django.db import connection

    from loket.complaints.models import Complaint

    last = Complaint.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ctx = context_for_demo(first_id=last + 1_000_000)
    started = time.monotonic()
    if connection.vendor == "postgresql":
        _copy_postgres(ctx, count, progress)
    else:
        _insert_sqlite(ctx, count, progress)
    seconds = time.monotonic() - started
    sample = (
        list(
            Complaint.objects.filter(id__gte=ctx.first_id)
            .order_by("?")
            .values_list("tracking_number", flat=True)[:200]
        )
        if count <= 300_000
        else _sample_numbers(ctx, count)
    )
    return SeedResult(rows=count, seconds=seconds, first_id=ctx.first_id, sample_numbers=sample)


def _sample_numbers(ctx: SeedContext, count: int) -> list[str]:
    from loket.complaints.models import Complaint

    rng = random.Random(7)
    ids = [ctx.first_id + rng.randrange(count) for _ in range(200)]
    return list(Complaint.objects.filter(id__in=ids).values_list("tracking_number", flat=True))


def _copy_postgres(ctx: SeedContext, count: int, progress: Callable[[str], None]) -> None:
    from django.db import connection

    cols = ", ".join(COMPLAINT_COLUMNS)
    ev_cols = ", ".join(EVENT_COLUMNS)
    tm_cols = ", ".join(TIMER_COLUMNS)
    chunk = 100_000
    rows = generate(ctx, count)
    done = 0
    while done < count:
        n = min(chunk, count - done)
        events: list[tuple[Any, ...]] = []
        timers: list[tuple[Any, ...]] = []
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY complaints_complaint ({cols}) FROM STDIN") as copy:
                for _ in range(n):
                    row, event, timer = next(rows)
                    copy.write_row(row)
                    events.append(event)
                    if timer is not None:
                        timers.append(timer)
            with raw.copy(f"COPY workflow_workflowevent ({ev_cols}) FROM STDIN") as copy:
                for event in events:
                    copy.write_row(event)
            with raw.copy(f"COPY workflow_slatimer ({tm_cols}) FROM STDIN") as copy:
                for timer in timers:
                    copy.write_row(timer)
        done += n
        progress(f"  seeded {done:,} / {count:,}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('complaints_complaint', 'id'), "
            "(SELECT MAX(id) FROM complaints_complaint))"
        )
        # VACUUM as well as ANALYZE: rows fresh from COPY are not yet marked all-visible, so
        # index-only scans (the map's covering index) visit the table until autovacuum gets to
        # it, which it does at a moment of its own choosing, sometimes in the middle of a load
        # (map p95 with one client: 35 ms in one run, 120 ms in the next). A table that grew to
        # a million rows in service has long been vacuumed.
        for table in ("complaints_complaint", "workflow_workflowevent", "workflow_slatimer"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def _insert_sqlite(ctx: SeedContext, count: int, progress: Callable[[str], None]) -> None:
    from django.db import connection, transaction

    def sql(table: str, cols: tuple[str, ...]) -> str:
        marks = ", ".join("%s" for _ in cols)
        return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})"  # noqa: S608 - constants

    def adapt(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(v.isoformat(sep=" ") if isinstance(v, datetime) else v for v in row)

    chunk = 20_000
    rows = generate(ctx, count)
    done = 0
    while done < count:
        n = min(chunk, count - done)
        batch = [next(rows) for _ in range(n)]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                sql("complaints_complaint", COMPLAINT_COLUMNS), [adapt(b[0]) for b in batch]
            )
            cursor.executemany(
                sql("workflow_workflowevent", EVENT_COLUMNS), [adapt(b[1]) for b in batch]
            )
            cursor.executemany(
                sql("workflow_slatimer", TIMER_COLUMNS),
                [adapt(b[2]) for b in batch if b[2] is not None],
            )
        done += n
        progress(f"  seeded {done:,} / {count:,}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


_ = (json, uuid)
