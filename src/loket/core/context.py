"""Per-request (or per-task) context: request id and client address for logs and audit."""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str = ""


_EMPTY = RequestContext()
_current: ContextVar[RequestContext | None] = ContextVar("loket_request", default=None)


def bind(*, request_id: str = "", ip: str = "") -> Token[RequestContext | None]:
    return _current.set(RequestContext(request_id=request_id, ip=ip))


def reset(token: Token[RequestContext | None]) -> None:
    _current.reset(token)


def current() -> RequestContext:
    return _current.get() or _EMPTY
