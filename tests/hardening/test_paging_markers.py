"""A marker past any row the stores can hold is a 400 in the path's envelope, on every paged
route and on both stores (it was an OverflowError on SQLite, `integer out of range` on
PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.hardening.raw import call
from tests.identitycenter.access.support import Org, new_org

MARKERS = ["ffffffffffffffffffffffff", "000000000000000080000000"]
ROUTES = [
    ("/v1/instances", "domain", "IIC.400"),
    ("/v1/instances/{instance}/permission-sets", "domain", "IIC.400"),
    ("/v1/instances/{instance}/permission-sets/provisioning-statuses", "domain", "IIC.400"),
    ("/v1/identity-stores/{store}/users", "project", "IIC.400"),
    ("/v1/identity-stores/{store}/groups", "project", "IIC.400"),
    ("/v1/organizations/roots", "domain", "Organizations.1000"),
    ("/v1/organizations/accounts", "domain", "Organizations.1000"),
    ("/v1/organizations/trusted-services", "domain", "Organizations.1000"),
    ("/v3/OS-FEDERATION/identity_providers", "domain", "IAM.0007"),
]


@pytest.fixture(scope="module")
def org(server) -> Org:
    return new_org(server)


@pytest.mark.parametrize("marker", MARKERS)
@pytest.mark.parametrize(("route", "scope", "code"), ROUTES, ids=[r[0] for r in ROUTES])
def test_a_marker_out_of_range_is_a_400(server, org, route, scope, code, marker) -> None:
    path = route.format(instance=org.instance_id, store=org.identity_store_id)
    response = call(server, org.management, "GET", path, scope=scope, query={"marker": marker})
    assert response.status_code == 400, response.text
    assert response.json()["error_code"] == code
    assert response.headers["X-Request-Id"]


def test_the_largest_marker_a_store_holds_is_an_empty_last_page(server, org) -> None:
    response = call(
        server,
        org.management,
        "GET",
        "/v1/instances/" + org.instance_id + "/permission-sets",
        query={"marker": f"{2**31 - 1:024x}"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["permission_sets"] == []
