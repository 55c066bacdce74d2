"""One log line per request: time, request id, method, route template, status, latency,
account, caller kind and access key id. Never a secret, token, password or query string."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from idplane.operations.metrics import route_labels

log = logging.getLogger("idplane.requests")
KEY_KINDS = ("access_key", "temporary")


def request_record(scope: Scope, status: int, seconds: float) -> dict[str, object]:
    state = scope.get("state", {})
    caller = state.get("caller")
    kind = getattr(getattr(caller, "kind", None), "value", None)
    template, _operation, service = route_labels(scope)
    return {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "request_id": state.get("request_id"),
        "method": scope["method"],
        "route": template,
        "service": service,
        "status": status,
        "latency_ms": round(seconds * 1000, 2),
        "account_id": getattr(caller, "account_id", None),
        "caller_kind": kind,
        # An access key id is public (it travels in every signed request); a token id is not
        # the token. Neither is a secret, but only the access key helps an operator trace.
        "access_key_id": caller.credential_id if kind in KEY_KINDS else None,
    }


def render(record: dict[str, object], log_format: str) -> str:
    if log_format == "json":
        return json.dumps(record, separators=(",", ":"))
    return (
        f"{record['method']} {record['route']} {record['status']} {record['latency_ms']}ms "
        f"request_id={record['request_id']} account={record['account_id']}"
    )


class RequestLog:
    """Writes the line for a finished request (an observer of `ObservedRequests`)."""

    def __init__(self, log_format: str = "text"):
        self.log_format = log_format

    def __call__(self, scope: Scope, status: int, seconds: float) -> None:
        log.info(render(request_record(scope, status, seconds), self.log_format))


class ObservedRequests:
    """Times every HTTP request and hands its final status to each observer (the metrics and
    the request log), from outside every other middleware."""

    def __init__(self, app: ASGIApp, observers: tuple[Callable[[Scope, int, float], None], ...]):
        self.app = app
        self.observers = observers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def observe(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            seconds = time.perf_counter() - started
            for observer in self.observers:
                observer(scope, status["code"], seconds)
