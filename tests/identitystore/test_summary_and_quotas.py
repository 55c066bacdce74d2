"""The identity store summary (counts and quotas) and the documented quotas: 100,000 users
and 100,000 groups per identity store, 1,000 groups per user."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkidentitycenterstore.v1 import model as ids

from idplane.identitystore.directory.tables import DirectoryCounts
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


def _attempt(call):
    try:
        call()
    except ClientRequestException as error:
        return (error.status_code, error.error_code)
    return "ok"


def _counted(server, directory) -> dict:
    """The store's counts row (what the quotas are taken from)."""
    with server.core.store.read() as session:
        row = session.get(DirectoryCounts, directory.identity_store_id)
        return {"users": row.users, "groups": row.groups} if row else {}


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


def test_a_store_holds_at_most_100000_users_even_under_concurrent_creation(server):
    directory = new_directory(server)
    seeded = seed_users(server.core.store, directory.identity_store_id, 99_997)
    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(lambda _: _attempt(lambda: create_user(directory)), range(6)))
    assert sorted(outcomes, key=str) == sorted(["ok"] * 3 + [QUOTA] * 3, key=str)
    assert _summary(directory).users == 100_000 == _counted(server, directory)["users"]
    assert "100000 users" in failure_message(lambda: create_user(directory))
    request = ids.DeleteUserRequest(
        identity_store_id=directory.identity_store_id, user_id=seeded[0]
    )
    directory.client().delete_user(request)
    create_user(directory)
    assert _summary(directory).users == 100_000 == _counted(server, directory)["users"]


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


def test_counting_starts_from_what_the_store_already_holds(server):
    directory = new_directory(server)
    seed_users(server.core.store, directory.identity_store_id, 5, recount=False)
    assert _counted(server, directory) == {}
    create_user(directory)
    assert _counted(server, directory) == {"users": 6, "groups": 0}


def test_the_counts_follow_creations_and_deletions(server):
    directory = new_directory(server)
    users = [create_user(directory) for _ in range(3)]
    groups = [create_group(directory) for _ in range(2)]
    add_member(directory, groups[0], users[0])
    client, store = directory.client(), {"identity_store_id": directory.identity_store_id}
    client.delete_user(ids.DeleteUserRequest(**store, user_id=users[0]))
    client.delete_group(ids.DeleteGroupRequest(**store, group_id=groups[1]))
    assert _counted(server, directory) == {"users": 2, "groups": 1}
    summary = _summary(directory)
    assert (summary.users, summary.groups) == (2, 1)
