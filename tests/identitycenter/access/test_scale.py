"""A principal's assignments are found through the principal index, so listing them and
disassociate-profile cost that principal's assignments, not the size of the store (20,000
other assignments seeded straight into the store)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from idplane.identitycenter.assignments.tables import AccountAssignment
from tests.identitycenter.access.seeding import grants_for, other_principals, seed_assignments
from tests.identitycenter.access.support import (
    all_for_principal,
    assign,
    create_permission_set,
    disassociate,
    new_org,
)

INDEX = "ix_identity_center_account_assignments_principal"


@pytest.fixture(scope="module")
def crowded(server):
    org = new_org(server)
    client = org.ic()
    sets = [create_permission_set(client, org.instance_id).permission_set_id for _ in range(10)]
    accounts = [account.account_id for account in org.accounts]
    grants = [
        grant
        for principal in other_principals(1000)
        for grant in grants_for(principal, accounts, sets, 20)
    ]
    seed_assignments(server.core.store, org.instance_id, grants)
    return org, sets


def _count(server, instance_id) -> int:
    with server.core.store.read() as session:
        stmt = select(func.count()).select_from(AccountAssignment)
        return session.scalar(stmt.where(AccountAssignment.instance_id == instance_id))


def test_the_principal_lookup_runs_on_the_principal_index(server, crowded) -> None:
    org, _sets = crowded
    where = (
        "FROM identity_center_account_assignments WHERE instance_id = :i "
        "AND principal_type = 'USER' AND principal_id = :p"
    )
    with server.core.store.read() as session:
        if session.bind.dialect.name == "sqlite":
            rows = session.execute(
                text(f"EXPLAIN QUERY PLAN SELECT account_id {where}"),
                {"i": org.instance_id, "p": "x"},
            )
            plan = " ".join(str(row[-1]) for row in rows)
        else:
            session.execute(text("ANALYZE identity_center_account_assignments"))
            rows = session.execute(
                text(f"EXPLAIN SELECT account_id {where}"), {"i": org.instance_id, "p": "x"}
            )
            plan = " ".join(row[0] for row in rows)
    assert INDEX in plan, plan


def test_disassociating_one_principal_touches_only_its_assignments(server, crowded) -> None:
    org, sets = crowded
    client = org.ic()
    user = org.user()
    assign(client, org.instance_id, sets[0], "USER", user, org.accounts[0].account_id)
    before = _count(server, org.instance_id)
    body = {"id": user, "accessor_type": "USER", "identity_store_id": org.identity_store_id}
    assert disassociate(client, org.instance_id, body).status_code == 200
    assert _count(server, org.instance_id) == before - 1
    assert all_for_principal(client, org.instance_id, "USER", user) == []
