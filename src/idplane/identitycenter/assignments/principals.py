"""Every assignment of one principal at once: removed when it is deleted, disassociated or
leaves the groups that held them, and the lock on its row that orders those writers."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from idplane.identitycenter.assignments.records import Grant, operation_row
from idplane.identitycenter.assignments.tables import DELETE, AccountAssignment, AssignmentOperation
from idplane.identitycenter.permission_sets.provisioning import deprovision_unassigned, lock_members
from idplane.identitycenter.permission_sets.tables import PermissionSet
from idplane.identitystore.directory.service import USER
from idplane.identitystore.groups.tables import Group
from idplane.identitystore.users.tables import User
from idplane.instances.store_tables import IdentityStore
from idplane.instances.tables import Instance
from idplane.platform.clock import now


def remove_principal(
    session: Session, instance: Instance, principal_type: str, principal_id: str
) -> int:
    """Deletes every assignment of the principal in the instance, with deletion statuses."""
    lock_principal(session, store_id_of(session, instance), principal_type, principal_id, True)
    of_principal = (
        AccountAssignment.instance_id == instance.id,
        AccountAssignment.principal_type == principal_type,
        AccountAssignment.principal_id == principal_id,
    )
    sets = session.scalars(
        select(AccountAssignment.permission_set_id).where(*of_principal).distinct()
    )
    session.execute(  # the permission sets before the membership rows (docs/developing.md)
        select(PermissionSet.seq)
        .where(PermissionSet.id.in_(sorted(sets)))
        .order_by(PermissionSet.id)
        .with_for_update(read=True, key_share=True)
    ).all()
    accounts = list(
        session.scalars(select(AccountAssignment.account_id).where(*of_principal).distinct())
    )
    lock_members(session, instance, accounts)
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
    model = User if principal_type == USER else Group
    stmt = select(model.seq).where(
        model.identity_store_id == identity_store_id, model.id == principal_id
    )
    locked = (
        stmt.with_for_update() if exclusive else stmt.with_for_update(read=True, key_share=True)
    )
    return session.scalar(locked) is not None


def store_id_of(session: Session, instance: Instance) -> str:
    store_id = session.scalar(
        select(IdentityStore.id).where(IdentityStore.instance_id == instance.id)
    )
    assert store_id is not None  # an instance always has its identity store
    return store_id
