"""An unexpected error is answered once, in the path's envelope with X-Request-Id, logged once
with its traceback, and the keep-alive connection stays open for the client's next request.

The failing route is planted in an app wired like `create_app` (same middleware and error
handlers) served by a real uvicorn, since the real routes have no failure left to provoke."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI

from idplane.app import envelope_routes
from idplane.platform.request_context import RequestContextMiddleware
from idplane.platform.routing import api_router
from idplane.platform.web import install_error_handlers


def _app() -> FastAPI:
    app = FastAPI()
    app.state.envelopes = envelope_routes()
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware)
    router = api_router()

    @router.get("/v1/instances/broken")
    def broken() -> dict:
        raise RuntimeError("planted failure")

    @router.get("/v1/instances/fine")
    def fine() -> dict:
        return {"ok": True}

    app.include_router(router)
    return app


@pytest.fixture(scope="module")
def served() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(_app(), host="127.0.0.1", port=port, log_level="info"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def _get(connection: http.client.HTTPConnection, path: str) -> http.client.HTTPResponse:
    connection.request("GET", path)
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    return response


def test_a_500_carries_the_envelope_and_the_request_id(served: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    response = _get(connection, "/v1/instances/broken")
    body = json.loads(response.body)  # type: ignore[attr-defined]
    assert response.status == 500
    assert body["error_code"] == "IIC.500"
    assert body["request_id"] == response.getheader("X-Request-Id")
    assert "planted" not in body["error_msg"]  # no internals leak to the caller
    connection.close()


def test_a_500_keeps_the_connection_open(served: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    first = _get(connection, "/v1/instances/broken")
    local = connection.sock.getsockname()
    assert first.status == 500
    assert (first.getheader("Connection") or "").lower() != "close"
    second = _get(connection, "/v1/instances/fine")
    assert second.status == 200
    assert connection.sock.getsockname() == local  # the same connection served both
    connection.close()


def test_a_500_logs_its_traceback_once(served: int, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    connection = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    _get(connection, "/v1/instances/broken")
    connection.close()
    time.sleep(0.2)  # uvicorn logs after the response has gone out
    tracebacks = [r for r in caplog.records if r.exc_info is not None]
    assert len(tracebacks) == 1, [r.getMessage() for r in tracebacks]
    assert tracebacks[0].name == "idplane"
