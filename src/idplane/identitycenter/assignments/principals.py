"""Every assignment of one principal at once: removed when it is deleted, disassociated or
leaves the groups that held them, and the lock on its row that orders those writers."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.orm import Session

from idplane.identitycenter.assignments.records import Grant, operation_row
from idplane.identitycenter.assignments.tables import DELETE, AccountAssignment, AssignmentOperation
from idplane.identitycenter.permission_sets.provisioning import deprovision_unassigned, lock_members
from idplane.identitycenter.permission_sets.tables import PermissionSet
from idplane.identitystore.directory.service import USER
from idplane.identitystore.groups.tables import Group
from idplane.identitystore.users.tables import User
from idplane.instances.gate import GatedInstance
from idplane.instances.store_tables import IdentityStore
from idplane.platform.clock import now


def remove_principal(
    session: Session,
    instance: GatedInstance,
    principal_type: str,
    principal_id: str,
    identity_store_id: str | None = None,
) -> int:
    """Deletes every assignment of the principal in the instance, with deletion statuses."""
    store_id = identity_store_id or store_id_of(session, instance)
    lock_principal(session, store_id, principal_type, principal_id, True)
    of_principal = (
        AccountAssignment.instance_id == instance.id,
        AccountAssignment.principal_type == principal_type,
        AccountAssignment.principal_id == principal_id,
    )
    held = session.execute(
        _HELD, {"instance_id": instance.id, "type": principal_type, "id": principal_id}
    ).all()
    if not held:
        return 0  # its row is locked FOR UPDATE: no assignment of it can appear meanwhile
    session.execute(  # the permission sets before the membership rows (docs/developing.md)
        select(PermissionSet.seq)
        .where(PermissionSet.id.in_(sorted({ps for ps, _ in held})))
        .order_by(PermissionSet.id)
        .with_for_update(read=True, key_share=True)
    ).all()
    lock_members(session, instance, {account for _, account in held})
    removed = session.execute(
        delete(AccountAssignment)
        .where(*of_principal)
        .returning(AccountAssignment.account_id, AccountAssignment.permission_set_id)
        .execution_options(synchronize_session=False)
    ).all()
    if not removed:
        return 0
    moment = now()
    session.execute(  # the Core table: a plain executemany, no ORM bulk bookkeeping
        insert(AssignmentOperation.__table__),  # type: ignore[arg-type]
        [
            operation_row(
                instance.id,
                DELETE,
                Grant(permission_set_id, principal_type, principal_id, account_id),
                moment,
            )
            for account_id, permission_set_id in removed
        ],
    )
    deprovision_unassigned(session, [(ps, account) for account, ps in removed])
    return len(removed)


def lock_principal(
    session: Session,
    identity_store_id: str,
    principal_type: str,
    principal_id: str,
    exclusive: bool = False,
) -> bool:
    """Locks the user's or group's row (KEY SHARE, or FOR UPDATE when `exclusive`); whether
    it exists. (The directory's `principal_exists` answers the same question without a lock.)"""
    stmt = _lock_statement(principal_type == USER, exclusive)
    values = {"store_id": identity_store_id, "id": principal_id}
    return session.connection().scalar(stmt, values) is not None


@functools.cache
def _lock_statement(user: bool, exclusive: bool) -> Any:
    # Built once per kind (building a select cost more than running it).
    model = User if user else Group
    stmt = select(model.seq).where(
        model.identity_store_id == bindparam("store_id"), model.id == bindparam("id")
    )
    return stmt.with_for_update() if exclusive else stmt.with_for_update(read=True, key_share=True)


def store_id_of(session: Session, instance: GatedInstance) -> str:
    store_id = session.connection().scalar(_STORE_ID, {"instance_id": instance.id})
    assert store_id is not None  # an instance always has its identity store
    return store_id


# Built once: every assignment and every deletion of a user or group runs them.
_STORE_ID = select(IdentityStore.id).where(IdentityStore.instance_id == bindparam("instance_id"))
_HELD = (
    select(AccountAssignment.permission_set_id, AccountAssignment.account_id)
    .where(
        AccountAssignment.instance_id == bindparam("instance_id"),
        AccountAssignment.principal_type == bindparam("type"),
        AccountAssignment.principal_id == bindparam("id"),
    )
    .distinct()
)
