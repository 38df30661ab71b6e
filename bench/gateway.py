"""A local SMS gateway speaking Loket's HTTP provider protocol (``POST`` JSON ``{"to", "text",
"channel"}`` with ``Authorization: Bearer`` and ``Idempotency-Key``; answers ``{"id"}``), as
``tests/notifications/fake_provider.py`` does, plus what the fault runs need: a delay before
answering (to widen the window for killing a worker mid-send), going down and coming back on
the same port, and a count of accepted requests per idempotency key."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "bench-token"  # noqa: S105 - a local fake


class Gateway:
    def __init__(self, port: int = 0, *, delay: float = 0.0) -> None:
        self.port = port
        self.delay = delay
        self.per_key: Counter[str] = Counter()
        self.requests = 0
        self.in_flight = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/send"

    def start(self) -> Gateway:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with gateway._lock:
                    gateway.requests += 1
                    gateway.in_flight += 1
                try:
                    if gateway.delay:
                        time.sleep(gateway.delay)
                    ok = self.headers.get("Authorization") == f"Bearer {TOKEN}"
                    try:
                        json.loads(raw)
                    except ValueError:
                        ok = False
                    key = self.headers.get("Idempotency-Key", "")
                    if ok:
                        with gateway._lock:
                            gateway.per_key[key] += 1
                            n = sum(gateway.per_key.values())
                    body = json.dumps({"id": f"bench-{n}"} if ok else {"error": "bad"}).encode()
                    self.send_response(200 if ok else 400)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    with gateway._lock:
                        gateway.in_flight -= 1

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        server.allow_reuse_address = True
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening: connections are refused until :meth:`start` again (same port)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def delivered_keys(self) -> int:
        with self._lock:
            return len(self.per_key)

    def duplicates(self) -> dict[str, int]:
        with self._lock:
            return {k: n for k, n in self.per_key.items() if n > 1}
