"""Identity stores never see into one another: another store's users, groups and memberships
are 404 (never confirmed to exist), another organization's store is 404, and deleting the
Identity Center instance takes its whole directory with it."""

from __future__ import annotations

import pytest
from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkidentitycenterstore.v1 import model as ids
from sqlalchemy import func, select

from idplane.identitystore.directory.tables import Group, GroupMembership, User
from tests import clients
from tests.identitystore.builders import (
    add_member,
    create_group,
    create_user,
    describe_user,
    failure,
    new_directory,
)

NOT_FOUND = (404, "IIC.404")


@pytest.fixture(scope="module")
def other(server):
    """A second organization with its own instance and identity store."""
    return new_directory(server)


def test_a_user_of_another_store_is_404(directory, other):
    foreign = create_user(other)
    request = ids.DescribeUserRequest(
        identity_store_id=directory.identity_store_id, user_id=foreign
    )
    assert failure(lambda: directory.client().describe_user(request)) == NOT_FOUND
    delete = ids.DeleteUserRequest(identity_store_id=directory.identity_store_id, user_id=foreign)
    assert failure(lambda: directory.client().delete_user(delete)) == NOT_FOUND
    assert describe_user(other, foreign).user_id == foreign


def test_a_group_or_user_of_another_store_cannot_join_a_membership(directory, other):
    mine_user, mine_group = create_user(directory), create_group(directory)
    foreign_user, foreign_group = create_user(other), create_group(other)
    assert failure(lambda: add_member(directory, foreign_group, mine_user)) == NOT_FOUND
    assert failure(lambda: add_member(directory, mine_group, foreign_user)) == NOT_FOUND


def test_a_membership_of_another_store_is_404(directory, other):
    membership_id = add_member(other, create_group(other), create_user(other))
    store = {"identity_store_id": directory.identity_store_id, "membership_id": membership_id}
    describe = ids.DescribeGroupMembershipRequest(**store)
    assert failure(lambda: directory.client().describe_group_membership(describe)) == NOT_FOUND
    delete = ids.DeleteGroupMembershipRequest(**store)
    assert failure(lambda: directory.client().delete_group_membership(delete)) == NOT_FOUND


def test_another_organizations_store_is_404_not_403(directory, other):
    request = ids.ListUsersRequest(identity_store_id=other.identity_store_id)
    assert failure(lambda: directory.client().list_users(request)) == NOT_FOUND
    unknown = ids.ListUsersRequest(identity_store_id="d-0000000000")
    assert failure(lambda: directory.client().list_users(unknown)) == NOT_FOUND


def test_a_delegated_administrator_manages_the_store(directory):
    client = directory.client(directory.delegate)
    user_id = create_user(directory, client=client)
    group_id = create_group(directory, client=client)
    add_member(directory, group_id, user_id, client=client)
    assert describe_user(directory, user_id, client=directory.client()).user_id == user_id


def test_deleting_identity_center_deletes_the_directory(server):
    doomed = new_directory(server)
    add_member(doomed, create_group(doomed), create_user(doomed))
    ic_client = clients.identitycenter(server.url, doomed.management)
    ic_client.delete_identity_center(ic.DeleteIdentityCenterRequest())
    with server.core.store.read() as session:
        for model in (User, Group, GroupMembership):
            count = select(func.count()).select_from(model)
            where = count.where(model.identity_store_id == doomed.identity_store_id)
            assert session.scalar(where) == 0
