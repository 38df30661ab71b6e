"""``python -m bench run [--quick]``: the load and fault runs, end to end.

Starts a private PostgreSQL cluster (port 5433, 127.0.0.1, its own directory), migrates,
installs the demo data, seeds complaints, starts the web server (``loket serve``) and two
``loket worker`` processes, runs the bounded loads and the fault injections, stops
everything, removes the cluster; then does the same on SQLite (loads only) and writes
``bench/results/report.json`` and the generated section of ``docs/performance.md``.

``python -m bench ikm [--rows N]`` runs the IKM computation benchmark (bench/ikm_bench.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "performance.md"
MEDIA_DIR_NAME = "media"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def base_env(*, db_url: str, data_dir: Path, gateway_port: int, cache_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOKET_")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        "DATABASE_URL": db_url,
        "LOKET_DATA_DIR": str(data_dir),
        "LOKET_SECRET_KEY": secrets.token_urlsafe(60),
        "LOKET_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOKET_SITE_URL": "http://127.0.0.1",
        # Throttles raised for the run: the load comes from 8 citizens on one address.
        "LOKET_API_ANON_RATE": "1000000/min", "LOKET_API_USER_RATE": "1000000/min",
        "LOKET_API_INTEGRATOR_RATE": "1000000/min", "LOKET_API_WRITE_RATE": "1000000/min",
        "LOKET_SMS_PROVIDER": "http", "LOKET_SMS_URL": f"http://127.0.0.1:{gateway_port}/send",
        "LOKET_SMS_TOKEN": "bench-token", "LOKET_PROVIDER_TIMEOUT": "20",
        # The worker-killed fault: stale after 15 s, looked for every 5 s.
        "LOKET_TASK_STALE_SECONDS": "15", "LOKET_BENCH_STALE_RECOVERY_SECONDS": "5",
        "LOKET_SCHEDULER_TICK_SECONDS": "2",
    })  # fmt: skip
    if cache_url:
        env["LOKET_CACHE_URL"] = cache_url
    return env


def run_variant(name: str, env: dict[str, str], args: list[str], timeout: float) -> dict[str, Any]:
    out = RESULTS / f"{name}.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "bench", "variant", "--out", str(out), *args]
    log(f"variant {name}: {' '.join(cmd[3:])}")
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        log(f"variant {name} ran past {timeout:.0f} s; stopping it")
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
    if not out.exists():
        return {"error": f"variant {name} wrote no result (exit {proc.returncode})"}
    return dict(json.loads(out.read_text()))


def machine() -> dict[str, Any]:
    import django

    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
            mem = f"{kb / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), ""
            )
    except OSError:
        pass
    from importlib.metadata import version

    return {
        "nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "kernel": platform.release(),
        "python": platform.python_version(), "django": django.__version__,
        "server": f"Granian {version('granian')}",
    }  # fmt: skip


def cmd_run(ns: argparse.Namespace) -> int:
    from bench.pgcluster import PgCluster
    from bench.redisserver import RedisServer
    from bench.report import write_json

    RESULTS.mkdir(parents=True, exist_ok=True)
    for old in RESULTS.glob("logs-*"):
        shutil.rmtree(old, ignore_errors=True)
    started = time.time()
    report: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S %z"), "quick": ns.quick,
        "machine": machine(), "variants": {},
    }  # fmt: skip
    common = ["--concurrency", str(ns.concurrency)] + (["--quick"] if ns.quick else [])
    if not ns.sqlite_only:
        cluster = PgCluster(port=ns.pg_port)
        data_dir = Path("/tmp/loket-bench-pg-data")  # noqa: S108 - throwaway
        media = data_dir / MEDIA_DIR_NAME
        mounted = False
        cache_url = ns.cache_url
        redis = None
        if cache_url == "private":
            if RedisServer.available():
                redis = RedisServer()
            else:  # no redis-server binary: the machine's own Redis over TCP
                log("redis-server not found; using redis://127.0.0.1:6379/9")
                cache_url = "redis://127.0.0.1:6379/9"
        try:
            if redis is not None:
                cache_url = redis.start().url
                report["machine"]["cache"] = "Redis on a Unix socket (private)"
            else:
                report["machine"]["cache"] = cache_url or "database cache"
            shutil.rmtree(data_dir, ignore_errors=True)
            media.mkdir(parents=True)
            mounted = _mount_tmpfs(media, "512m" if ns.quick else "3g")
            cluster.create()
            cluster.start()
            cluster.create_database()
            report["machine"]["postgresql"] = cluster.version()
            # The cluster's Unix socket, as an installation with PostgreSQL on the same machine
            # connects (a filing cost 13.3 ms of the web process's CPU through 127.0.0.1,
            # 10.2 ms through the sockets; docs/performance.md).
            env = base_env(db_url=cluster.socket_url, data_dir=data_dir,
                           gateway_port=ns.gateway_port, cache_url=cache_url)  # fmt: skip
            # Production's shape, 2 processes x 4 threads: with Granian, 16 clients, the same
            # host, it filed as many reports/s as 4 x 2 with a lower p95 (266-359 ms in five
            # runs, 271-382 for 4 x 2; docs/decisions.md).
            env["LOKET_WEB_THREADS"] = "4"
            rows = ns.rows if ns.rows is not None else (50_000 if ns.quick else 1_000_000)
            args = [*common, "--rows", str(rows), "--port", str(ns.port), "--web-workers", "2",
                    "--task-workers", "2", "--gateway-port", str(ns.gateway_port),
                    "--pg-dir", cluster.data_dir, "--pg-port", str(ns.pg_port),
                    "--log-dir", str(RESULTS / "logs-postgresql")]  # fmt: skip
            if not ns.no_faults:
                args.append("--faults")
            if mounted:
                args.append("--media-tmpfs")
            report["variants"]["postgresql"] = run_variant(
                "postgresql", env, args, timeout=ns.timeout
            )
            report["variants"]["postgresql"]["server"] = "2 processes x 4 threads"
        finally:
            cluster.destroy()
            if redis is not None:
                redis.stop()
            if mounted:
                subprocess.run(["umount", str(media)], check=False)
            shutil.rmtree(data_dir, ignore_errors=True)
    if not ns.pg_only:
        data_dir = Path("/tmp/loket-bench-sqlite-data")  # noqa: S108
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        try:
            env = base_env(db_url="", data_dir=data_dir, gateway_port=ns.gateway_port,
                           cache_url="")  # fmt: skip
            env.pop("DATABASE_URL")
            rows = ns.sqlite_rows if ns.sqlite_rows is not None else (
                20_000 if ns.quick else 200_000)  # fmt: skip
            args = [*common, "--rows", str(rows), "--port", str(ns.port), "--web-workers", "2",
                    "--task-workers", "1", "--gateway-port", str(ns.gateway_port),
                    "--log-dir", str(RESULTS / "logs-sqlite")]  # fmt: skip
            report["variants"]["sqlite"] = run_variant("sqlite", env, args, timeout=ns.timeout)
            report["variants"]["sqlite"]["server"] = "2 processes x 4 threads"
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    report["seconds"] = round(time.time() - started)
    write_json(report, RESULTS / "report.json")
    if not ns.no_doc:
        from bench.document import update_document

        update_document(report, DOC)
        log(f"wrote {DOC.relative_to(ROOT)}")
    log(f"wrote {(RESULTS / 'report.json').relative_to(ROOT)} in {report['seconds']} s")
    return 0


def _mount_tmpfs(path: Path, size: str) -> bool:
    """A tmpfs of its own for uploads, so that 'storage full' can be real; False when
    mounting is not permitted (the storage-full fault is then reported as not run)."""
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)],
        capture_output=True, check=False,
    )  # fmt: skip
    return done.returncode == 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["ikm"]:  # the IKM computation benchmark (bench/ikm_bench.py)
        from bench import ikm_bench

        sys.argv = ["python -m bench ikm", *args[1:]]
        return ikm_bench.main()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="load and fault runs; writes the report")
    run.add_argument("--quick", action="store_true", help="small sizes, short loads")
    run.add_argument("--rows", type=int, help="complaints seeded on PostgreSQL")
    run.add_argument("--sqlite-rows", type=int, help="complaints seeded on SQLite")
    run.add_argument("--concurrency", type=int, default=16)
    run.add_argument("--pg-only", action="store_true")
    run.add_argument("--sqlite-only", action="store_true")
    run.add_argument("--no-faults", action="store_true")
    run.add_argument("--no-doc", action="store_true", help="write the JSON only")
    run.add_argument("--port", type=int, default=8765)
    run.add_argument("--pg-port", type=int, default=5433)
    run.add_argument("--gateway-port", type=int, default=8766)
    run.add_argument("--cache-url", default="private",
                     help="cache for the PostgreSQL variant: 'private' (a Redis of the run's own "
                          "on a Unix socket), a redis:// URL, or '' (database cache)")  # fmt: skip
    run.add_argument("--timeout", type=float, default=2400, help="seconds per variant")
    var = sub.add_parser("variant", help=argparse.SUPPRESS)
    var.add_argument("--out", required=True)
    var.add_argument("--quick", action="store_true")
    var.add_argument("--rows", type=int, required=True)
    var.add_argument("--concurrency", type=int, default=16)
    var.add_argument("--port", type=int, default=8765)
    var.add_argument("--web-workers", type=int, default=3)
    var.add_argument("--task-workers", type=int, default=2)
    var.add_argument("--gateway-port", type=int, default=8766)
    var.add_argument("--pg-dir", default="")
    var.add_argument("--pg-port", type=int, default=5433)
    var.add_argument("--log-dir", required=True)
    var.add_argument("--faults", action="store_true")
    var.add_argument("--media-tmpfs", action="store_true")
    ns = parser.parse_args(args)
    for bound in ("rows", "sqlite_rows"):
        value = getattr(ns, bound, None)
        if value is not None and not 0 <= value <= 5_000_000:
            parser.error("row counts must be 0 to 5,000,000")
    if ns.command == "run":
        return cmd_run(ns)
    from bench import variant

    return variant.main(ns)


if __name__ == "__main__":
    sys.exit(main())
