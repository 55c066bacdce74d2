"""Groups through the official SCIM client, and the sequence an identity provider runs:
create users, create a group with members, change the members, deactivate a user (the
Identity Store user is disabled), delete; once automatic provisioning is deleted, the same
token is refused."""

from __future__ import annotations

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkidentitycenterscim.v1 import model as sc
from huaweicloudsdkidentitycenterstore.v1 import model as st

from tests.identitystore.provisioning.support import delete_tenant
from tests.scim.endpoint.support import GROUP, PATCH_OP, new_scim, sdk_user_body, unique


class Idp:
    """What an identity provider's SCIM client does, through the official SDK."""

    def __init__(self, scim):
        self.scim, self.client = scim, scim.sdk()
        self.auth = {"authorization": scim.bearer, "tenant_id": scim.tenant_id}

    def create_user(self) -> sc.CreateUserResponse:
        return self.client.create_user(sc.CreateUserRequest(**self.auth, body=sdk_user_body()))

    def create_group(self, *members: str, name: str | None = None) -> sc.CreateGroupResponse:
        body = sc.CreateGroupReqBody(
            schemas=[GROUP],
            display_name=name or unique("group"),
            external_id=unique("okta"),
            members=[sc.MemberItemDto(value=member, type="User") for member in members],
        )
        return self.client.create_group(sc.CreateGroupRequest(**self.auth, body=body))

    def get_group(self, group_id: str) -> sc.GetGroupResponse:
        return self.client.get_group(sc.GetGroupRequest(**self.auth, group_id=group_id))

    def patch_group(self, group_id: str, *operations: sc.OperationItemDto):
        body = sc.PatchGroupReqBody(schemas=[PATCH_OP], operations=list(operations))
        return self.client.patch_group(
            sc.PatchGroupRequest(**self.auth, group_id=group_id, body=body)
        )

    def patch_user(self, user_id: str, *operations: sc.OperationItemDto):
        body = sc.PatchUserReqBody(schemas=[PATCH_OP], operations=list(operations))
        return self.client.patch_user(sc.PatchUserRequest(**self.auth, user_id=user_id, body=body))

    def members(self, group_id: str) -> list[str]:
        return [member.value for member in self.get_group(group_id).members or []]


@pytest.fixture(scope="module")
def idp(scim) -> Idp:
    return Idp(scim)


def test_create_group_answers_201_with_its_members(idp):
    user = idp.create_user()
    group = idp.create_group(user.id)
    assert group.status_code == 201 and group.meta.resource_type == "Group"
    assert [(m.value, m.type) for m in group.members] == [(user.id, "User")]
    assert group.members[0].ref.endswith(f"/Users/{user.id}")


def test_get_and_list_groups_read_through_the_sdk(idp):
    group = idp.create_group(name=unique("Listed"))
    assert idp.get_group(group.id).display_name == group.display_name
    listed = idp.client.list_groups(sc.ListGroupsRequest(**idp.auth))
    assert group.id in [g.id for g in listed.resources]
    assert listed.items_per_page == len(listed.resources)


def test_patch_group_adds_and_removes_members(idp):
    first, second = idp.create_user(), idp.create_user()
    group = idp.create_group(first.id)
    patched = idp.patch_group(
        group.id,
        sc.OperationItemDto(op="add", path="members", value=[{"value": second.id}]),
        sc.OperationItemDto(op="remove", path=f'members[value eq "{first.id}"]'),
    )
    assert patched.status_code == 200
    assert idp.members(group.id) == [second.id]


def test_delete_group_answers_204(idp):
    group = idp.create_group()
    deleted = idp.client.delete_group(sc.DeleteGroupRequest(**idp.auth, group_id=group.id))
    assert deleted.status_code == 204
    with pytest.raises(ClientRequestException) as raised:
        idp.get_group(group.id)
    assert raised.value.status_code == 404


def test_an_identity_provider_sequence_from_start_to_revocation(server):
    scim = new_scim(server)
    idp, store = Idp(scim), scim.store()
    alice, bob, carol = idp.create_user(), idp.create_user(), idp.create_user()
    group = idp.create_group(alice.id, bob.id, name=unique("Engineering"))
    assert idp.members(group.id) == [alice.id, bob.id]

    idp.patch_group(
        group.id,
        sc.OperationItemDto(op="add", path="members", value=[{"value": carol.id}]),
        sc.OperationItemDto(op="remove", path="members", value=[{"value": alice.id}]),
    )
    assert idp.members(group.id) == [bob.id, carol.id]

    idp.patch_user(bob.id, sc.OperationItemDto(op="replace", value={"active": False}))
    described = store.describe_user(
        st.DescribeUserRequest(identity_store_id=scim.identity_store_id, user_id=bob.id)
    )
    assert described.enabled is False

    idp.client.delete_user(sc.DeleteUserRequest(**idp.auth, user_id=carol.id))
    assert idp.members(group.id) == [bob.id]
    idp.client.delete_group(sc.DeleteGroupRequest(**idp.auth, group_id=group.id))

    delete_tenant(store, scim.identity_store_id, scim.tenant_id)
    with pytest.raises(ClientRequestException) as raised:
        idp.client.list_users(sc.ListUsersRequest(**idp.auth))
    assert raised.value.status_code == 401
    # What the tenant provisioned stays in the identity store.
    users = store.list_users(st.ListUsersRequest(identity_store_id=scim.identity_store_id)).users
    assert {alice.id, bob.id} <= {user.user_id for user in users}
