"""The ``loket`` command.

loket demo [--port N] [--data-dir DIR]   embedded demo: migrate, demo data, web + worker
loket serve [--port N] [--workers N]     production web server (Granian, WSGI)
loket worker                             background-task worker with the periodic scheduler
loket import-regions FILE.csv            load the Kemendagri region list
loket audit verify                       check the audit chain end to end
loket apikey create NAME [--scope S]     print a new integrator key once
loket createofficer …                    create an officer account with a role
loket <any Django management command>    e.g. loket migrate, loket check --deploy
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

ALIASES = {
    "import-regions": "import_regions",
    "audit": "audit",
    "apikey": "apikey",
    "createofficer": "createofficer",
    "worker": "loket_worker",
    "load-demo": "load_demo",
    "demo-code": "demo_code",
}


def _setup_env(data_dir: str | None) -> None:
    if data_dir:
        os.environ["LOKET_DATA_DIR"] = os.path.abspath(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")


def _django(argv: Sequence[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["loket", *argv])


def _pop_option(args: list[str], name: str, default: str | None = None) -> str | None:
    for i, arg in enumerate(args):
        if arg == name and i + 1 < len(args):
            value = args[i + 1]
            del args[i : i + 2]
            return value
        if arg.startswith(name + "="):
            del args[i]
            return arg.split("=", 1)[1]
    return default


# The access log: the path alone, never the query string (it may carry an api_key). No request
# id: the server sees only what the client sent, unchecked; Loket's own log lines carry the id
# it answered with.
ACCESS_LOG_FORMAT = (
    '%(addr)s [%(time)s] "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1fms'
)


def _web_cmd(port: str, workers: str, host: str) -> list[str]:
    """Granian serving Loket's WSGI application: ``workers`` processes, each running the
    application in ``LOKET_WEB_THREADS`` threads (docs/decisions.md, "Granian serves the web
    processes")."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        port,
        "--workers",
        workers,
        "--blocking-threads",
        os.environ.get("LOKET_WEB_THREADS", "4"),
        "--no-ws",
        # A worker that dies is started again; one that stops is given 20 s to finish.
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        "20",
        # Idle threads are kept longer than their database connections (LOKET_DB_CONN_MAX_AGE).
        "--blocking-threads-idle-timeout",
        "300",
        "--log-level",
        "warning",
        "--access-log",
        "--access-log-fmt",
        ACCESS_LOG_FORMAT,
        "loket.wsgi:application",
    ]


def demo(args: list[str]) -> int:
    port = _pop_option(args, "--port", "8000") or "8000"
    host = _pop_option(args, "--host", "127.0.0.1") or "127.0.0.1"
    _setup_env(_pop_option(args, "--data-dir"))
    os.environ.setdefault("LOKET_SITE_URL", f"http://{host}:{port}")
    import django

    django.setup()
    from django.conf import settings

    started = time.monotonic()
    print(f"Loket demo — data directory: {settings.DATA_DIR}", flush=True)
    _django(["migrate", "--no-input", "-v", "0"])
    _django(["createcachetable"])
    _django(["load_demo"])
    env = dict(os.environ)
    web = subprocess.Popen(_web_cmd(port, "2", host), env=env)
    worker = subprocess.Popen([sys.executable, "-m", "loket", "worker"], env=env)
    from loket.core.management.commands.load_demo import demo_accounts_text

    print(demo_accounts_text(), flush=True)
    print(
        f"\nLoket is running at http://{host}:{port}/ "
        f"(ready in {time.monotonic() - started:.1f} s). Press Ctrl-C to stop.",
        flush=True,
    )
    children = [web, worker]

    def stop(signum: int, frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        stop(signal.SIGTERM, None)
        for child in children:
            try:
                child.wait(timeout=25)
            except subprocess.TimeoutExpired:
                child.kill()
    print("Loket stopped.", flush=True)
    return 0


def serve(args: list[str]) -> int:
    port = _pop_option(args, "--port", os.environ.get("PORT", "8000")) or "8000"
    host = _pop_option(args, "--host", "0.0.0.0") or "0.0.0.0"  # noqa: S104 - a server binds
    workers = _pop_option(args, "--workers", os.environ.get("LOKET_WEB_WORKERS", "2")) or "2"
    _setup_env(_pop_option(args, "--data-dir"))
    os.execv(sys.executable, _web_cmd(port, workers, host) + args)  # noqa: S606


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = args[0], args[1:]
    if command == "demo":
        return demo(rest)
    if command == "serve":
        return serve(rest)
    _setup_env(_pop_option(rest, "--data-dir"))
    _django([ALIASES.get(command, command), *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
