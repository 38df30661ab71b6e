"""One database variant of the run (PostgreSQL or SQLite), in its own process: set up,
seed, start the server set, run the loads (and, on PostgreSQL, the faults), write JSON."""

from __future__ import annotations

import contextlib
import json
import os
import random
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.loadgen import LoadResult, Request, run_load
from bench.stats import percentile

GOV = "bandar-lampung"
# A neighbourhood-sized viewport of Bandar Lampung (about 3 x 3 km).
VIEW = 0.028


@dataclass
class Plan:
    quick: bool

    def n(self, full: int) -> int:
        return max(20, full // 10) if self.quick else full

    def secs(self, full: float) -> float:
        return min(10.0, full) if self.quick else full


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _terminate(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def main(args: Any) -> int:
    import signal

    import django

    signal.signal(signal.SIGTERM, _terminate)

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    out: dict[str, Any] = {"database": connection.vendor, "loads": {}, "selectors": {},
                           "faults": {}, "notes": []}  # fmt: skip
    plan = Plan(quick=args.quick)
    t0 = time.monotonic()
    call_command("migrate", "--no-input", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from loket.demo.services import install_demo

    install_demo()
    out["setup_seconds"] = round(time.monotonic() - t0, 1)
    from bench import fixtures, seed

    fx = fixtures.build(citizens=8, drafts=plan.n(300) + 10, services_total=5000)
    out["services"] = fx.services_total
    log(f"seeding {args.rows:,} complaints on {connection.vendor}")
    seeded = seed.seed_complaints(args.rows, progress=log)
    out["seed"] = {"rows": seeded.rows, "seconds": round(seeded.seconds, 1)}
    from loket.complaints.models import Complaint

    out["complaints_total"] = Complaint.objects.count()
    log(f"seeded in {seeded.seconds:.0f} s")
    numbers = seeded.sample_numbers
    connection.close()

    from bench.gateway import Gateway
    from bench.stack import Stack

    gateway = Gateway(port=args.gateway_port).start()
    stack = Stack(
        env=dict(os.environ),
        port=args.port,
        web_workers=args.web_workers,
        log_dir=Path(args.log_dir),
    )
    try:
        stack.start_web()
        for i in range(args.task_workers):
            stack.start_worker(f"bench-w{i + 1}")
        ctx = Ctx(args=args, plan=plan, fx=fx, numbers=numbers, gateway=gateway, stack=stack)
        run_loads(ctx, out)
        out["selectors"] = selector_timings(fx, numbers, repeat=20 if plan.quick else 100)
        if args.faults:
            run_faults(ctx, out)
    finally:
        stack.stop_all()
        gateway.stop()
    Path(args.out).write_text(json.dumps(out, indent=2, default=str))
    return 0


@dataclass
class Ctx:
    args: Any
    plan: Plan
    fx: Any
    numbers: list[str]
    gateway: Any
    stack: Any

    @property
    def port(self) -> int:
        return int(self.args.port)


# --- requests --------------------------------------------------------------------------------
def complaint_body(fx: Any, rng: random.Random, i: int) -> bytes:
    from bench.seed import LAT, LNG

    return json.dumps({
        "government": GOV,
        "category": rng.choice(fx.category_codes),
        "title": "Jalan berlubang di depan pasar",
        "description": f"Lubang besar membahayakan pengendara motor (uji beban {i}).",
        "region": rng.choice(fx.region_codes),
        "latitude": round(rng.uniform(*LAT), 6),
        "longitude": round(rng.uniform(*LNG), 6),
        "visibility": "public" if rng.random() < 0.5 else "confidential",
        "identity": "anonymous",
    }).encode()  # fmt: skip


def submit_maker(fx: Any, tag: str, seed: int = 1) -> Callable[[int], Request]:
    rng = random.Random(seed)
    lock = threading.Lock()

    def make(i: int) -> Request:
        with lock:
            body = complaint_body(fx, rng, i)
        return Request(
            "POST",
            "/api/v1/complaints/",
            body,
            {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {fx.tokens[i % len(fx.tokens)]}",
                "Idempotency-Key": f"bench-{tag}-{i:07d}",
            },
        )

    return make


def acknowledged(result: LoadResult, ok: tuple[int, ...] = (201,)) -> list[str]:
    numbers = []
    for o in result.outcomes:
        if o.status in ok:
            with contextlib.suppress(ValueError, KeyError):
                numbers.append(json.loads(o.body)["number"])
    return numbers


def count_in_db(numbers: list[str]) -> int:
    from django.db import close_old_connections

    from loket.complaints.models import Complaint

    close_old_connections()
    found = 0
    for i in range(0, len(numbers), 1000):
        found += Complaint.objects.filter(tracking_number__in=numbers[i : i + 1000]).count()
    return found


def run_loads(ctx: Ctx, out: dict[str, Any]) -> None:
    fx, plan, port = ctx.fx, ctx.plan, ctx.port
    loads = out["loads"]
    rng = random.Random(5)
    conc_w, conc_r = ctx.args.concurrency, max(4, ctx.args.concurrency // 2)

    def record(key: str, result: LoadResult, **extra: Any) -> None:
        d = result.summary.as_dict()
        d.update(extra)
        d["loadavg_1m_after"] = round(os.getloadavg()[0], 2)  # others' work on the machine
        loads[key] = d
        log(
            f"{key}: {d['requests']} req, {d['throughput_rps']} ok/s, p50 {d['p50_ms']} "
            f"p95 {d['p95_ms']} p99 {d['p99_ms']} ms, errors {d['errors']}"
        )

    def read(key: str, make: Callable[[int], Request], n: int, **extra: Any) -> LoadResult:
        """One client alone (latency), then ``conc_r`` clients (throughput)."""
        single = run_load(key, make, port=port, concurrency=1, max_requests=plan.n(300),
                          max_seconds=plan.secs(10))  # fmt: skip
        res = run_load(key, make, port=port, concurrency=conc_r, max_requests=plan.n(n),
                       max_seconds=plan.secs(20), keep_bodies=extra.pop("keep", False))  # fmt: skip
        s1 = single.summary
        record(key, res, single_client={"requests": s1.requests, "p50_ms": round(s1.p50_ms, 2),
               "p95_ms": round(s1.p95_ms, 2), "p99_ms": round(s1.p99_ms, 2),
               "errors": s1.errors}, **extra)  # fmt: skip
        return res

    # warm-up: every process imports, connects, fills caches
    run_load("warm", submit_maker(fx, "warm", 99), port=port, concurrency=conc_w,
             max_requests=60, max_seconds=20)  # fmt: skip
    run_load("warm", lambda i: Request("GET", "/_floor/read/"), port=port, concurrency=conc_r,
             max_requests=60, max_seconds=10)  # fmt: skip

    # 1. floor write, then complaint submission (same concurrency)
    from bench.floorapp.models import FloorRow

    before = FloorRow.objects.count()
    res = run_load(
        "floor_write",
        lambda i: Request("POST", "/_floor/write/", b"", {"Idempotency-Key": f"f{i}"}),
        port=port, concurrency=conc_w, max_requests=plan.n(6000), max_seconds=plan.secs(30),
    )  # fmt: skip
    created = FloorRow.objects.count() - before
    record("floor_write", res, rows_created=created, rows_match=created == res.summary.ok)

    res = run_load(
        "complaint_submit", submit_maker(fx, "load"), port=port, concurrency=conc_w,
        max_requests=plan.n(6000), max_seconds=plan.secs(45), keep_bodies=True,
    )  # fmt: skip
    acks = acknowledged(res)
    in_db = count_in_db(acks)
    record(
        "complaint_submit", res, rows_created=in_db, distinct_numbers=len(set(acks)),
        rows_match=in_db == res.summary.ok == len(set(acks)),
    )  # fmt: skip

    # 2. reads
    read("floor_read", lambda i: Request("GET", "/_floor/read/"), 4000)

    def list_req(i: int) -> Request:
        cat = fx.category_ids[i % len(fx.category_ids)]
        status = ("open", "closed", "in_progress")[i % 3]
        page = 1 + (i // 3) % 2
        return Request("GET", f"/api/v1/complaints/?government={GOV}&category={cat}"
                       f"&status={status}&page={page}")  # fmt: skip

    read("public_list", list_req, 3000)

    from bench.seed import LAT, LNG

    boxes = []
    for _ in range(200):
        s = rng.uniform(LAT[0], LAT[1] - VIEW)
        w = rng.uniform(LNG[0], LNG[1] - VIEW)
        boxes.append(f"{w:.5f},{s:.5f},{w + VIEW:.5f},{s + VIEW:.5f}")
    pins = []
    for b in boxes[:20]:
        probe = run_load("map", lambda i, b=b: Request("GET", f"/api/v1/complaints/map/?bbox={b}"),
                         port=port, concurrency=1, max_requests=1, max_seconds=10,
                         keep_bodies=True)  # fmt: skip
        if probe.outcomes and probe.outcomes[0].status == 200:
            pins.append(json.loads(probe.outcomes[0].body).get("count", 0))
    read(
        "map",
        lambda i: Request("GET", f"/api/v1/complaints/map/?bbox={boxes[i % 200]}"),
        3000,
        pins_per_viewport_median=sorted(pins)[len(pins) // 2] if pins else None,
    )

    nums = ctx.numbers or ["BDS-0000-00000000"]
    read(
        "tracking_api",
        lambda i: Request("GET", f"/api/v1/complaints/track/{nums[i % len(nums)]}/"),
        3000,
    )
    page = discover_page("tracking")
    if page:
        read(
            "tracking_page",
            lambda i: Request("GET", page.format(nums[i % len(nums)])),
            3000,
            path=page,
        )
    queue = discover_page("officer_queue")
    if queue:
        headers = {"Cookie": fx.officer_cookie}
        read("officer_queue", lambda i: Request("GET", queue, b"", headers), 2000, path=queue)
    else:
        out["notes"].append("officer queue page not found in the URLconf; selector timed only")

    words = ("akta", "izin", "surat keterangan", "kesehatan", "reklame", "domisili", "pajak")
    read(
        "catalog_search",
        lambda i: Request("GET", f"/layanan/?q={words[i % len(words)].replace(' ', '+')}"),
        2000,
        services=fx.services_total,
    )

    run_application_load(ctx, out, record)


def discover_page(kind: str) -> str | None:
    """The path of a page another module provides, when it exists ({} = tracking number)."""
    from django.urls import NoReverseMatch, reverse

    names = {
        "tracking": [("complaints:track", ["NUM"])],
        "officer_queue": [
            ("backoffice:complaints", []), ("backoffice:complaint_queue", []),
            ("backoffice:complaints_queue", []), ("backoffice-complaints:queue", []),
            ("complaints_office:queue", []), ("backoffice:complaint-queue", []),
        ],
    }[kind]  # fmt: skip
    for name, args in names:
        try:
            return reverse(name, args=args).replace("NUM", "{}")
        except NoReverseMatch:
            continue
    return None


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "bench" + uuid.uuid4().hex
    parts = []
    for k, v in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        )
    for k, (name, data) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def application_request(fx: Any, draft: tuple[int, str], i: int, pdfs: list[bytes]) -> Request:
    from bench.fixtures import PDF_FIELDS

    pk, cookie = draft
    body, ctype = multipart(
        {"csrfmiddlewaretoken": fx.csrf, "action": "submit", "keperluan": "Melamar kerja",
         "idempotency_key": f"bench-app-{pk}-{i}"},
        {code: (f"{code}.pdf", pdfs[j]) for j, code in enumerate(PDF_FIELDS)},
    )  # fmt: skip
    return Request("POST", f"/permohonan/{pk}/isi/", body, {
        "Content-Type": ctype, "Cookie": f"{cookie}; csrftoken={fx.csrf}",
        "Host": "127.0.0.1",
    })  # fmt: skip


def run_application_load(ctx: Ctx, out: dict[str, Any], record: Any) -> None:
    from bench.fixtures import pdf_bytes
    from loket.applications.models import Application

    fx = ctx.fx
    pdfs = [pdf_bytes(label=f"berkas {j}") for j in range(3)]
    drafts = fx.drafts[10:]  # the first ten are kept for the storage-full fault
    res = run_load(
        "application_submit", lambda i: application_request(fx, drafts[i], i, pdfs),
        port=ctx.port, concurrency=4, max_requests=len(drafts), max_seconds=ctx.plan.secs(45),
        ok_statuses=(302,), keep_bodies=False,
    )  # fmt: skip
    ids = [d[0] for d in drafts]
    submitted = Application.objects.filter(pk__in=ids).exclude(state="draft").count()
    record(
        "application_submit", res, rows_created=submitted, rows_match=submitted == res.summary.ok,
        attachments="3 x 1 MB PDF",
    )  # fmt: skip


# --- selectors in-process ----------------------------------------------------------------------
def selector_timings(fx: Any, numbers: list[str], *, repeat: int) -> dict[str, Any]:
    """Time the read selectors in this process (database and ORM only, no HTTP), with the
    number of queries each makes."""
    from django.db import close_old_connections, connection
    from django.test.utils import CaptureQueriesContext

    from bench.seed import LAT, LNG
    from loket.accounts.models import User
    from loket.complaints import selectors
    from loket.complaints.selectors import ComplaintFilters
    from loket.organizations.models import Government

    close_old_connections()
    gov = Government.objects.get(slug=GOV)
    officer = User.objects.get(email=fx.officer_email)
    rng = random.Random(3)

    def box() -> dict[str, float]:
        s = rng.uniform(LAT[0], LAT[1] - VIEW)
        w = rng.uniform(LNG[0], LNG[1] - VIEW)
        return {"south": s, "west": w, "north": s + VIEW, "east": w + VIEW}

    cats = fx.category_ids

    def queue(name: str) -> Callable[[int], Any]:
        return lambda i: list(selectors.officer_queue(officer=officer, queue=name).items)

    cases: dict[str, Callable[[int], Any]] = {
        "public_complaints (category, open, page 1-5)": lambda i: selectors.public_complaints(
            filters=ComplaintFilters(
                government_id=gov.pk, category_id=cats[i % len(cats)], status="open"
            ),
            page=1 + i % 5,
        ),
        "map_points (3 km viewport)": lambda i: selectors.map_points(**box()),
        "tracking_view": lambda i: selectors.tracking_view(number=numbers[i % len(numbers)]),
        "officer_queue all (coordinator)": queue("all"),
        "officer_queue overdue": queue("overdue"),
        "officer_queue to_verify": queue("to_verify"),
    }
    results: dict[str, Any] = {}
    for name, fn in cases.items():
        try:
            fn(0)
            times = []
            queries = 0
            case_deadline = time.monotonic() + 20  # count- and time-bounded
            for i in range(repeat):
                if time.monotonic() > case_deadline and len(times) >= 3:
                    break
                with CaptureQueriesContext(connection) as cq:
                    t = time.perf_counter()
                    fn(i)
                    times.append((time.perf_counter() - t) * 1000)
                queries = max(queries, len(cq.captured_queries))
            results[name] = {
                "p50_ms": round(percentile(times, 50), 2),
                "p95_ms": round(percentile(times, 95), 2),
                "max_queries": queries,
                "runs": len(times),
            }
        except Exception as exc:  # a selector another engineer is still changing
            results[name] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
        log(f"selector {name}: {results[name]}")
    return results


# --- faults ----------------------------------------------------------------------------------
def run_faults(ctx: Ctx, out: dict[str, Any]) -> None:
    faults = out["faults"]
    for name, fn in (
        # the restart last: it leaves retries and recovered tasks behind for minutes
        ("e_parallel_idempotency", fault_parallel_key),
        ("b_worker_killed", fault_worker_killed),
        ("c_provider_down", fault_provider_down),
        ("d_storage_full", fault_storage_full),
        ("a_postgres_restart", fault_pg_restart),
    ):
        log(f"fault {name}")
        try:
            faults[name] = fn(ctx)
        except Exception as exc:
            faults[name] = {"verdict": "ERROR", "error": f"{type(exc).__name__}: {exc}"[:300]}
        log(f"fault {name}: {faults[name]}")


def fault_parallel_key(ctx: Ctx) -> dict[str, Any]:
    """Ten identical submissions at once with one idempotency key -> one report."""
    fx = ctx.fx
    key = f"bench-same-{secrets.token_hex(6)}"
    body = complaint_body(fx, random.Random(42), 0)
    req = Request("POST", "/api/v1/complaints/", body, {
        "Content-Type": "application/json", "Authorization": f"Bearer {fx.tokens[0]}",
        "Idempotency-Key": key,
    })  # fmt: skip
    barrier = threading.Barrier(10)

    def make(i: int) -> Request:
        barrier.wait(timeout=10)
        return req

    res = run_load("same_key", make, port=ctx.port, concurrency=10, max_requests=10,
                   max_seconds=30, keep_bodies=True)  # fmt: skip
    nums = acknowledged(res, ok=(200, 201))
    from loket.complaints.models import Complaint
    from loket.core.models import IdempotencyKey

    distinct = set(nums)
    in_db = count_in_db(list(distinct))
    keys = IdempotencyKey.objects.filter(key=key).count()
    statuses = res.summary.statuses
    ok = len(nums) == 10 and len(distinct) == 1 and in_db == 1 and statuses.get("201") == 1
    _ = Complaint
    return {
        "invariant": "ten identical submissions with one idempotency key -> one report",
        "statuses": statuses, "distinct_numbers": len(distinct), "reports_in_db": in_db,
        "idempotency_rows": keys, "verdict": "PASS" if ok else "FAIL",
    }  # fmt: skip


def fault_pg_restart(ctx: Ctx) -> dict[str, Any]:
    """Restart the private cluster in the middle of a submission load."""
    from bench.pgcluster import PgCluster

    cluster = PgCluster(data_dir=ctx.args.pg_dir, port=ctx.args.pg_port)
    box: dict[str, Any] = {}
    duration = 40.0 if not ctx.plan.quick else 25.0

    def load() -> None:
        box["res"] = run_load(
            "pg_restart", submit_maker(ctx.fx, "pgr", 7), port=ctx.port, concurrency=8,
            max_requests=20000, max_seconds=duration, keep_bodies=True, timeout=30,
        )  # fmt: skip

    th = threading.Thread(target=load)
    started = time.monotonic()
    th.start()
    time.sleep(8)
    r0 = time.monotonic() - started
    cluster.restart(mode="fast")
    r1 = time.monotonic() - started
    th.join(timeout=duration + 60)
    res: LoadResult = box["res"]
    acks = acknowledged(res)
    in_db = count_in_db(acks)
    after = [o for o in res.outcomes if o.started > r1 + 2]
    after_ok = [o for o in after if o.status == 201]
    tail = [o for o in res.outcomes if o.started > duration - 5]
    tail_ok = all(o.status == 201 for o in tail) and bool(tail)
    during = [o for o in res.outcomes if r0 - 0.5 <= o.started <= r1 + 2]
    time.sleep(3)
    workers = {w: p.poll() is None for w, p in ctx.stack.workers.items()}
    for worker_id, alive in workers.items():
        if not alive:  # what a process supervisor (systemd Restart=) would do
            ctx.stack.workers.pop(worker_id)
            ctx.stack.start_worker(worker_id + "-r")
    web_ok = in_db == len(acks) and len(after_ok) > 0 and tail_ok
    ok = web_ok and all(workers.values())
    return {
        "invariant": "every acknowledged report exists afterwards; service resumes unaided",
        "requests": res.summary.requests, "acknowledged": len(acks), "acknowledged_in_db": in_db,
        "restart_window_s": [round(r0, 1), round(r1, 1)],
        "failed_requests": res.summary.errors,
        "failed_statuses": {k: v for k, v in res.summary.statuses.items() if k != "201"},
        "requests_around_restart": len(during),
        "ok_after_restart": len(after_ok), "last_5s_all_ok": tail_ok,
        "web_invariant": "PASS" if web_ok else "FAIL",
        "task_workers_alive_after_restart": workers,
        "verdict": "PASS" if ok else ("FAIL (web PASS; task worker exited)" if web_ok else "FAIL"),
    }  # fmt: skip


SEND_NEW = "loket.notifications.tasks.send_new_deliveries"


def _wait(cond: Callable[[], bool], timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(step)
    return cond()


def _open_notification_tasks() -> int:
    from django.db import close_old_connections
    from django_tasks_db.models import DBTaskResult

    close_old_connections()
    return (
        DBTaskResult.objects.filter(queue_name="notifications", status__in=["READY", "RUNNING"])
        .exclude(run_after__gt=time_now())
        .count()
    )


def time_now() -> Any:
    from django.utils import timezone

    return timezone.now()


def _submit_one(ctx: Ctx, tag: str, token_index: int = 0) -> str:
    rng = random.Random(tag)
    req = Request("POST", "/api/v1/complaints/", complaint_body(ctx.fx, rng, 0), {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {ctx.fx.tokens[token_index % len(ctx.fx.tokens)]}",
        "Idempotency-Key": f"bench-{tag}",
    })  # fmt: skip
    res = run_load(tag, lambda i: req, port=ctx.port, concurrency=1, max_requests=1,
                   max_seconds=30, keep_bodies=True)  # fmt: skip
    nums = acknowledged(res)
    if not nums:
        raise RuntimeError(f"submission failed: {res.summary.statuses}")
    return nums[0]


def _deliveries_for(number: str) -> list[Any]:
    from django.db import close_old_connections

    from loket.notifications.models import Delivery

    close_old_connections()
    return list(
        Delivery.objects.filter(
            notification__kind="complaint.received",
            notification__body__contains=number,
            channel="sms",
        )
    )


def fault_worker_killed(ctx: Ctx) -> dict[str, Any]:
    """SIGKILL the worker sending a notification; it is sent again; one message."""
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult

    gw = ctx.gateway
    _wait(lambda: _open_notification_tasks() == 0, 180)
    gw.delay = 6.0
    submitted_at = time_now()
    try:
        number = _submit_one(ctx, f"kill-{secrets.token_hex(4)}", 1)
        if not _wait(lambda: bool(_deliveries_for(number)), 30, 0.1):
            return {"verdict": "ERROR", "error": "no SMS delivery created within 30 s"}
        delivery_id = _deliveries_for(number)[0].pk

        def running() -> Any:
            # The sending run that claimed the delivery (its first attempt), or a retry's task.
            return (
                DBTaskResult.objects.filter(status="RUNNING")
                .filter(Q(task_path=SEND_NEW) | Q(args_kwargs__kwargs__delivery_id=delivery_id))
                .first()
            )

        def claimed() -> bool:
            return any(d.attempts >= 1 for d in _deliveries_for(number))

        if not _wait(lambda: running() is not None and gw.in_flight > 0 and claimed(), 60, 0.05):
            rows = list(
                DBTaskResult.objects.filter(
                    Q(task_path=SEND_NEW) | Q(args_kwargs__kwargs__delivery_id=delivery_id)
                ).values_list("status", "worker_ids")
            )
            return {
                "verdict": "ERROR",
                "error": "the send did not start within 60 s",
                "task_rows": rows,
                "gateway_in_flight": gw.in_flight,
                "delivery_status": [d.status for d in _deliveries_for(number)],
                "workers": {w: p.poll() is None for w, p in ctx.stack.workers.items()},
            }
        # Which running sending run holds the claim is not recorded (a periodic run may be
        # running beside it), so every worker running one is killed.
        worker_ids = {
            w
            for ids in DBTaskResult.objects.filter(status="RUNNING")
            .filter(Q(task_path=SEND_NEW) | Q(args_kwargs__kwargs__delivery_id=delivery_id))
            .values_list("worker_ids", flat=True)
            for w in ids
        }
        victims = sorted(w for w in worker_ids if w in ctx.stack.workers)
        if not victims:
            return {"verdict": "ERROR", "error": f"running task's worker unknown: {worker_ids}"}
        for victim in victims:
            ctx.stack.kill_worker(victim)
        killed_at = time.monotonic()
        for victim in victims:  # a supervisor starts new processes
            ctx.stack.start_worker(victim + "-restarted")
    finally:
        gw.delay = 0.0
    deliveries = _deliveries_for(number)
    sent = _wait(lambda: all(d.status == "sent" for d in _deliveries_for(number)) and bool(
        _deliveries_for(number)), 120)  # fmt: skip
    deliveries = _deliveries_for(number)
    keys = [f"loket-delivery-{d.pk}" for d in deliveries]
    per_key = {k: gw.per_key.get(k, 0) for k in keys}
    reran = DBTaskResult.objects.filter(
        Q(task_path=SEND_NEW, enqueued_at__gte=submitted_at)
        | Q(args_kwargs__kwargs__delivery_id__in=[d.pk for d in deliveries])
    ).values_list("status", flat=True)
    ran_again = any(n >= 2 for n in per_key.values()) or any(d.attempts >= 2 for d in deliveries)
    ok = sent and ran_again and len(keys) == 1 and all(n >= 1 for n in per_key.values())
    return {
        "invariant": "the task runs again and the citizen gets exactly one message",
        "killed_workers": victims, "recovered_and_sent": sent, "ran_again": ran_again,
        "seconds_to_delivery": round(time.monotonic() - killed_at, 1),
        "deliveries": len(deliveries),
        "attempt_rows": [d.attempts for d in deliveries],
        "gateway_requests_per_key": per_key,
        "messages_to_citizen": len([k for k, n in per_key.items() if n >= 1]),
        "task_rows": list(reran),
        "note": "the gateway had accepted the first send when the worker died; once the "
        "claim is stale (LOKET_TASK_STALE_SECONDS) a later sending run (the recovered one, or "
        "the periodic one every minute) sends again with the same Idempotency-Key, which the "
        "gateway uses to drop the repeat, so the citizen receives one message",
        "verdict": "PASS" if ok else "FAIL",
    }  # fmt: skip


def fault_provider_down(ctx: Ctx) -> dict[str, Any]:
    """The SMS gateway down for a while: submissions succeed; messages arrive afterwards."""
    gw = ctx.gateway
    _wait(lambda: _open_notification_tasks() == 0, 120)
    gw.stop()
    down_for = 20.0
    t = time.monotonic()
    res = run_load(
        "provider_down", submit_maker(ctx.fx, f"down-{secrets.token_hex(3)}", 11), port=ctx.port,
        concurrency=4, max_requests=20, max_seconds=15, keep_bodies=True,
    )  # fmt: skip
    acks = acknowledged(res)
    time.sleep(max(0.0, down_for - (time.monotonic() - t)))
    gw.start()
    back = time.monotonic()

    def all_sent() -> bool:
        ds = [d for n in acks for d in _deliveries_for(n)]
        return bool(ds) and all(d.status == "sent" for d in ds)

    arrived = _wait(all_sent, 240, 2)
    ds = [d for n in acks for d in _deliveries_for(n)]
    keys = [f"loket-delivery-{d.pk}" for d in ds]
    delivered = sum(1 for k in keys if gw.per_key.get(k, 0) >= 1)
    ok = res.summary.errors == 0 and arrived and delivered == len(acks)
    return {
        "invariant": "requests still succeed and messages arrive after the provider recovers",
        "down_seconds": down_for, "submissions": res.summary.requests,
        "submission_errors": res.summary.errors, "deliveries": len(ds),
        "delivered_after_recovery": delivered,
        "seconds_from_recovery_to_last_delivery": round(time.monotonic() - back, 1)
        if arrived else None,
        "max_attempts": max((d.attempts for d in ds), default=0),
        "verdict": "PASS" if ok else "FAIL",
    }  # fmt: skip


def fault_storage_full(ctx: Ctx) -> dict[str, Any]:
    """Fill the upload storage (a tmpfs of its own) and submit applications with 3 PDFs."""
    from django.conf import settings

    from bench.fixtures import pdf_bytes
    from loket.applications.models import Application
    from loket.core.models import StoredFile

    media = Path(settings.MEDIA_ROOT)
    if not ctx.args.media_tmpfs:
        return {"verdict": "NOT RUN", "error": "media directory is not on its own tmpfs"}
    st = os.statvfs(media)
    free = st.f_bavail * st.f_frsize
    filler = media / "bench-filler.bin"
    leave = int(1.5 * 1024 * 1024)
    with open(filler, "wb") as fh:
        chunk = b"\0" * (8 * 1024 * 1024)
        remaining = max(0, free - leave)
        while remaining > 0:
            n = min(len(chunk), remaining)
            fh.write(chunk[:n])
            remaining -= n
    free_now = os.statvfs(media).f_bavail * os.statvfs(media).f_frsize
    drafts = ctx.fx.drafts[:10]
    pdfs = [pdf_bytes(label=f"penuh {j}") for j in range(3)]
    files_before = StoredFile.objects.count()
    res = run_load(
        "storage_full", lambda i: application_request(ctx.fx, drafts[i], 900 + i, pdfs),
        port=ctx.port, concurrency=2, max_requests=5, max_seconds=60, ok_statuses=(302,),
        keep_bodies=True,
    )  # fmt: skip
    bodies = [o.body.decode("utf-8", "replace") for o in res.outcomes]
    clear = sum(1 for b in bodies if "Berkas tidak dapat disimpan" in b)
    submitted = (
        Application.objects.filter(pk__in=[d[0] for d in drafts[:5]]).exclude(state="draft").count()
    )
    filler.unlink()
    missing = [
        f.pk for f in StoredFile.objects.only("storage_key")
        if not (media / f.storage_key).exists()
    ]  # fmt: skip
    files_after = StoredFile.objects.count()
    # after freeing space the same kind of submission works again
    again = run_load(
        "storage_freed", lambda i: application_request(ctx.fx, drafts[5 + i], 950 + i, pdfs),
        port=ctx.port, concurrency=1, max_requests=1, max_seconds=30, ok_statuses=(302,),
    )  # fmt: skip
    ok = (
        res.summary.ok == 0 and clear == len(bodies) and submitted == 0 and not missing
        and again.summary.ok == 1
    )  # fmt: skip
    return {
        "invariant": "a clear error and no record pointing at a missing file",
        "method": f"tmpfs mounted on the media directory, filled to {free_now // 1024} KiB free",
        "statuses": res.summary.statuses, "clear_message_responses": clear,
        "applications_submitted": submitted, "stored_file_rows_added": files_after - files_before,
        "stored_files_missing_on_disk": len(missing),
        "submission_after_space_freed": again.summary.statuses,
        "verdict": "PASS" if ok else "FAIL",
    }  # fmt: skip
