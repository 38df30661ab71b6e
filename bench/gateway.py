"""The SMS gateway of the load and fault runs: Loket's local fake of the HTTP provider
(:mod:`loket.notifications.fake_gateway`) with the token the bench's environment sets."""

from __future__ import annotations

from loket.notifications.fake_gateway import FakeGateway

TOKEN = "bench-token"  # noqa: S105 - a local fake's


def Gateway(port: int = 0, *, delay: float = 0.0) -> FakeGateway:
    return FakeGateway(token=TOKEN, port=port, delay=delay)
