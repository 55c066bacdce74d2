"""What an operator runs idplane with: health and readiness probes, Prometheus metrics, one
structured log line per request, and the API docs served from the package (no CDN)."""

from __future__ import annotations

from fastapi import FastAPI

from idplane.operations.health import health_router
from idplane.operations.metrics import metrics_router, record_metrics
from idplane.operations.openapi import install_truthful_openapi
from idplane.operations.requestlog import ObservedRequests, RequestLog
from idplane.platform.db import Store
from idplane.platform.routing import include_routes
from idplane.platform.web import EnvelopeRoutes


def install_operations(
    app: FastAPI, store: Store, envelopes: EnvelopeRoutes, log_format: str = "text"
) -> None:
    """Probes and metrics are unauthenticated and cheap; the request log and the metrics sit
    outside every other middleware so they see the final status of every request."""
    install_truthful_openapi(app, envelopes)
    include_routes(app, health_router(store))
    include_routes(app, metrics_router(store))
    app.add_middleware(ObservedRequests, observers=(record_metrics, RequestLog(log_format)))
