"""The `loket` command as an operator meets it: demo start/stop and production refusals."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOKET_", "DATABASE_URL"))}
    env.update(extra)
    return env


def test_help_lists_commands():
    out = subprocess.run(
        [sys.executable, "-m", "loket", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("demo", "serve", "worker", "import-regions", "audit verify", "apikey"):
        assert command in out


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "LOKET_SECRET_KEY"),
        ({"LOKET_SECRET_KEY": "x" * 60}, "LOKET_DATA_KEY"),
        ({"LOKET_SECRET_KEY": "x" * 60, "LOKET_DATA_KEY": "y" * 40}, "LOKET_ALLOWED_HOSTS"),
        (
            {
                "LOKET_SECRET_KEY": "x" * 60,
                "LOKET_DATA_KEY": "y" * 40,
                "LOKET_ALLOWED_HOSTS": "loket.example.go.id",
            },
            "DATABASE_URL",
        ),
    ],
)
def test_production_refuses_insecure_settings(tmp_path: Path, env, message):
    result = subprocess.run(
        [sys.executable, "-m", "loket", "check"],
        env=_clean_env(LOKET_PRODUCTION="1", LOKET_DATA_DIR=str(tmp_path), **env),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_embedded_keys_are_generated_once(tmp_path: Path):
    env = _clean_env(LOKET_DATA_DIR=str(tmp_path))
    cmd = [
        sys.executable,
        "-c",
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']="
        "'loket.settings';from django.conf import settings;print(settings.SECRET_KEY)",
    ]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    second = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    assert first == second and len(first.strip()) >= 50
    assert (tmp_path / "data_key").stat().st_mode & 0o077 == 0


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the embedded demo always runs on SQLite; covered by the SQLite run",
)
def test_demo_starts_serves_and_stops(tmp_path: Path):
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "loket",
            "demo",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path / "data"),
        ],
        env=_clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 120
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if f"http://127.0.0.1:{port}/" in line:
                break
        output = "".join(lines)
        assert f"http://127.0.0.1:{port}/" in output, output
        assert "koordinator.bdl@demo.loket.id" in output
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("demo web server did not answer")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert r.status == 200
        probe = f"http://127.0.0.1:{port}/healthz?api_key=secret-in-the-url"
        with urllib.request.urlopen(probe, timeout=5) as r:
            assert r.status == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            rest, _ = proc.communicate(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    assert proc.returncode == 0
    assert "Loket stopped." in rest
    # The web server's access log names the path, never the query string (keys travel there).
    output = "".join(lines) + rest
    assert '"GET /healthz HTTP/1.1" 200' in output
    assert "secret-in-the-url" not in output
    # no web server or worker left behind in the process group
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)
