"""Every HTTP request's context: its id, its body limit, its unit of work (one transaction,
committed with its audit record before the response starts) and where that runs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.db import Store, Unit
from idplane.platform.errors import ApiError, InternalError, Invalid, PayloadTooLarge
from idplane.platform.web import envelope_of, error_response

log = logging.getLogger("idplane")
MAX_BODY = 1024 * 1024
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class AuditEvent:
    request_id: str
    method: str
    path: str
    status: int
    action: str | None
    caller: Caller | None


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-Id), caps bodies at 1 MiB and runs it in
    one unit of work (`Store.unit`): its authentication, its operation and, for a mutating call,
    its audit record commit together before the response starts. An error the API answers
    (4xx) keeps the blocks that completed; an unexpected one (5xx) rolls everything back."""

    def __init__(
        self,
        app: ASGIApp,
        audit: Callable[[AuditEvent], None] | None = None,
        store: Store | None = None,
    ):
        self.app = app
        self.audit = audit
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        request_id = state.setdefault("request_id", ids.request_id())
        status_holder = {"status": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = 1
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"
                ]
                # Named once routing is done, so the matched route's envelope spells it.
                headers.append((_request_id_header(scope), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        declared = _content_length(scope)
        if declared is None:  # chunked: read it all first, so the limit is checked up front
            body, receive = await _buffered(receive)
            declared = len(body)
        if declared > MAX_BODY:
            await self._refuse(
                scope, send_with_id, PayloadTooLarge("The request body exceeds 1 MiB")
            )
        elif _has_nul(scope):
            refused = Invalid("The path and query must not contain NUL characters")
            refused.scim_type = "invalidValue"
            await self._refuse(scope, send_with_id, refused)
        elif self.store is None:
            await self._serve(scope, receive, send_with_id, status_holder)
            await run_in_threadpool(self._record, scope, status_holder["status"])
        else:
            with self.store.unit(write=scope["method"] in MUTATING) as unit:
                if unit.write:  # the body first: a slow client must not hold the write lock
                    _, receive = await _buffered(receive)
                    await unit.reserve()
                await self._serve_in(unit, scope, receive, send_with_id, status_holder)

    async def _serve_in(
        self, unit: Unit, scope: Scope, receive: Receive, send: Send, sent: dict
    ) -> None:
        """Serves the request in `unit` and settles it (audit, commit or roll back) before the
        response starts; if it cannot commit, the client gets a 500 instead of the response.
        A unit that wrote nothing may have ended already, on its endpoint's worker thread."""
        replaced = False

        async def send_settled(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return
            starts = message["type"] == "http.response.start"
            settle = starts and (not unit.closed or self._audited(scope))
            if not settle:
                settled = True
            elif _settles_on_loop(unit, message["status"]):
                settled = self._settle(unit, scope, message["status"])
            else:
                unit.on_loop = False  # on a worker thread the audit record may wait for the lock
                settled = await run_in_threadpool(self._settle, unit, scope, message["status"])
            if not settled:
                replaced = True
                failure = InternalError("The server failed to process the request")
                await self._refuse(scope, send, failure)
                return
            await send(message)

        await self._serve(scope, receive, send_settled, sent)
        if not unit.closed:  # no response went out (the client went away): keep nothing
            await run_in_threadpool(unit.rollback)

    def _settle(self, unit: Unit, scope: Scope, status: int) -> bool:
        try:
            if status >= 500 and not unit.closed:
                unit.rollback()  # the audit record below then gets a transaction of its own
            self._record(scope, status)
            if not unit.closed:
                unit.commit()
            return True
        except Exception:
            log.exception("could not commit %s %s", scope["method"], scope["path"])
            if not unit.closed:
                unit.rollback()
            return False

    def _audited(self, scope: Scope) -> bool:
        # Calls made in an agency session are audited even when they only read.
        state = scope["state"]
        in_session = getattr(state.get("caller"), "session", None) is not None
        audited = in_session or state.get("audited", False)
        return self.audit is not None and (scope["method"] in MUTATING or audited)

    def _record(self, scope: Scope, status: int) -> None:
        if self.audit is None or not self._audited(scope):
            return
        state = scope["state"]
        action = state.get("action") or _route_name(scope)
        caller = state.get("caller")
        event = AuditEvent(
            state["request_id"], scope["method"], scope["path"], status, action, caller
        )
        self.audit(event)

    async def _serve(self, scope: Scope, receive: Receive, send: Send, sent: dict) -> None:
        """Runs the app. An unexpected error is logged and answered here, once: let through, the
        server would log it a second time and drop the keep-alive connection."""
        try:
            await self.app(scope, receive, send)
        except Exception:
            log.exception("unexpected error on %s %s", scope["method"], scope["path"])
            if sent.get("started"):
                raise  # the response is under way: the connection cannot be saved
            await self._refuse(
                scope, send, InternalError("The server failed to process the request")
            )

    async def _refuse(self, scope: Scope, send: Send, error: ApiError) -> None:
        response = error_response(Request(scope), error)
        await response(scope, _empty_receive, send)


def _settles_on_loop(unit: Unit, status: int) -> bool:
    """A unit whose endpoint ran on the event loop (`db.loop_unit`) and still holds the write
    lock writes its audit record and commits there too: nothing in it can wait. After a 5xx
    its work rolls back and the record needs the lock anew: a worker thread waits for that."""
    return unit.on_loop and unit.locked and not unit.closed and status < 500


def _has_nul(scope: Scope) -> bool:
    """NUL in a path id or query value: PostgreSQL text cannot hold it, SQLite would."""
    raw = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    query = scope.get("query_string", b"")
    return b"%00" in raw or b"\x00" in raw or b"%00" in query or b"\x00" in query


def _request_id_header(scope: Scope) -> bytes:
    """The path's dialect may spell the header its own way (LakeFormation: `X-request-id`);
    names are case-insensitive, but clients that compare bytes see what the docs show."""
    envelope = envelope_of(scope)
    return getattr(envelope, "request_id_header", "x-request-id").encode("latin-1")


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """Reads a body of unknown length (stopping past the limit) and replays it to the app."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more and size <= MAX_BODY:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        more = message.get("more_body", False)
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


async def _empty_receive() -> Message:
    return {"type": "http.disconnect"}


def _route_name(scope: Scope) -> str | None:
    route = scope.get("route")
    return getattr(route, "name", None)
