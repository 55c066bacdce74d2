"""Account assignments: a user or group of the instance's identity store holds a permission set
of the instance in an account of the instance's organization.

The real API is asynchronous: creating or deleting answers a status object with a
`request_id` to poll. Here the work is done in the request's own transaction, so the status
is SUCCEEDED when it is answered, and it is kept (`identity_center_assignment_operations`) for
`describe_*_status` and `list_*_statuses`. A request that names something that does not
exist is refused before anything is written (404 IIC.1205 for the permission set, 404 IIC.404
for the principal or for an account outside the organization), so no FAILED record is ever
made: FAILED exists in the vocabulary for clients, not in practice.

- Creating an existing assignment succeeds again (a new SUCCEEDED status; the pair stays
  unique by constraint) and, like every creation, provisions the permission set's current
  version to the account.
- Deleting removes the assignment; when it was the last of its permission set in that
  account, the permission set is deprovisioned there. Deleting one that does not exist is 404.
- `disassociate_profile` and the identity store's deletion hook remove every assignment of a
  principal in one statement on the principal index, record one SUCCEEDED deletion status per
  removed assignment, and deprovision what no assignment uses any more: their cost is the
  principal's assignments, whatever the size of the store.

Locks (database row locks, taken in this order so writers never deadlock; "Lock order" in
docs/developing.md): the principal's row in the identity store (KEY SHARE when assigning, so a
concurrent deletion of the principal waits and then its hook sees the new assignment; FOR
UPDATE when removing all its assignments, so no assignment of it appears meanwhile), then the
permission sets' rows (KEY SHARE, in id order: a permission set's deletion takes FOR UPDATE
and so runs before or after, never beside), then the membership rows of the accounts involved
(FOR NO KEY UPDATE, in account order; see `provisioning.lock_members`).
"""

from __future__ import annotations

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.identitycenter.assignments.principals import (
    lock_principal,
    remove_principal,
    store_id_of,
)
from idplane.identitycenter.assignments.records import Grant, record
from idplane.identitycenter.assignments.tables import (
    CREATE,
    DELETE,
    AccountAssignment,
    AssignmentOperation,
)
from idplane.identitycenter.permission_sets.agencies import end_unentitled_sessions
from idplane.identitycenter.permission_sets.provisioning import (
    STATUSES,
    deprovision_unassigned,
    lock_members,
    provision_to,
    require_member,
)
from idplane.identitycenter.permission_sets.service import Quotas, find, find_shared
from idplane.identitycenter.permission_sets.service import not_found as ps_not_found
from idplane.identitycenter.permission_sets.tables import PermissionSet
from idplane.identitystore.directory.service import GROUP
from idplane.instances.errors import invalid, not_found
from idplane.instances.gate import GatedInstance, IdentityCenterGate
from idplane.instances.store_tables import IdentityStore
from idplane.instances.tables import Instance
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.db import Store, rowcount
from idplane.platform.paging import Page, PageRequest, keyset_page


class AssignmentService:
    def __init__(self, store: Store, gate: IdentityCenterGate, quotas: Quotas | None = None):
        self.store = store
        self.gate = gate
        self.quotas = quotas or Quotas()

    def create_account_assignment(
        self, caller: Caller, instance_id: str, grant: Grant
    ) -> AssignmentOperation:
        # A concurrent creation of the same assignment (or first provisioning of the same
        # pair) loses on a unique constraint; the retry then finds the row and succeeds.
        for attempt in range(2):
            try:
                return self._create(caller, instance_id, grant)
            except IntegrityError:
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def delete_account_assignment(
        self, caller: Caller, instance_id: str, grant: Grant
    ) -> AssignmentOperation:
        with self.gate.instance_unit(
            caller, "IdentityCenter:accountAssignment:delete", instance_id, write=True
        ) as (session, instance):
            find(session, instance.id, grant.permission_set_id, share=True)
            lock_members(session, instance, [grant.target_id])
            gone = session.execute(
                delete(AccountAssignment).where(
                    AccountAssignment.instance_id == instance.id,
                    AccountAssignment.account_id == grant.target_id,
                    AccountAssignment.permission_set_id == grant.permission_set_id,
                    AccountAssignment.principal_type == grant.principal_type,
                    AccountAssignment.principal_id == grant.principal_id,
                )
            )
            if rowcount(gone) == 0:
                raise not_found(
                    "account assignment",
                    f"of {grant.permission_set_id} to {grant.principal_type.lower()} "
                    f"{grant.principal_id} in account {grant.target_id}",
                )
            deprovision_unassigned(session, [(grant.permission_set_id, grant.target_id)])
            return record(session, instance.id, DELETE, grant)

    def describe_account_assignment_creation_status(
        self, caller: Caller, instance_id: str, request_id: str
    ) -> AssignmentOperation:
        return self._status(caller, instance_id, CREATE, request_id)

    def describe_account_assignment_deletion_status(
        self, caller: Caller, instance_id: str, request_id: str
    ) -> AssignmentOperation:
        return self._status(caller, instance_id, DELETE, request_id)

    def list_account_assignment_creation_status(
        self, caller: Caller, instance_id: str, paging: PageRequest, status: str | None
    ) -> Page:
        return self._statuses(caller, instance_id, CREATE, paging, status)

    def list_account_assignment_deletion_status(
        self, caller: Caller, instance_id: str, paging: PageRequest, status: str | None
    ) -> Page:
        return self._statuses(caller, instance_id, DELETE, paging, status)

    def list_account_assignments(
        self,
        caller: Caller,
        instance_id: str,
        account_id: str,
        permission_set_id: str | None,
        paging: PageRequest,
    ) -> Page:
        with self.gate.instance_unit(
            caller, "IdentityCenter:accountAssignment:list", instance_id
        ) as (session, instance):
            stmt = select(AccountAssignment).where(
                AccountAssignment.account_id == account_id,
                AccountAssignment.instance_id == instance.id,
            )
            if permission_set_id:
                stmt = stmt.where(AccountAssignment.permission_set_id == permission_set_id)
            return keyset_page(session, stmt, AccountAssignment.seq, paging)

    def list_account_assignments_for_principal(
        self,
        caller: Caller,
        instance_id: str,
        principal_type: str,
        principal_id: str,
        account_id: str | None,
        paging: PageRequest,
    ) -> Page:
        with self.gate.instance_unit(
            caller, "IdentityCenter:accountAssignment:listForPrincipal", instance_id
        ) as (session, instance):
            stmt = select(AccountAssignment).where(
                AccountAssignment.instance_id == instance.id,
                AccountAssignment.principal_type == principal_type,
                AccountAssignment.principal_id == principal_id,
            )
            if account_id:
                stmt = stmt.where(AccountAssignment.account_id == account_id)
            return keyset_page(session, stmt, AccountAssignment.seq, paging)

    def disassociate_profile(
        self,
        caller: Caller,
        instance_id: str,
        accessor_type: str,
        principal_id: str,
        identity_store_id: str,
    ) -> int:
        """Removes every account assignment of the user or group in the instance; how many."""
        with self.gate.instance_unit(
            caller, "IdentityCenter:accountAssignment:disassociateProfile", instance_id, write=True
        ) as (session, instance):
            if identity_store_id != store_id_of(session, instance):
                raise invalid(
                    f"identity_store_id {identity_store_id} is not the identity store of "
                    f"instance {instance.id}"
                )
            return remove_principal(session, instance, accessor_type, principal_id)

    def on_principal_deleted(
        self, session: Session, identity_store_id: str, principal_type: str, principal_id: str
    ) -> None:
        """The identity store's deletion hook: the principal's assignments go with it. The
        deletion holds the principal's row (FOR UPDATE), so none appears meanwhile: one that
        holds none (most) costs one lookup."""
        values = {"store_id": identity_store_id, "type": principal_type, "id": principal_id}
        connection = session.connection()
        if connection.execute(_ANY_ASSIGNMENT, values).first() is None:
            return
        row = connection.execute(_INSTANCE_OF_STORE, {"store_id": identity_store_id}).first()
        if row is not None:
            instance = GatedInstance(*row)
            remove_principal(session, instance, principal_type, principal_id, identity_store_id)

    def on_members_removed(
        self, session: Session, identity_store_id: str, group_id: str, user_ids: list[str]
    ) -> None:
        """The identity store's hook for users leaving a group: the keys they got through the
        group's assignments stop at once (their portal sessions in those agencies end, in the
        transaction that removed them), unless another assignment still grants the same."""
        instance_id = session.scalar(
            select(IdentityStore.instance_id).where(IdentityStore.id == identity_store_id)
        )
        pairs = session.execute(
            select(AccountAssignment.permission_set_id, AccountAssignment.account_id)
            .where(
                AccountAssignment.instance_id == instance_id,
                AccountAssignment.principal_type == GROUP,
                AccountAssignment.principal_id == group_id,
            )
            .distinct()
        ).tuples()
        end_unentitled_sessions(session, pairs, user_ids)

    # Internals ----------------------------------------------------------------------------

    def _create(self, caller: Caller, instance_id: str, grant: Grant) -> AssignmentOperation:
        with self.gate.instance_unit(
            caller, "IdentityCenter:accountAssignment:create", instance_id, write=True
        ) as (session, instance):
            _require_set(session, instance.id, grant.permission_set_id)  # its 404 comes first
            store_id = store_id_of(session, instance)
            if not lock_principal(session, store_id, grant.principal_type, grant.principal_id):
                raise not_found(grant.principal_type.lower(), grant.principal_id)
            permission_set = find_shared(session, instance.id, grant.permission_set_id)
            require_member(session, instance, grant.target_id)
            if not _exists(session, grant):
                row = {
                    "instance_id": instance.id,
                    "account_id": grant.target_id,
                    "permission_set_id": permission_set.id,
                    "principal_type": grant.principal_type,
                    "principal_id": grant.principal_id,
                    "created_at": now(),
                }
                session.connection().execute(_ASSIGN, row)  # one Core INSERT: no ORM flush
            provision_to(session, instance, permission_set, grant.target_id, self.quotas)
            return record(session, instance.id, CREATE, grant)

    def _status(self, caller, instance_id, operation, request_id) -> AssignmentOperation:
        verb = "describeCreationStatus" if operation == CREATE else "describeDeletionStatus"
        with self.gate.instance_unit(
            caller, f"IdentityCenter:accountAssignment:{verb}", instance_id
        ) as (session, instance):
            found = session.scalar(
                select(AssignmentOperation).where(
                    AssignmentOperation.id == request_id,
                    AssignmentOperation.instance_id == instance.id,
                    AssignmentOperation.operation == operation,
                )
            )
            if found is None:
                raise not_found("request", request_id)
            return found

    def _statuses(self, caller, instance_id, operation, paging: PageRequest, status) -> Page:
        if status and status not in STATUSES:
            raise invalid(f"status must be one of {', '.join(STATUSES)}")
        verb = "listCreationStatus" if operation == CREATE else "listDeletionStatus"
        with self.gate.instance_unit(
            caller, f"IdentityCenter:accountAssignment:{verb}", instance_id
        ) as (session, instance):
            stmt = select(AssignmentOperation).where(
                AssignmentOperation.instance_id == instance.id,
                AssignmentOperation.operation == operation,
            )
            if status:
                stmt = stmt.where(AssignmentOperation.status == status)
            return keyset_page(session, stmt, AssignmentOperation.seq, paging)


# Built once: every deletion of a user or group runs them.
_INSTANCE_OF_STORE = (
    select(Instance.id, Instance.organization_id, Instance.account_id)
    .join(IdentityStore, IdentityStore.instance_id == Instance.id)
    .where(IdentityStore.id == bindparam("store_id"))
)
_ANY_ASSIGNMENT = (
    select(AccountAssignment.seq)
    .join(IdentityStore, IdentityStore.instance_id == AccountAssignment.instance_id)
    .where(
        IdentityStore.id == bindparam("store_id"),
        AccountAssignment.principal_type == bindparam("type"),
        AccountAssignment.principal_id == bindparam("id"),
    )
    .limit(1)
)


def _exists(session: Session, grant: Grant) -> bool:
    values = {
        "account": grant.target_id,
        "ps": grant.permission_set_id,
        "type": grant.principal_type,
        "id": grant.principal_id,
    }
    return session.connection().scalar(_ASSIGNED, values) is not None


def _require_set(session: Session, instance_id: str, permission_set_id: str) -> None:
    """404 for a permission set the instance has not (unlocked: see the lock order above)."""
    values = {"instance_id": instance_id, "id": permission_set_id}
    if session.connection().scalar(_SET_EXISTS, values) is None:
        raise ps_not_found(permission_set_id)


# Built once: every account assignment runs them.
_ASSIGN = insert(AccountAssignment.__table__)  # type: ignore[arg-type]
_ASSIGNED = select(AccountAssignment.seq).where(
    AccountAssignment.account_id == bindparam("account"),
    AccountAssignment.permission_set_id == bindparam("ps"),
    AccountAssignment.principal_type == bindparam("type"),
    AccountAssignment.principal_id == bindparam("id"),
)
_SET_EXISTS = select(PermissionSet.seq).where(
    PermissionSet.instance_id == bindparam("instance_id"), PermissionSet.id == bindparam("id")
)
