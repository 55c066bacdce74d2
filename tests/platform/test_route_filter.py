"""Each service router's routes sit in the app as one group that answers "no match" from one
regex of their paths (routing.include_routes), so a request is not tried against every route of
every router before its own. The regex must never refuse a path one of its routes serves."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from idplane.app import create_app
from idplane.platform.routing import _RouteGroup, _RouteGroups, route_groups

_PARAM = re.compile(r"{(\w+)(:path)?}")


def _groups(app) -> list[_RouteGroup]:
    return route_groups(app)


def _concrete(path_format: str) -> str:
    return _PARAM.sub(lambda m: "a/b" if m.group(2) else "x-1", path_format)


def test_every_route_path_passes_its_groups_filter(server) -> None:
    app = create_app(server.core.settings, server.core)
    groups = _groups(app)
    assert len(groups) > 30  # the service routers are grouped, not merely allowed to be
    (index,) = [r for r in app.router.routes if isinstance(r, _RouteGroups)]
    for group in groups:
        for route in group.routes:
            path = _concrete(route.path_format)
            assert group.paths.match(path), f"{path} refused by the filter of its own group"
            assert group in index._candidates(path), f"{path} not indexed under its group"


def test_a_groups_filter_refuses_paths_none_of_its_routes_serve(server) -> None:
    app = create_app(server.core.settings, server.core)
    users = next(
        group.paths
        for group in _groups(app)
        if any(
            r.path == "/v1/identity-stores/{identity_store_id}/users/{user_id}"
            for r in group.routes
        )
    )
    assert users.match("/v1/identity-stores/d-1/users/u-1")
    assert not users.match("/v1/identity-stores/d-1/users/u-1/extra")
    assert not users.match("/v3/users")


def test_a_known_path_with_another_method_is_a_405_and_an_unknown_path_a_404(server) -> None:
    app = create_app(server.core.settings, server.core)
    with TestClient(app) as client:
        assert client.request("PATCH", "/v3/auth/domains").status_code == 405
        assert client.get("/v3/no-such-thing").status_code == 404


def test_a_path_two_groups_fit_is_served_by_the_one_with_its_method() -> None:
    from fastapi import FastAPI

    from idplane.platform.routing import api_router, include_routes

    app = FastAPI()
    reads, writes, others = api_router(), api_router(), api_router()

    @reads.get("/things/{thing_id}")
    def read(thing_id: str) -> dict:
        return {"read": thing_id}

    @writes.post("/things/{thing_id}")
    def write(thing_id: str) -> dict:
        return {"wrote": thing_id}

    @others.get("/other")
    def other() -> dict:
        return {"other": True}

    for router in (reads, writes, others):
        include_routes(app, router)
    assert len(route_groups(app)) == 3
    with TestClient(app) as client:
        assert client.get("/things/a").json() == {"read": "a"}
        assert client.post("/things/b").json() == {"wrote": "b"}  # past the first group's 405
        assert client.delete("/things/c").status_code == 405
        assert client.get("/other").json() == {"other": True}
        assert client.get("/nothing").status_code == 404
