"""How the app finds and runs a route: the route class every service's router builds its routes
with (responses without nulls, strict JSON, FastAPI's analysis deferred, a plain endpoint run
in one worker-thread hop), and each router as one group in the app behind one regex."""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterable
from typing import Any, cast

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute, Match, NoMatchFound, compile_path, get_name, get_route_path
from starlette.types import Receive, Scope, Send

from idplane.platform import jsonbody
from idplane.platform.db import WorkerNeeded, end_unit_if_unwritten, loop_unit
from idplane.platform.errors import Envelope
from idplane.platform.web import DeferredCaller


class _OmitNullsRoute(APIRoute):
    """Responses leave out fields that have no value, as the real services do.

    FastAPI's analysis of a route's parameters and models (~0.6 ms a route, 0.25 s for the
    whole API) waits until the route first serves or is read (the OpenAPI document), so a
    server starts without it; matching needs only the path and the methods, set at once."""

    envelope: Envelope | None = None  # the error dialect of the router that made the route

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any):
        kwargs["response_model_exclude_none"] = True
        self.defers_authentication = False  # until the endpoint runs on the worker thread
        self._deferred: tuple[str, Callable[..., Any], dict[str, Any]] | None = (
            path,
            endpoint,
            kwargs,
        )
        self.path, self.endpoint = path, endpoint
        self.name = kwargs.get("name") or get_name(endpoint)
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)
        self.methods = {method.upper() for method in kwargs.get("methods") or ["GET"]}
        self.include_in_schema = kwargs.get("include_in_schema", True)

    def _complete(self) -> None:
        deferred = self.__dict__.get("_deferred")
        if deferred is not None:
            path, endpoint, kwargs = deferred
            # Wrapped here, not at start: its signature's annotations are evaluated (a third
            # of building the app).
            on_worker_thread = _on_worker_thread(endpoint)
            self.defers_authentication = on_worker_thread is not endpoint
            super().__init__(path, on_worker_thread, **kwargs)
            self._deferred = None

    def __getattr__(self, name: str) -> Any:
        # Only for attributes not set yet: the ones FastAPI's analysis sets.
        if name.startswith("__") or self.__dict__.get("_deferred") is None:
            raise AttributeError(name)
        self._complete()
        return getattr(self, name)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._complete()
        await super().handle(scope, receive, send)

    def get_route_handler(self) -> Callable[[Request], Any]:
        handler = super().get_route_handler()

        async def strict_json(request: Request) -> Response:
            try:
                return await handler(_StrictJsonRequest(request.scope, request.receive))
            except Exception:
                # Failed before its endpoint ran (a malformed body, a bad parameter): a caller
                # who cannot authenticate gets the 401 first, as it did when the credentials
                # were looked up before anything else was checked.
                deferred = getattr(request.state, "deferred_caller", None)
                if deferred is not None and not deferred.attempted:
                    await run_in_threadpool(deferred.resolve)
                raise

        return strict_json


def _on_worker_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """A plain endpoint as a coroutine that runs it on a worker thread, as FastAPI would, and
    then ends the request's transaction there if it wrote nothing. FastAPI checks the response
    of a plain endpoint on a worker thread of its own and the middleware settles the request on
    another: each hop costs more CPU than the work it carries on a read.

    On SQLite the endpoint runs on the event loop instead (`loop_unit`: a read, or a write that
    took the write lock before it), and a write settles there too: no hop at all. If it turns
    out to need the write lock while another request holds it, or to do slow work (hashing,
    mail), what it did rolls back and it runs again on a worker thread (`WorkerNeeded`)."""
    if inspect.iscoroutinefunction(endpoint):
        return endpoint
    try:  # FastAPI reads the parameters from this signature (string annotations evaluated)
        signature = inspect.signature(endpoint, eval_str=True)
    except NameError:
        return endpoint

    async def on_worker_thread(**values: Any) -> Any:
        unit = loop_unit()
        if unit is not None:
            try:
                return _run_and_end_read(endpoint, values)
            except WorkerNeeded:
                unit.leave_loop()
        return await run_in_threadpool(_run_and_end_read, endpoint, values)

    functools.update_wrapper(on_worker_thread, endpoint)
    on_worker_thread.__signature__ = signature  # type: ignore[attr-defined]
    return on_worker_thread


def _run_and_end_read(endpoint: Callable[..., Any], values: dict[str, Any]) -> Any:
    for name, value in values.items():
        if isinstance(value, DeferredCaller):
            values[name] = value.resolve()
    answer = endpoint(**values)
    end_unit_if_unwritten()
    return answer


class _StrictJsonRequest(Request):
    """Request bodies go through the one strict parser (depth, NUL, lone surrogates)."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = jsonbody.loads(await self.body())
        return self._json


class _Branch(BaseRoute):
    """Routes the app tries as one entry: `matches` returns the scope of the route it chose
    (FastAPI puts it in `scope["route"]`), and that route handles the request."""

    def members(self) -> list[Any]:
        raise NotImplementedError

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await scope["route"].handle(scope, receive, send)  # the route `matches` chose

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        for member in self.members():
            try:
                return member.url_path_for(name, **path_params)
            except NoMatchFound:
                continue
        raise NoMatchFound(name, path_params)


def _first_full(matches: Iterable[tuple[Match, Scope]]) -> tuple[Match, Scope]:
    """The first full match; else the first partial one (the path fits, the method does not:
    a 405); else no match."""
    partial: Scope | None = None
    for match, child_scope in matches:
        if match == Match.FULL:
            return match, child_scope
        if match == Match.PARTIAL and partial is None:
            partial = child_scope
    return (Match.PARTIAL, partial) if partial is not None else (Match.NONE, {})


class _RouteGroup(_Branch):
    """One router's routes in the app, tried in order only when the path fits one of them.

    A request for a late router would otherwise be tried against each route before it (some
    400; a tenth of a read's server CPU); one regex of the group's paths answers "no match" for
    all of them at once, and a route whose path does not match can only answer "no match"."""

    def __init__(self, routes: list[APIRoute]):
        self.routes = routes
        self.pattern = "|".join(
            f"(?:{_UNNAMED.sub('(?:', route.path_regex.pattern)})" for route in routes
        )
        self.paths = re.compile(self.pattern)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or not self.paths.match(get_route_path(scope)):
            return Match.NONE, {}
        return self.match_routes(scope)

    def match_routes(self, scope: Scope) -> tuple[Match, Scope]:
        """The group's routes tried in order, once its regex has let the path through."""
        return _first_full(route.matches(scope) for route in self.routes)

    def members(self) -> list[Any]:
        return list(self.routes)


class _RouteGroups(_Branch):
    """Consecutive groups of the app, indexed by the first two segments of their paths: a
    request tries only the groups with a route under its own first two segments, and those
    whose routes take a parameter there, in order (not thirty groups' regexes one after the
    other). One regex of every route would do the same, but compiling it takes 0.12 s.

    When the first group the path fits has no route for the method, the later ones still try
    (405 only if none has)."""

    def __init__(self) -> None:
        self.groups: list[_RouteGroup] = []
        self._by_prefix: dict[tuple[str, ...], list[int]] = {}
        self._anywhere: list[int] = []  # groups with a parameter in their first two segments
        self._merged: tuple[dict[tuple[str, ...], list[_RouteGroup]], list[_RouteGroup]] | None
        self._merged = None

    def add(self, group: _RouteGroup) -> None:
        index = len(self.groups)
        self.groups.append(group)
        self._merged = None
        prefixes = {_prefix(route.path_format) for route in group.routes}
        if None in prefixes:
            self._anywhere.append(index)
            return
        for prefix in prefixes:
            self._by_prefix.setdefault(cast(tuple[str, ...], prefix), []).append(index)

    def _candidates(self, path: str) -> list[_RouteGroup]:
        if self._merged is None:  # once, on the first request: (prefix -> its groups) in order
            merged = {
                prefix: [self.groups[i] for i in sorted({*listed, *self._anywhere})]
                for prefix, listed in self._by_prefix.items()
            }
            self._merged = merged, [self.groups[i] for i in self._anywhere]
        by_prefix, anywhere = self._merged
        return by_prefix.get(tuple(path.split("/", 3)[1:3]), anywhere)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        path = get_route_path(scope)
        fitting = (g for g in self._candidates(path) if g.paths.match(path))
        return _first_full(group.match_routes(scope) for group in fitting)

    def members(self) -> list[Any]:
        return list(self.groups)


_UNNAMED = re.compile(r"\(\?P<\w+>")


def _prefix(path_format: str) -> tuple[str, ...] | None:
    """A route path's first two segments (fewer for a shorter path), which any path it serves
    starts with; None when a parameter stands there (it could be anything)."""
    segments = tuple(path_format.split("/", 3)[1:3])
    return None if any("{" in segment for segment in segments) else segments


def api_router(*, envelope: Envelope | None = None, **kwargs: Any) -> APIRouter:
    """The router every service's api.py builds its routes on. `envelope`: the error dialect
    its routes answer in (errors, 401s and validation failures alike). It rides on the route
    class, so it stays with the routes when a parent router or the app includes them."""
    if envelope is None:
        return APIRouter(route_class=_OmitNullsRoute, **kwargs)
    dialect = envelope

    class _EnvelopeRoute(_OmitNullsRoute):
        envelope = dialect

    return APIRouter(route_class=_EnvelopeRoute, **kwargs)


def include_routes(target: FastAPI | APIRouter, router: APIRouter) -> None:
    """Adds a router's routes to the app (or to a parent router) as one `_RouteGroup`.
    FastAPI's `include_router` keeps the router as a branch that builds every route a second
    time on its first request and walks the whole branch on every request; our routers take no
    prefix or dependencies at inclusion, so their routes serve unchanged."""
    routes: list[APIRoute] = []
    for route in router.routes:
        if not isinstance(route, APIRoute):
            raise TypeError(f"{route!r}: only API routes are included as they are")
        routes.append(route)
    if isinstance(target, FastAPI):
        app_routes = target.router.routes
        if not app_routes or not isinstance(app_routes[-1], _RouteGroups):
            app_routes.append(_RouteGroups())
        cast(_RouteGroups, app_routes[-1]).add(_RouteGroup(routes))
    else:
        target.routes.extend(routes)


def app_routes(app: FastAPI) -> list[BaseRoute]:
    """Every route of the app, in matching order (the groups opened)."""
    found: list[BaseRoute] = []
    for route in app.router.routes:
        if isinstance(route, _RouteGroups):
            found.extend(r for group in route.groups for r in group.routes)
        else:
            found.append(route)
    return found


def route_groups(app: FastAPI) -> list[_RouteGroup]:
    """The app's groups (one per included router), in matching order."""
    return [g for r in app.router.routes if isinstance(r, _RouteGroups) for g in r.groups]
