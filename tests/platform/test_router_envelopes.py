"""Every route answers in the error dialect its router carries (`api_router(envelope=...)`);
the app's path table is only the fallback for paths no route serves."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
from fastapi.routing import APIRoute

from idplane.app import create_app
from idplane.platform.errors import IdentityCenterEnvelope, ScimEnvelope
from idplane.platform.routing import app_routes


def _routes(app) -> Iterator[APIRoute]:
    yield from (route for route in app_routes(app) if isinstance(route, APIRoute))


def test_every_service_route_carries_its_routers_envelope(server) -> None:
    """Every route is built on `api_router()`; only the operator's probes and metrics and the
    sign-in pages (HTML, left out of the API document) are not a cloud API and have no
    envelope of their own: they answer in the path table's dialect."""
    app = create_app(server.core.settings, server.core)
    routes = list(_routes(app))
    assert len(routes) > 200
    docs = {"/docs", "/docs/oauth2-redirect", "/redoc"}  # FastAPI's own pages
    assert {route.path for route in routes if not hasattr(route, "envelope")} == docs
    unenveloped = [
        route.path
        for route in routes
        if getattr(route, "envelope", None) is None
        and "operations" not in route.tags
        and route.include_in_schema
    ]
    assert unenveloped == []


def test_an_identity_store_route_answers_in_the_identity_center_envelope(server) -> None:
    app = create_app(server.core.settings, server.core)
    route = next(
        route
        for route in _routes(app)
        if route.path == "/v1/identity-stores/{identity_store_id}/users"
    )
    assert isinstance(route.envelope, IdentityCenterEnvelope)
    response = httpx.get(f"{server.url}/v1/identity-stores/d-0000000000/users")
    assert response.status_code == 401
    assert set(response.json()) == {"error_code", "error_msg", "request_id"}


def test_an_unrouted_scim_path_falls_back_to_the_path_table(server) -> None:
    app = create_app(server.core.settings, server.core)
    assert isinstance(app.state.envelopes.for_path("/t/scim/v2/Nope"), ScimEnvelope)
    response = httpx.get(f"{server.url}/00000000-0000-0000-0000-000000000000/scim/v2/Nope")
    assert response.status_code in (401, 404)
    assert "urn:ietf:params:scim:api:messages:2.0:Error" in response.json()["schemas"]
