"""PATCH over HTTP: the forms identity providers send, all-or-nothing application, the
errors RFC 7644 names, and group membership under the directory's rules (users of the same
store only, at most 1,000 groups per user)."""

from __future__ import annotations

from sqlalchemy import func, select

from idplane.identitystore.memberships.tables import GroupMembership
from tests.identitystore.seeding import seed_groups, seed_memberships
from tests.scim.endpoint.support import (
    ENTERPRISE,
    create_group,
    create_user,
    new_scim,
    patch,
    scim_error,
)


def _patch(http, path: str, *operations, **params):
    return http.patch(path, json=patch(*operations), params=params)


def _ok(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def test_okta_path_less_replace_sets_several_attributes(http):
    user = create_user(http)
    value = {"active": False, "name.givenName": "Al", ENTERPRISE: {"department": "Ops"}}
    after = _ok(_patch(http, f"/Users/{user['id']}", {"op": "replace", "value": value}))
    assert after["active"] is False and after["name"]["givenName"] == "Al"
    assert after[ENTERPRISE] == {"department": "Ops"} and ENTERPRISE in after["schemas"]


def test_entra_add_to_a_filtered_email_creates_it(http):
    user = create_user(http, emails=[{"value": "h@home.example", "type": "home"}])
    op = {"op": "Add", "path": 'emails[type eq "work"].value', "value": "w@work.example"}
    after = _ok(_patch(http, f"/Users/{user['id']}", op))
    assert {(e["type"], e["value"]) for e in after["emails"]} == {
        ("home", "h@home.example"),
        ("work", "w@work.example"),
    }


def test_remove_with_a_value_filter_removes_just_the_matches(http):
    user = create_user(
        http,
        emails=[
            {"value": "w@work.example", "type": "work", "primary": True},
            {"value": "h@home.example", "type": "home"},
        ],
    )
    after = _ok(
        _patch(http, f"/Users/{user['id']}", {"op": "remove", "path": 'emails[type eq "home"]'})
    )
    assert [e["type"] for e in after["emails"]] == ["work"]


def test_a_bare_manager_id_becomes_manager_value(http):
    user = create_user(http)
    op = {"op": "add", "path": f"{ENTERPRISE}:manager", "value": "boss-7"}
    assert _ok(_patch(http, f"/Users/{user['id']}", op))[ENTERPRISE]["manager"] == {
        "value": "boss-7"
    }


def test_errors_name_their_scim_type(http):
    user = create_user(http)
    path = f"/Users/{user['id']}"
    cases = [
        ({"op": "remove", "path": "active"}, "invalidValue"),
        ({"op": "remove", "path": "userName"}, "invalidValue"),
        ({"op": "replace", "path": "id", "value": "mine"}, "mutability"),
        ({"op": "remove"}, "noTarget"),
        ({"op": "replace", "path": 'emails[type eq "fax"].value', "value": "x"}, "noTarget"),
        ({"op": "replace", "path": "shoeSize", "value": "9"}, "invalidPath"),
        ({"op": "jump", "path": "title", "value": "x"}, "invalidSyntax"),
        ({"op": "replace", "path": "userName", "value": "x" * 129}, "invalidValue"),
        ({"op": "replace", "path": "title", "value": "nul\x00"}, "invalidValue"),
    ]
    for operation, scim_type in cases:
        scim_error(_patch(http, path, operation), 400, scim_type)
    scim_error(http.patch(path, json={"Operations": []}), 400, "invalidSyntax")


def test_a_patch_applies_all_its_operations_or_none(http):
    user = create_user(http)
    path = f"/Users/{user['id']}"
    failed = _patch(
        http,
        path,
        {"op": "replace", "path": "displayName", "value": "Half done"},
        {"op": "remove", "path": "userName"},
    )
    scim_error(failed, 400, "invalidValue")
    after = http.get(path)
    assert after.json()["displayName"] == user["displayName"]
    assert after.headers["etag"] == user["meta"]["version"]


def test_a_patch_that_changes_nothing_keeps_the_version(http):
    user = create_user(http)
    same = {"op": "replace", "path": "displayName", "value": user["displayName"]}
    response = _patch(http, f"/Users/{user['id']}", same)
    assert response.headers["etag"] == user["meta"]["version"]


def test_renaming_to_a_taken_user_name_is_409_uniqueness(http):
    first, second = create_user(http), create_user(http)
    op = {"op": "replace", "path": "userName", "value": first["userName"].upper()}
    scim_error(_patch(http, f"/Users/{second['id']}", op), 409, "uniqueness")


def _members(response) -> list[str]:
    return [m["value"] for m in _ok(response).get("members", [])]


def test_members_are_added_removed_and_replaced(http):
    a, b, c = create_user(http), create_user(http), create_user(http)
    group = create_group(http, members=[a["id"]])
    path = f"/Groups/{group['id']}"
    add = {"op": "add", "path": "members", "value": [{"value": b["id"]}, {"value": a["id"]}]}
    assert _members(_patch(http, path, add)) == [a["id"], b["id"]]
    remove = {"op": "remove", "path": f'members[value eq "{a["id"]}"]'}
    assert _members(_patch(http, path, remove)) == [b["id"]]
    entra = {"op": "Remove", "path": "members", "value": [{"value": b["id"]}]}
    assert _members(_patch(http, path, entra)) == []
    replace = {
        "op": "replace",
        "path": "members",
        "value": [{"value": c["id"]}, {"value": a["id"]}],
    }
    assert _members(_patch(http, path, replace)) == [c["id"], a["id"]]


def test_the_patched_group_comes_back_without_members_when_asked(http):
    user = create_user(http)
    group = create_group(http)
    add = {"op": "add", "path": "members", "value": [{"value": user["id"]}]}
    shown = _ok(_patch(http, f"/Groups/{group['id']}", add, excludedAttributes="members"))
    assert "members" not in shown and shown["displayName"] == group["displayName"]
    assert _members(http.get(f"/Groups/{group['id']}")) == [user["id"]]


def test_renaming_a_group_to_a_taken_name_is_409_uniqueness(http):
    first, second = create_group(http), create_group(http)
    op = {"op": "replace", "path": "displayName", "value": first["displayName"].upper()}
    scim_error(_patch(http, f"/Groups/{second['id']}", op), 409, "uniqueness")


def test_members_must_be_users_of_the_same_store(server, http):
    user = create_user(http)
    group = create_group(http, members=[user["id"]])
    with new_scim(server).http() as elsewhere:
        stranger = create_user(elsewhere)
    path = f"/Groups/{group['id']}"
    for member in (
        {"value": stranger["id"]},
        {"value": "00000000-0000-4000-8000-000000000000"},
        {"value": "not-an-id"},
        {"value": group["id"], "type": "Group"},
    ):
        add = {"op": "add", "path": "members", "value": [member]}
        scim_error(_patch(http, path, add), 400, "invalidValue")
    after = http.get(path)
    assert _members(after) == [user["id"]] and after.headers["etag"] == group["meta"]["version"]
    scim_error(http.post("/Groups", json={**_group(stranger)}), 400, "invalidValue")


def _group(member: dict) -> dict:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": f"with-{member['id']}",
        "members": [{"value": member["id"]}],
    }


def test_a_user_in_the_maximum_of_groups_cannot_join_another(server):
    scim = new_scim(server)
    store = server.core.store
    with scim.http() as http:
        user = create_user(http)
        full = seed_groups(store, scim.identity_store_id, 1000, prefix="full")
        seed_memberships(store, scim.identity_store_id, user["id"], full)
        group = create_group(http)
        add = {"op": "add", "path": "members", "value": [{"value": user["id"]}]}
        response = _patch(http, f"/Groups/{group['id']}", add)
        assert response.status_code == 400 and "1000 groups" in response.json()["detail"]
    with store.read() as session:
        count = session.scalar(select(func.count()).where(GroupMembership.user_id == user["id"]))
    assert count == 1000
