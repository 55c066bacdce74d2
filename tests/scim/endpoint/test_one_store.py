"""SCIM and the Identity Store API share one directory: what one creates, changes or deletes,
the other sees (both through their official SDKs). SCIM's externalId is an external id with
issuer `SCIM`; what a tenant creates is marked `created_by: scim:<tenant id>`."""

from __future__ import annotations

import pytest
from huaweicloudsdkidentitycenterstore.v1 import model as st

from tests.identitystore import builders
from tests.scim.endpoint.support import create_group, create_user, unique


@pytest.fixture(scope="module")
def directory(scim) -> builders.Directory:
    """The identity store seen by the Identity Store API (tests/identitystore's builders)."""
    return builders.Directory(
        scim.server, scim.management, scim.management, scim.identity_store_id, ""
    )


def _store_request(model, directory, **kwargs):
    return model(identity_store_id=directory.identity_store_id, **kwargs)


def test_a_user_created_over_scim_is_the_identity_store_user(scim, http, directory):
    user = create_user(http, externalId=unique("okta"), title="Guide")
    described = builders.describe_user(directory, user["id"])
    assert described.user_name == user["userName"] and described.title == "Guide"
    assert described.name.given_name == "Barbara" and described.enabled is True
    assert described.emails[0].value == user["emails"][0]["value"]
    assert [(e.issuer, e.id) for e in described.external_ids] == [("SCIM", user["externalId"])]
    assert described.created_by == f"scim:{scim.tenant_id}"


def test_the_identity_store_finds_a_scim_user_by_its_external_id(http, directory):
    user = create_user(http, externalId=unique("entra"))
    identifier = st.AlternateIdentifierDto(
        external_id=st.ExternalIdDto(issuer="SCIM", id=user["externalId"])
    )
    found = directory.client().get_user_id(
        _store_request(
            st.GetUserIdRequest,
            directory,
            body=st.GetUserIdReqBody(alternate_identifier=identifier),
        )
    )
    assert found.user_id == user["id"]


def test_a_user_created_through_the_identity_store_is_served_over_scim(http, directory):
    user_id = builders.create_user(directory, title="Clerk")
    resource = http.get(f"/Users/{user_id}").json()
    assert resource["title"] == "Clerk" and resource["active"] is True
    listed = http.get("/Users", params={"filter": f'userName eq "{resource["userName"]}"'}).json()
    assert [r["id"] for r in listed["Resources"]] == [user_id]


def test_changes_through_the_identity_store_move_the_scim_version(http, directory):
    user = create_user(http)
    builders.update_user(directory, user["id"], ("display_name", "Changed elsewhere"))
    after = http.get(f"/Users/{user['id']}")
    assert after.json()["displayName"] == "Changed elsewhere"
    assert after.headers["etag"] != user["meta"]["version"]


def test_deactivating_over_scim_disables_the_identity_store_user(http, directory):
    user = create_user(http)
    http.patch(
        f"/Users/{user['id']}",
        json={
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
        },
    ).raise_for_status()
    assert builders.describe_user(directory, user["id"]).enabled is False


def test_a_group_created_over_scim_is_the_identity_store_group(http, directory):
    user = create_user(http)
    group = create_group(http, members=[user["id"]])
    client = directory.client()
    described = client.describe_group(
        _store_request(st.DescribeGroupRequest, directory, group_id=group["id"])
    )
    assert described.display_name == group["displayName"]
    members = client.list_group_memberships(
        _store_request(st.ListGroupMembershipsRequest, directory, group_id=group["id"])
    ).group_memberships
    assert [m.member_id.user_id for m in members] == [user["id"]]


def test_memberships_made_through_the_identity_store_are_scim_members(http, directory):
    user = create_user(http)
    group = create_group(http)
    builders.add_member(directory, group["id"], user["id"])
    after = http.get(f"/Groups/{group['id']}")
    assert [m["value"] for m in after.json()["members"]] == [user["id"]]
    assert after.headers["etag"] != group["meta"]["version"]


def test_deleting_a_user_over_scim_removes_its_memberships(http, directory):
    user, other = create_user(http), create_user(http)
    group = create_group(http, members=[user["id"], other["id"]])
    assert http.delete(f"/Users/{user['id']}").status_code == 204
    status, _ = builders.failure(lambda: builders.describe_user(directory, user["id"]))
    assert status == 404
    members = (
        directory.client()
        .list_group_memberships(
            _store_request(st.ListGroupMembershipsRequest, directory, group_id=group["id"])
        )
        .group_memberships
    )
    assert [m.member_id.user_id for m in members] == [other["id"]]
    after = http.get(f"/Groups/{group['id']}")
    assert after.headers["etag"] != group["meta"]["version"]


def test_deleting_a_member_through_the_identity_store_changes_the_scim_group(http, directory):
    user = create_user(http)
    group = create_group(http, members=[user["id"]])
    directory.client().delete_user(
        _store_request(st.DeleteUserRequest, directory, user_id=user["id"])
    )
    assert http.get(f"/Users/{user['id']}").status_code == 404
    after = http.get(f"/Groups/{group['id']}")
    assert "members" not in after.json()
    assert after.headers["etag"] != group["meta"]["version"]


def test_removing_a_membership_through_the_identity_store_changes_the_scim_group(http, directory):
    user = create_user(http)
    group = create_group(http)
    membership_id = builders.add_member(directory, group["id"], user["id"])
    added = http.get(f"/Groups/{group['id']}").headers["etag"]
    directory.client().delete_group_membership(
        _store_request(st.DeleteGroupMembershipRequest, directory, membership_id=membership_id)
    )
    after = http.get(f"/Groups/{group['id']}")
    assert "members" not in after.json() and after.headers["etag"] not in (
        added,
        group["meta"]["version"],
    )
