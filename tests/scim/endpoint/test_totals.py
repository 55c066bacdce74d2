"""An unfiltered list answers `totalResults` from the store's counts row (no count of the
store per page), so the counts must be exact: they follow every creation and deletion, and the
first resource a store gets over SCIM is counted once (it was counted twice: the first count of
the store included the new row, and the reservation added it again)."""

from __future__ import annotations

from huaweicloudsdkidentitycenterstore.v1 import model as ids
from sqlalchemy import select

from idplane.identitystore.directory.tables import DirectoryCounts
from tests.identitystore import builders
from tests.identitystore.provisioning.support import store_client
from tests.scim.endpoint.support import create_group, create_user, new_scim


def _counts(server, identity_store_id: str) -> tuple[int, int] | None:
    with server.core.store.read() as session:
        row = session.execute(
            select(DirectoryCounts.users, DirectoryCounts.groups).where(
                DirectoryCounts.identity_store_id == identity_store_id
            )
        ).first()
    return None if row is None else (row.users, row.groups)


def _totals(http) -> tuple[int, int]:
    users = http.get("/Users", params={"count": 0}).json()["totalResults"]
    groups = http.get("/Groups", params={"count": 0}).json()["totalResults"]
    return users, groups


def test_the_first_user_and_group_made_over_scim_are_counted_once(server):
    scim = new_scim(server)
    with scim.http() as http:
        assert _totals(http) == (0, 0)
        create_user(http)
        create_group(http)
        assert _counts(server, scim.identity_store_id) == (1, 1)
        assert _totals(http) == (1, 1)


def test_unfiltered_totals_follow_creations_and_deletions_through_both_apis(server):
    scim = new_scim(server)
    with scim.http() as http:
        made = [create_user(http)["id"] for _ in range(3)]
        assert http.delete(f"/Users/{made[0]}").status_code == 204
        group = create_group(http, members=[made[1]])
        assert _totals(http) == (2, 1)
        client = store_client(server, scim.management)
        body = builders.user_body()
        client.create_user(
            ids.CreateUserRequest(identity_store_id=scim.identity_store_id, body=body)
        )
        assert _totals(http) == (3, 1)
        assert http.delete(f"/Groups/{group['id']}").status_code == 204
        assert _totals(http) == (3, 0)
        listed = http.get("/Users", params={"startIndex": 2, "count": 5}).json()
        assert listed["totalResults"] == 3 and len(listed["Resources"]) == 2
