"""Prometheus metrics: requests and latency per route template, status and service, the
store's connection pool, and issued/failed credentials. With `serve --workers N` the CLI sets
PROMETHEUS_MULTIPROC_DIR, so every worker's samples are summed at scrape time."""

from __future__ import annotations

import os
from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.types import Scope

from idplane.platform.db import Store
from idplane.platform.routing import api_router

REQUESTS = Counter(
    "idplane_requests_total",
    "HTTP requests answered, by route template, method, status and service",
    ["route", "method", "status", "service"],
)
LATENCY = Histogram(
    "idplane_request_duration_seconds",
    "Time to answer an HTTP request, by route template, method and service",
    ["route", "method", "service"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
CREDENTIALS = Counter(
    "idplane_credentials_issued_total",
    "Tokens, temporary credentials and sign-in sessions issued, by the operation that issued them",
    ["operation"],
)
SIGNIN_FAILURES = Counter(
    "idplane_signin_failures_total",
    "Refused attempts to obtain a token, credentials or a session, by operation",
    ["operation"],
)
# Operations that hand out a credential: the route names (SDK method names) say so.
ISSUING_WORDS = ("token", "securitytoken", "credential", "assume", "signin", "sign_in", "login")


def route_labels(scope: Scope) -> tuple[str, str, str]:
    """(route template, operation name, service) of a routed request; unrouted paths share
    one label so a scanner cannot blow up the series count."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    if template is None:
        return "unrouted", "", "none"
    endpoint = getattr(route, "endpoint", None)
    module = getattr(endpoint, "__module__", "") or ""
    parts = module.split(".")
    service = parts[1] if len(parts) > 2 and parts[0] == "idplane" else "none"
    return template, getattr(route, "name", "") or "", service


def record_metrics(scope: Scope, status: int, seconds: float) -> None:
    template, operation, service = route_labels(scope)
    method = scope["method"]
    REQUESTS.labels(template, method, str(status), service).inc()
    LATENCY.labels(template, method, service).observe(seconds)
    if method == "POST" and any(word in operation.lower() for word in ISSUING_WORDS):
        if 200 <= status < 300:
            CREDENTIALS.labels(operation).inc()
        elif status in (400, 401, 403):
            SIGNIN_FAILURES.labels(operation).inc()


class StorePoolCollector(Collector):
    """The store's connection pool, read at scrape time (SQLite's pool reports what it can)."""

    def __init__(self, store: Store):
        self.store = store

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pool = self.store.engine.pool
        for name, doc, reader in (
            ("idplane_db_pool_size", "Connections the pool keeps", "size"),
            ("idplane_db_pool_checked_out", "Connections in use", "checkedout"),
            ("idplane_db_pool_overflow", "Connections beyond the pool size", "overflow"),
        ):
            read = getattr(pool, reader, None)
            if callable(read):
                yield GaugeMetricFamily(name, doc, value=float(read()))


def metrics_router(store: Store) -> APIRouter:
    router = api_router(tags=["operations"])
    pool = StorePoolCollector(store)

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    def metrics() -> Response:
        registry = CollectorRegistry()
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            MultiProcessCollector(registry)
            payload = generate_latest(registry)
        else:
            payload = generate_latest(REGISTRY)
        pool_registry = CollectorRegistry()
        pool_registry.register(pool)
        return Response(payload + generate_latest(pool_registry), media_type=CONTENT_TYPE_LATEST)

    return router
