"""A local SMS/WhatsApp gateway that speaks Loket's HTTP provider protocol, for the tests and
the load and fault runs.

``POST`` JSON ``{"to", "text", "channel"}`` with ``Authorization: Bearer <token>`` and an
``Idempotency-Key`` header answers ``{"id": "fake-N"}``. It records what it accepted and how
often each key came, can fail the next N requests with 500, wait before answering (``delay``:
a window for killing a worker mid-send), and go down (nothing listens) and come back on the
same port. Loopback only.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    to: str
    text: str
    channel: str
    idempotency_key: str


@dataclass
class FakeGateway:
    token: str = "test-token"  # noqa: S105 - a local fake's
    port: int = 0
    delay: float = 0.0
    fail_next: int = 0
    messages: list[Received] = field(default_factory=list)
    per_key: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    in_flight: int = 0
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/send"

    def _accept(self, headers: Any, raw: bytes) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.requests += 1
            if headers.get("Authorization") != f"Bearer {self.token}":
                return 401, {"error": "unauthorized"}
            if self.fail_next > 0:
                self.fail_next -= 1
                return 500, {"error": "try later"}
            try:
                data = json.loads(raw)
                message = Received(
                    to=data["to"],
                    text=data["text"],
                    channel=data["channel"],
                    idempotency_key=headers.get("Idempotency-Key", ""),
                )
            except (ValueError, KeyError, TypeError):
                return 400, {"error": "bad request"}
            self.messages.append(message)
            self.per_key[message.idempotency_key] += 1
            return 200, {"id": f"fake-{len(self.messages)}"}

    def start(self) -> FakeGateway:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with gateway._lock:
                    gateway.in_flight += 1
                try:
                    if gateway.delay:
                        time.sleep(gateway.delay)
                    status, payload = gateway._accept(self.headers, raw)
                    body = json.dumps(payload).encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender died while we answered (a killed worker): it was accepted
                finally:
                    with gateway._lock:
                        gateway.in_flight -= 1

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True  # back on the same port right after going down

        server = Server(("127.0.0.1", self.port), Handler)
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def go_down(self) -> None:
        """Stop listening: connections are refused until :meth:`come_back`."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def come_back(self) -> None:
        if self._server is None:
            self.start()

    stop = go_down

    def delivered_keys(self) -> int:
        """How many distinct idempotency keys were accepted."""
        with self._lock:
            return len(self.per_key)

    def duplicates(self) -> dict[str, int]:
        """Keys accepted more than once, with their counts."""
        with self._lock:
            return {k: n for k, n in self.per_key.items() if n > 1}
