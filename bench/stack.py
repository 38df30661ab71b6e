"""The processes of one bench run: the web server as ``loket serve`` starts it, ``loket worker``
processes, all bound to 127.0.0.1 and stopped on exit whatever happens."""

from __future__ import annotations

import atexit
import contextlib
import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class Stack:
    def __init__(self, *, env: dict[str, str], port: int, web_workers: int, log_dir: Path):
        self.env = env
        self.port = port
        self.web_workers = web_workers
        self.log_dir = log_dir
        self.web: subprocess.Popen[bytes] | None = None
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        atexit.register(self.stop_all)

    def _log(self, name: str) -> int:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        return os.open(self.log_dir / f"{name}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def start_web(self) -> None:
        cmd = [
            sys.executable, "-m", "loket", "serve", "--host", "127.0.0.1",
            "--port", str(self.port), "--workers", str(self.web_workers),
        ]  # fmt: skip
        fd = self._log("web")
        self.web = subprocess.Popen(
            cmd, env=self.env, cwd=ROOT, stdout=fd, stderr=fd, start_new_session=True
        )
        os.close(fd)
        if not wait_http(self.port, "/healthz", timeout=60):
            raise RuntimeError(f"the web server did not answer; see {self.log_dir}/web.log")

    def start_worker(self, worker_id: str) -> subprocess.Popen[bytes]:
        fd = self._log(worker_id)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "loket",
                "worker",
                "--worker-id",
                worker_id,
                "--interval",
                "0.2",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=fd,
            stderr=fd,
            start_new_session=True,
        )
        os.close(fd)
        self.workers[worker_id] = proc
        return proc

    def kill_worker(self, worker_id: str) -> None:
        """SIGKILL: the worker gets no chance to finish or clean up."""
        proc = self.workers.pop(worker_id)
        proc.kill()
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        procs = [*self.workers.values()] + ([self.web] if self.web is not None else [])
        for proc in procs:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=25)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        self.workers.clear()
        self.web = None


def wait_http(port: int, path: str, *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            status = conn.getresponse().status
            conn.close()
            if status < 500:
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False
