"""Deleting an identity store user and a group it belongs to at the same time, both holding
account assignments, never deadlocks (it did on PostgreSQL in about 12 of 30 rounds: the group
deletion held its group row and waited on a membership row of `org_accounts` that the user
deletion held while waiting on the group). One lock order: identity store rows (the principal,
then a user's groups) before the organization's membership rows."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from huaweicloudsdkidentitycenterstore.v1 import model as st

from tests.identitycenter.access.support import assign, create_permission_set, outcome
from tests.identitystore import builders

ROUNDS = 8


def test_deleting_a_user_and_its_group_at_once_never_fails(server, org) -> None:
    ps = create_permission_set(org.ic(), org.instance_id).permission_set_id
    accounts = [account.account_id for account in org.accounts]
    pairs = []
    for _ in range(ROUNDS):
        user, group = org.user(), org.group()
        builders.add_member(org.directory, group, user)
        for account in accounts:
            assign(org.ic(), org.instance_id, ps, "USER", user, account)
            assign(org.ic(), org.instance_id, ps, "GROUP", group, account)
        pairs.append((user, group))
    store = org.identity_store_id

    def delete_user(user):
        request = st.DeleteUserRequest(identity_store_id=store, user_id=user)
        return outcome(lambda: org.directory.client().delete_user(request))

    def delete_group(group):
        request = st.DeleteGroupRequest(identity_store_id=store, group_id=group)
        return outcome(lambda: org.directory.client().delete_group(request))

    with ThreadPoolExecutor(max_workers=2 * ROUNDS) as pool:
        futures = []
        for user, group in pairs:
            futures.append(pool.submit(delete_user, user))
            futures.append(pool.submit(delete_group, group))
        outcomes = [future.result() for future in futures]
    assert outcomes == ["ok"] * (2 * ROUNDS)
