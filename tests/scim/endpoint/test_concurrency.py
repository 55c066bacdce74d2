"""Concurrent SCIM writes stay correct by constraints and row locks: one winner per user name,
no lost PATCH, every concurrently added member kept, one version per change."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.scim.endpoint.support import create_group, create_user, patch, unique, user_body

WORKERS = 8


def _run(scim, calls):
    def one(call):
        with scim.http() as http:
            return call(http)

    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(one, calls))


def test_concurrent_creations_of_one_user_name_make_one_user(scim, http):
    name = unique("race")
    responses = _run(
        scim,
        [
            lambda h, i=i: h.post("/Users", json=user_body(name if i % 2 else name.upper()))
            for i in range(WORKERS)
        ],
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * (WORKERS - 1)
    assert all(r.json()["scimType"] == "uniqueness" for r in responses if r.status_code == 409)
    found = http.get("/Users", params={"filter": f'userName eq "{name}"'}).json()
    assert found["totalResults"] == 1


def test_concurrent_patches_of_one_user_lose_nothing(scim, http):
    user = create_user(http)
    attributes = ["title", "nickName", "userType", "locale", "timezone", "preferredLanguage"]
    calls = [
        lambda h, a=a: h.patch(
            f"/Users/{user['id']}", json=patch({"op": "replace", "path": a, "value": f"v-{a}"})
        )
        for a in attributes
    ]
    assert {r.status_code for r in _run(scim, calls)} == {200}
    after = http.get(f"/Users/{user['id']}")
    assert all(after.json()[a] == f"v-{a}" for a in attributes)
    assert after.headers["etag"] == f'W/"{1 + len(attributes)}"'


def test_concurrently_added_members_are_all_kept(scim, http):
    users = [create_user(http) for _ in range(WORKERS)]
    group = create_group(http)
    calls = [
        lambda h, u=u: h.patch(
            f"/Groups/{group['id']}",
            json=patch({"op": "add", "path": "members", "value": [{"value": u["id"]}]}),
            params={"excludedAttributes": "members"},
        )
        for u in users
    ]
    assert {r.status_code for r in _run(scim, calls)} == {200}
    after = http.get(f"/Groups/{group['id']}")
    assert {m["value"] for m in after.json()["members"]} == {u["id"] for u in users}
    assert after.headers["etag"] == f'W/"{1 + WORKERS}"'


def test_deleting_users_while_adding_them_to_a_group_never_fails_the_server(scim, http):
    users = [create_user(http) for _ in range(WORKERS // 2)]
    group = create_group(http)
    calls = []
    for u in users:
        calls.append(lambda h, u=u: h.delete(f"/Users/{u['id']}"))
        calls.append(
            lambda h, u=u: h.patch(
                f"/Groups/{group['id']}",
                json=patch({"op": "add", "path": "members", "value": [{"value": u["id"]}]}),
            )
        )
    statuses = [r.status_code for r in _run(scim, calls)]
    assert all(status in (200, 204, 400) for status in statuses), statuses
    assert "members" not in http.get(f"/Groups/{group['id']}").json()


def test_deleting_users_while_creating_groups_with_them_never_fails_the_server(scim, http):
    users = [create_user(http) for _ in range(WORKERS // 2)]
    calls = []
    for u in users:
        calls.append(lambda h, u=u: h.delete(f"/Users/{u['id']}"))
        calls.append(
            lambda h, u=u: h.post(
                "/Groups",
                json={
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                    "displayName": unique("with"),
                    "members": [{"value": u["id"]}],
                },
            )
        )
    statuses = [r.status_code for r in _run(scim, calls)]
    assert all(status in (201, 204, 400) for status in statuses), statuses
