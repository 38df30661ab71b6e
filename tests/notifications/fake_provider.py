"""A local SMS/WhatsApp gateway that speaks Loket's HTTP provider protocol.

``POST /`` with ``Authorization: Bearer <token>`` and ``{"to", "text", "channel"}`` answers
``{"id": "..."}``. It records what it accepted, can be told to fail the next N requests with a
500, or to be down (nothing listens on the port), and comes back on the same port.
"""

from __future__ import annotations

import json
import threading
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
    token: str = "test-token"
    messages: list[Received] = field(default_factory=list)
    requests: int = 0
    fail_next: int = 0
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/send"

    def start(self) -> FakeGateway:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                with gateway._lock:
                    gateway.requests += 1
                    if self.headers.get("Authorization") != f"Bearer {gateway.token}":
                        return self._answer(401, {"error": "unauthorized"})
                    if gateway.fail_next > 0:
                        gateway.fail_next -= 1
                        return self._answer(500, {"error": "try later"})
                    try:
                        data = json.loads(raw)
                        message = Received(
                            to=data["to"],
                            text=data["text"],
                            channel=data["channel"],
                            idempotency_key=self.headers.get("Idempotency-Key", ""),
                        )
                    except (ValueError, KeyError):
                        return self._answer(400, {"error": "bad request"})
                    gateway.messages.append(message)
                    return self._answer(200, {"id": f"fake-{len(gateway.messages)}"})

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
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
