"""A private, throwaway PostgreSQL cluster for the load and fault runs.

Created with the installed server binaries (``initdb`` + ``pg_ctl`` run as the ``postgres``
OS user when started as root), listening on 127.0.0.1 only, on its own port and socket
directory, trust authentication. Nothing here touches any other cluster: the fault run
"PostgreSQL restarted" restarts this one.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from urllib.parse import quote

DEFAULT_DIR = "/tmp/loket-benchpg"  # noqa: S108 - a throwaway cluster
DEFAULT_PORT = 5433


def _bin_dir() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        path = shutil.which("pg_ctl")
        if not path:
            raise RuntimeError("PostgreSQL server binaries (pg_ctl, initdb) not found")
        return os.path.dirname(path)
    return os.path.dirname(found[-1])


@dataclass
class PgCluster:
    data_dir: str = DEFAULT_DIR
    port: int = DEFAULT_PORT
    socket_dir: str = "/tmp"  # noqa: S108
    log_file: str = "/tmp/loket-benchpg.log"  # noqa: S108
    started: bool = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/loket_bench"

    @property
    def socket_url(self) -> str:
        """The same database through the cluster's Unix socket: what Loket uses when
        PostgreSQL runs on its own machine (no TCP on the way; docs/operations.md)."""
        return f"postgres://postgres@{quote(self.socket_dir, safe='')}:{self.port}/loket_bench"

    def _run(self, *args: str, check: bool = True, timeout: float = 120) -> str:
        cmd = [os.path.join(_bin_dir(), args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(_quote(c) for c in cmd)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        if check and done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")
        return done.stdout

    def create(self) -> None:
        """initdb into a fresh directory (an old one from an interrupted run is removed)."""
        self.destroy()
        os.makedirs(self.data_dir, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.data_dir, "postgres", "postgres")
            open(self.log_file, "a").close()
            shutil.chown(self.log_file, "postgres", "postgres")
        self._run("initdb", "-D", self.data_dir, "-A", "trust", "-U", "postgres", "-E", "UTF8")
        with open(os.path.join(self.data_dir, "postgresql.conf"), "a") as conf:
            conf.write(
                "\n# loket bench\nlisten_addresses = '127.0.0.1'\n"
                f"port = {self.port}\nunix_socket_directories = '{self.socket_dir}'\n"
                "max_connections = 200\nshared_buffers = 512MB\nwork_mem = 16MB\n"
                "maintenance_work_mem = 256MB\nmax_wal_size = 4GB\n"
                "checkpoint_timeout = 15min\n"
            )

    def start(self) -> None:
        self._run("pg_ctl", "-D", self.data_dir, "-l", self.log_file, "-w", "-t", "60", "start")
        self.started = True

    def stop(self, mode: str = "fast") -> None:
        if os.path.exists(os.path.join(self.data_dir, "postmaster.pid")):
            self._run(
                "pg_ctl", "-D", self.data_dir, "-m", mode, "-w", "-t", "60", "stop", check=False
            )
        self.started = False

    def restart(self, mode: str = "fast") -> None:
        """Stop (fast: open connections are cut) and start again."""
        self._run(
            "pg_ctl", "-D", self.data_dir, "-m", mode, "-l", self.log_file, "-w", "-t", "60",
            "restart",
        )  # fmt: skip
        self.started = True

    def create_database(self, name: str = "loket_bench") -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def destroy(self) -> None:
        """Stop the cluster if it runs and remove its directory."""
        if os.path.isdir(self.data_dir):
            self.stop(mode="immediate")
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def version(self) -> str:
        return self._run("postgres", "--version").strip()


def _quote(value: str) -> str:
    import shlex

    return shlex.quote(value)


def wait_ready(port: int, timeout: float = 60) -> bool:
    """True once the cluster accepts connections (bounded by ``timeout``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = subprocess.run(
            [os.path.join(_bin_dir(), "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
            capture_output=True,
            check=False,
        )
        if done.returncode == 0:
            return True
        time.sleep(0.5)
    return False
