"""The identity store summary (counts and quotas) and the documented quotas: 100,000 users
and 100,000 groups per identity store, 1,000 groups per user."""

from __future__ import annotations

from huaweicloudsdkidentitycenterstore.v1 import model as ids

from tests.identitystore.builders import (
    add_member,
    create_group,
    create_user,
    failure,
    failure_message,
    new_directory,
)
from tests.identitystore.seeding import seed_groups, seed_memberships, seed_users

QUOTA = (400, "IIC.400")


def _summary(directory):
    request = ids.GetIdentityStoreSummaryRequest(identity_store_id=directory.identity_store_id)
    return directory.client().get_identity_store_summary(request)


def test_the_summary_counts_users_and_groups_and_gives_the_quotas(server):
    directory = new_directory(server)
    empty = _summary(directory)
    assert (empty.users, empty.groups) == (0, 0)
    assert (empty.users_quota, empty.groups_quota) == (100_000, 100_000)
    user_ids = [create_user(directory) for _ in range(3)]
    create_group(directory)
    add_member(directory, create_group(directory), user_ids[0])
    summary = _summary(directory)
    assert (summary.users, summary.groups) == (3, 2)


def test_a_store_holds_at_most_100000_users(server):
    directory = new_directory(server)
    seeded = seed_users(server.core.store, directory.identity_store_id, 100_000)
    assert _summary(directory).users == 100_000
    assert failure(lambda: create_user(directory)) == QUOTA
    assert "100000 users" in failure_message(lambda: create_user(directory))
    request = ids.DeleteUserRequest(
        identity_store_id=directory.identity_store_id, user_id=seeded[0]
    )
    directory.client().delete_user(request)
    create_user(directory)
    assert _summary(directory).users == 100_000


def test_a_store_holds_at_most_100000_groups(server):
    directory = new_directory(server)
    seed_groups(server.core.store, directory.identity_store_id, 100_000)
    assert failure(lambda: create_group(directory)) == QUOTA
    assert _summary(directory).groups == 100_000


def test_a_user_joins_at_most_1000_groups(server):
    directory = new_directory(server)
    user_id = create_user(directory)
    groups = seed_groups(server.core.store, directory.identity_store_id, 1_001)
    seed_memberships(server.core.store, directory.identity_store_id, user_id, groups[:1_000])
    assert failure(lambda: add_member(directory, groups[1_000], user_id)) == QUOTA
    other_user = create_user(directory)
    add_member(directory, groups[1_000], other_user)  # the group itself has no limit
