"""The HTTP adapter every service's api.py uses: error envelopes and caller resolution (the
request's unit of work, body limit, request id and audit hook: `request_context.py`).
Services' domain code never imports this."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from idplane.platform import ids
from idplane.platform.auth.authenticate import Authenticator
from idplane.platform.auth.caller import Caller, CredentialKind
from idplane.platform.auth.signing import SignedRequest
from idplane.platform.errors import (
    ApiError,
    Envelope,
    IamEnvelope,
    InternalError,
    Invalid,
    MethodNotAllowed,
    NotFound,
)

log = logging.getLogger("idplane")
SIGNED = (CredentialKind.ACCESS_KEY, CredentialKind.TEMPORARY)
SIGNED_OR_TOKEN = (*SIGNED, CredentialKind.TOKEN)


class EnvelopeRoutes:
    """Which error dialect answers for which paths: first matching pattern wins."""

    def __init__(self, default: Envelope | None = None):
        self._routes: list[tuple[re.Pattern[str], Envelope]] = []
        self.default = default or IamEnvelope()

    def add(self, pattern: str, envelope: Envelope) -> None:
        self._routes.append((re.compile(pattern), envelope))

    def for_path(self, path: str) -> Envelope:
        for pattern, envelope in self._routes:
            if pattern.match(path):
                return envelope
        return self.default


def request_id_of(request: Request) -> str:
    return request.scope.setdefault("state", {}).setdefault("request_id", ids.request_id())


def envelope_of(scope: Scope) -> Envelope | None:
    """The error dialect of the request: the matched route's (its router's `envelope`), else
    the app's path table, the fallback for paths no route serves."""
    routed = getattr(scope.get("route"), "envelope", None)
    if routed is not None:
        return routed
    envelopes = getattr(getattr(scope.get("app"), "state", None), "envelopes", None)
    return envelopes.for_path(scope["path"]) if envelopes is not None else None


def error_response(request: Request, error: ApiError) -> Response:
    request_id = request_id_of(request)
    envelope = envelope_of(request.scope) or IamEnvelope()
    rendered = envelope.render(error, request_id)
    headers = {"X-Request-Id": request_id, **error.headers}
    return JSONResponse(
        rendered.body, status_code=rendered.status, headers=headers, media_type=rendered.media_type
    )


def install_error_handlers(app: FastAPI) -> None:
    async def on_api_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, ApiError)
        return error_response(request, error)

    async def on_validation(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        return error_response(request, Invalid(_describe_validation(error)))

    async def on_http(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        if error.status_code == 404:
            return error_response(request, NotFound(f"No API matches {request.url.path}"))
        if error.status_code == 405:
            return error_response(
                request,
                MethodNotAllowed(f"Method {request.method} is not allowed for {request.url.path}"),
            )
        return error_response(request, ApiError(str(error.detail), status=error.status_code))

    async def on_unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, InternalError("The server failed to process the request"))

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)


def _describe_validation(error: RequestValidationError) -> str:
    problems = []
    for item in error.errors()[:5]:
        location = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
        if item.get("type") == "json_invalid":
            reason = item.get("ctx", {}).get("error")
            problems.append(
                "the request body is not valid JSON" + (f": {reason}" if reason else "")
            )
        else:
            problems.append(f"{location or 'body'}: {item.get('msg', 'invalid')}")
    return "; ".join(problems) or "invalid request"


def signed_request(request: Request, body: bytes) -> SignedRequest:
    headers: dict[str, str] = {}
    for raw_name, raw_value in request.scope["headers"]:
        # ASGI hands header bytes over as-is; the client signed their UTF-8 text.
        headers[raw_name.decode("latin-1").lower()] = raw_value.decode("utf-8", "replace")
    raw_path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
    query = request.scope.get("query_string", b"").decode("latin-1")
    return SignedRequest(request.method, raw_path.split("?", 1)[0], query, headers, body)


def authenticated(accept: Collection[CredentialKind] = SIGNED) -> Callable[..., Any]:
    """FastAPI dependency: the request's Caller, or 401 in the path's envelope. On a route whose
    plain endpoint runs through `routing._on_worker_thread`, the credentials are looked up on that
    worker thread, just before the endpoint, rather than on a thread hop of their own."""

    async def dependency(request: Request) -> Caller:
        body = await request.body()
        authenticator: Authenticator = request.app.state.authenticator
        deferred = DeferredCaller(request, authenticator, signed_request(request, body), accept)
        if getattr(request.scope.get("route"), "defers_authentication", False):
            request.state.deferred_caller = deferred
            return deferred  # type: ignore[return-value]  # resolved before the endpoint runs
        return await run_in_threadpool(deferred.resolve)

    dependency.accepts = tuple(accept)  # type: ignore[attr-defined]  # read by the OpenAPI doc
    return dependency


def audited(request: Request) -> None:
    """FastAPI dependency: audit the request even though its method only reads (a GET that
    issues credentials). Set before authentication, so refusals are recorded too."""
    request.state.audited = True


class DeferredCaller:
    """A request's authentication, run once, where `resolve` is first called."""

    def __init__(
        self,
        request: Request,
        authenticator: Authenticator,
        signed: SignedRequest,
        accept: Collection[CredentialKind],
    ):
        self.request, self.authenticator = request, authenticator
        self.signed, self.accept = signed, accept
        self.attempted = False
        self.caller: Caller | None = None

    def resolve(self) -> Caller:
        if self.caller is None:
            self.attempted = True  # a failure is raised once; the 401 is then under way
            self.caller = self.authenticator.authenticate(self.signed, self.accept)
            self.request.state.caller = self.caller
        return self.caller


def empty(status: int = 200) -> Response:
    """A success with no body, as several documented APIs answer."""
    return Response(status_code=status)
