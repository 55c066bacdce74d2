"""A service router answers "no match" from one regex of its routes' paths (web.api_router), so
a request is not tried against every route of every router before its own. The regex must
never refuse a path one of the router's routes serves."""

from __future__ import annotations

import re
from collections.abc import Iterator

from idplane.app import create_app
from idplane.platform.web import _PathFilteredRouter

_PARAM = re.compile(r"{(\w+)(:path)?}")


def _filtered_routers(routes) -> Iterator[_PathFilteredRouter]:
    for route in routes:
        router = getattr(route, "original_router", None)  # an included router
        if isinstance(router, _PathFilteredRouter):
            yield router
        if router is not None:
            yield from _filtered_routers(router.routes)


def _concrete(path_format: str) -> str:
    return _PARAM.sub(lambda m: "a/b" if m.group(2) else "x-1", path_format)


def test_every_route_path_passes_its_routers_filter(server) -> None:
    app = create_app(server.core.settings, server.core)
    routers = list(_filtered_routers(app.router.routes))
    filters = [(router, router._path_filter()) for router in routers]
    active = [(router, paths) for router, paths in filters if paths is not None]
    assert len(active) > 30  # the service routers are filtered, not merely allowed to be
    for router, paths in active:
        for route in router.routes:
            path = _concrete(route.path_format)  # type: ignore[attr-defined]
            assert paths.match(path), f"{path} refused by the filter of its own router"


def test_a_routers_filter_refuses_paths_none_of_its_routes_serve(server) -> None:
    app = create_app(server.core.settings, server.core)
    users = next(
        paths
        for router in _filtered_routers(app.router.routes)
        if (paths := router._path_filter()) is not None
        and any(
            r.path == "/v1/identity-stores/{identity_store_id}/users/{user_id}"  # type: ignore[attr-defined]
            for r in router.routes
        )
    )
    assert users.match("/v1/identity-stores/d-1/users/u-1")
    assert not users.match("/v1/identity-stores/d-1/users/u-1/extra")
    assert not users.match("/v3/users")
