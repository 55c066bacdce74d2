"""Bulk-seeding account assignments straight into the store, for scale tests and benchmarks
(the rows are what `create_account_assignment` would write: the assignment and, once per
(permission set, account) pair, its provisioning)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import insert

from idplane.identitycenter.assignments.tables import AccountAssignment
from idplane.identitycenter.permission_sets.tables import Provisioning
from idplane.platform.clock import now
from idplane.platform.db import Store

CHUNK = 5_000


def seed_assignments(
    store: Store,
    instance_id: str,
    grants: Iterable[tuple[str, str, str, str]],
) -> int:
    """Inserts (account_id, permission_set_id, principal_type, principal_id) assignments, and
    the provisionings they imply; answers how many assignments."""
    moment, rows, pairs = now(), [], set()
    for account_id, ps_id, principal_type, principal_id in grants:
        pairs.add((ps_id, account_id))
        rows.append(
            {
                "instance_id": instance_id,
                "account_id": account_id,
                "permission_set_id": ps_id,
                "principal_type": principal_type,
                "principal_id": principal_id,
                "created_at": moment,
            }
        )
    for start in range(0, len(rows), CHUNK):
        with store.transaction() as session:
            session.execute(insert(AccountAssignment), rows[start : start + CHUNK])
    provisionings = [
        {
            "instance_id": instance_id,
            "permission_set_id": ps_id,
            "account_id": account_id,
            "provisioned_version": 1,
            "provisioned_at": moment,
        }
        for ps_id, account_id in pairs
    ]
    with store.transaction() as session:
        session.execute(insert(Provisioning), provisionings)
    return len(rows)


def grants_for(
    principal_id: str, accounts: list[str], permission_sets: list[str], count: int, kind="USER"
) -> list[tuple[str, str, str, str]]:
    """`count` distinct assignments of one principal over the accounts x permission sets."""
    combos = [(a, ps) for a in accounts for ps in permission_sets]
    if count > len(combos):
        raise ValueError(f"only {len(combos)} distinct assignments for one principal")
    return [(a, ps, kind, principal_id) for a, ps in combos[:count]]


def other_principals(n: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(n)]
