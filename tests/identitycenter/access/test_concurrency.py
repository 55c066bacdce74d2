"""Concurrent writers: constraints, not locks, decide (several requests at once on one server,
which on PostgreSQL run in parallel transactions)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkidentitycenterstore.v1 import model as st
from sqlalchemy import func, select

from idplane.identitycenter.assignments.tables import AccountAssignment
from idplane.identitycenter.permission_sets.tables import Provisioning
from tests.identitycenter.access.support import (
    all_for_principal,
    assign,
    create_permission_set,
    disassociate,
    ic_client,
    outcome,
    unassign,
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


def _rows(server, model, **where) -> int:
    with server.core.store.read() as session:
        stmt = select(func.count()).select_from(model)
        for column, value in where.items():
            stmt = stmt.where(getattr(model, column) == value)
        return session.scalar(stmt)


def test_assigning_a_user_while_it_is_deleted_leaves_nothing_behind(server, org) -> None:
    ps = create_permission_set(org.ic(), org.instance_id).permission_set_id
    accounts = [account.account_id for account in org.accounts]
    users = [org.user() for _ in range(4)]

    def assign_all(user):
        client = ic_client(server, org.management)
        return [
            outcome(lambda a=a: assign(client, org.instance_id, ps, "USER", user, a))
            for a in accounts
        ]

    def delete(user):
        request = st.DeleteUserRequest(identity_store_id=org.identity_store_id, user_id=user)
        return outcome(lambda: org.directory.client().delete_user(request))

    with ThreadPoolExecutor(max_workers=8) as pool:
        creations = [pool.submit(assign_all, user) for user in users]
        deletions = [pool.submit(delete, user) for user in users]
        results = [c.result() for c in creations] + [[d.result()] for d in deletions]
    assert {o for result in results for o in result} <= {"ok", (404, "IIC.404")}
    for user in users:
        assert _rows(server, AccountAssignment, principal_id=user) == 0


def test_concurrent_assigning_and_unassigning_keep_provisioning_consistent(server, org) -> None:
    ps = create_permission_set(org.ic(), org.instance_id).permission_set_id
    account = org.accounts[1].account_id
    users = [org.user() for _ in range(6)]
    for user in users[:3]:
        assign(org.ic(), org.instance_id, ps, "USER", user, account)

    def churn(n):
        client = ic_client(server, org.management)
        user = users[n]
        if n < 3:
            return outcome(lambda: unassign(client, org.instance_id, ps, "USER", user, account))
        return outcome(lambda: assign(client, org.instance_id, ps, "USER", user, account))

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(churn, range(6))) == ["ok"] * 6
    assigned = _rows(server, AccountAssignment, permission_set_id=ps, account_id=account)
    provisioned = _rows(server, Provisioning, permission_set_id=ps, account_id=account)
    assert (assigned, provisioned) == (3, 1)


def test_disassociating_while_assigning_the_same_user_never_fails(server, org) -> None:
    sets = [create_permission_set(org.ic(), org.instance_id).permission_set_id for _ in range(3)]
    user = org.user()
    body = {"id": user, "accessor_type": "USER", "identity_store_id": org.identity_store_id}

    def work(n):
        client = ic_client(server, org.management)
        if n % 2:
            return outcome(lambda: disassociate(client, org.instance_id, body))
        account = org.accounts[n % 2].account_id
        return outcome(lambda: assign(client, org.instance_id, sets[n % 3], "USER", user, account))

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(work, range(12))) == ["ok"] * 12
    disassociate(org.ic(), org.instance_id, body)
    assert _rows(server, AccountAssignment, principal_id=user) == 0
    for ps in sets:
        assert _rows(server, Provisioning, permission_set_id=ps) == 0
