"""Concurrent writers: constraints, not locks, decide (several requests at once on one server,
which on PostgreSQL run in parallel transactions)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from huaweicloudsdkidentitycenter.v1 import model as ic

from tests.identitycenter.access.support import (
    all_for_principal,
    assign,
    create_permission_set,
    ic_client,
    outcome,
    unique,
)


def test_concurrent_creations_of_one_assignment_all_succeed_with_one_row(server, org) -> None:
    ps = create_permission_set(org.ic(), org.instance_id).permission_set_id
    user, account = org.user(), org.accounts[0].account_id

    def create(_):
        client = ic_client(server, org.management)
        return outcome(lambda: assign(client, org.instance_id, ps, "USER", user, account))

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(create, range(6)))
    assert outcomes == ["ok"] * 6
    assert len(all_for_principal(org.ic(), org.instance_id, "USER", user)) == 1
    accounts = org.ic().list_accounts_for_provisioned_permission_set(
        ic.ListAccountsForProvisionedPermissionSetRequest(
            instance_id=org.instance_id, permission_set_id=ps
        )
    )
    assert accounts.account_ids == [account]


def test_concurrent_creations_of_one_name_make_one_permission_set(server, org) -> None:
    name = unique()

    def create(_):
        client = ic_client(server, org.management)
        return outcome(lambda: create_permission_set(client, org.instance_id, name))

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(create, range(6)))
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} == {(409, "IIC.1206")}
