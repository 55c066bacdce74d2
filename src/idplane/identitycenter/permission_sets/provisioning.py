"""Provisioning: recording that a permission set's current version is deployed to an account.

Provisioning creates (or updates) the permission set's IAM agency in the account, and
deprovisioning deletes it (see `agencies.py`). `provision` (to one account of the
organization, or again to every account it is provisioned to) writes the permission set's
`version` into the provisioning row and answers a status object (`request_id`, SUCCEEDED:
the work is done in the same transaction, but the asynchronous contract of the real API
holds, so clients that poll keep working).

Creating an account assignment provisions implicitly (as on the real services); deleting the
last assignment of a permission set in an account deprovisions it there. An account holds at
most 50 permission sets (the documented quota), counted under its membership row's lock so
concurrent provisioning cannot overshoot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from idplane.identitycenter.assignments.tables import AccountAssignment
from idplane.identitycenter.permission_sets.agencies import (
    agency_exists,
    remove_unprovisioned,
    sync_agency,
)
from idplane.identitycenter.permission_sets.service import PermissionSetRef, Quotas, find
from idplane.identitycenter.permission_sets.tables import (
    PermissionSet,
    Provisioning,
    ProvisioningStatus,
)
from idplane.instances.errors import invalid, not_found, quota_exceeded
from idplane.instances.gate import GatedInstance, IdentityCenterGate
from idplane.organizations.tables import Member
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.db import Store
from idplane.platform.paging import Page, PageRequest, keyset_page

ACCOUNT = "ACCOUNT"
ALL_PROVISIONED_ACCOUNTS = "ALL_PROVISIONED_ACCOUNTS"
LATEST = "LATEST_PERMISSION_SET_PROVISIONED"
OUTDATED = "LATEST_PERMISSION_SET_NOT_PROVISIONED"
SUCCEEDED = "SUCCEEDED"
STATUSES = ("IN_PROGRESS", "FAILED", SUCCEEDED)
_CHUNK = 400


def lock_members(session: Session, instance: GatedInstance, account_ids: Iterable[str]) -> set[str]:
    """Locks the membership rows of those accounts in the instance's organization, in account
    order, and answers which of them are members.

    Every write that changes an account's assignments or provisionings holds its membership
    row first (FOR NO KEY UPDATE: it serializes those writers per account without conflicting
    with the KEY SHARE locks that inserting rows whose foreign key names the membership take),
    so "is this pair still assigned?" and "is it provisioned?" are answered consistently."""
    stmt = (
        select(Member.account_id)
        .where(
            Member.organization_id == instance.organization_id,
            Member.account_id.in_(sorted(set(account_ids))),
        )
        .order_by(Member.account_id)
        .with_for_update(key_share=True)
    )
    return set(session.scalars(stmt))


def require_member(session: Session, instance: GatedInstance, account_id: str) -> None:
    """Locks the account's membership row (see `lock_members`), or 404 for an account outside
    the instance's organization."""
    values = {"organization_id": instance.organization_id, "account_id": account_id}
    if session.connection().scalar(_MEMBER, values) is None:  # `lock_members` for one account
        raise not_found("account", f"{account_id} in the organization")


def provision_to(
    session: Session,
    instance: GatedInstance,
    permission_set: PermissionSet | PermissionSetRef,
    account_id: str,
    quotas: Quotas,
    *,
    force: bool = False,
) -> None:
    """Deploys the permission set's current version to the account, whose membership row the
    caller has locked (`require_member`).

    The agency is built again only when the account holds an older version (every path that
    stamps `provisioned_version` syncs the agency in the same transaction), or the agency is
    gone, or `force` (an explicit ProvisionPermissionSet, which also repairs an agency changed
    through IAM): an assignment of an up-to-date permission set costs two lookups, not the
    agency's rebuild. The stamp never runs ahead of the agency: the version is read before
    the permission set's roles and documents, under the membership lock that serializes the
    account's provisioning writers."""
    connection = session.connection()  # built-once Core statements: no ORM execution path
    values = {"ps": permission_set.id, "account": account_id}
    row = connection.execute(_PROVISIONING, values).first()
    if row is not None:
        current = row.provisioned_version == permission_set.version
        connection.execute(
            _STAMP, {"row_seq": row.seq, "version": permission_set.version, "at": now()}
        )
        if force or not current or not agency_exists(session, permission_set.name, account_id):
            sync_agency(session, _whole(session, instance, permission_set), account_id)
        return
    held = session.scalar(
        select(func.count()).select_from(Provisioning).where(Provisioning.account_id == account_id)
    )
    if (held or 0) >= quotas.permission_sets_per_account:
        raise quota_exceeded(
            f"account {account_id} already holds the maximum of "
            f"{quotas.permission_sets_per_account} permission sets"
        )
    session.add(
        Provisioning(
            instance_id=instance.id,
            permission_set_id=permission_set.id,
            account_id=account_id,
            provisioned_version=permission_set.version,
            provisioned_at=now(),
        )
    )
    session.flush()
    sync_agency(session, _whole(session, instance, permission_set), account_id)


def _whole(
    session: Session, instance: GatedInstance, permission_set: PermissionSet | PermissionSetRef
) -> PermissionSet:
    if isinstance(permission_set, PermissionSet):
        return permission_set
    return find(session, instance.id, permission_set.id)  # the caller holds its share lock


def deprovision_unassigned(session: Session, pairs: Iterable[tuple[str, str]]) -> None:
    """Removes the provisioning of each (permission set, account) pair that no account
    assignment uses any more (the caller holds the accounts' membership locks).

    Pairs are grouped by account or by permission set, whichever makes fewer groups, so one
    statement (per 400 pairs) covers a group: a principal's 100 permission sets in one account
    is one statement, not 100."""
    pairs = set(pairs)
    by_account = len({account for _, account in pairs}) <= len({ps for ps, _ in pairs})
    groups: dict[str, set[str]] = {}
    for permission_set_id, account_id in pairs:
        key, member = (
            (account_id, permission_set_id) if by_account else (permission_set_id, account_id)
        )
        groups.setdefault(key, set()).add(member)
    key_column, member_column = (
        (Provisioning.account_id, Provisioning.permission_set_id)
        if by_account
        else (Provisioning.permission_set_id, Provisioning.account_id)
    )
    still_assigned = (
        select(AccountAssignment.seq)
        .where(
            AccountAssignment.account_id == Provisioning.account_id,
            AccountAssignment.permission_set_id == Provisioning.permission_set_id,
        )
        .exists()
    )
    for key, members in sorted(groups.items()):
        ordered = sorted(members)
        for start in range(0, len(ordered), _CHUNK):
            session.execute(
                delete(Provisioning)
                .where(
                    key_column == key,
                    member_column.in_(ordered[start : start + _CHUNK]),
                    ~still_assigned,
                )
                .execution_options(synchronize_session=False)
            )
    remove_unprovisioned(session, pairs)


@dataclass(frozen=True)
class ProvisionRequest:
    target_type: str
    target_id: str | None


class PermissionSetProvisioningService:
    def __init__(self, store: Store, gate: IdentityCenterGate, quotas: Quotas):
        self.store = store
        self.gate = gate
        self.quotas = quotas

    def provision_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str, target: ProvisionRequest
    ) -> ProvisioningStatus:
        if target.target_type == ACCOUNT and not target.target_id:
            raise invalid("target_id is required when target_type is ACCOUNT")
        with self.gate.instance_unit(
            caller, "IdentityCenter:permissionSet:provision", instance_id, write=True
        ) as (session, instance):
            permission_set = find(session, instance.id, permission_set_id, share=True)
            account_id = None
            if target.target_type == ACCOUNT:
                account_id = target.target_id or ""  # checked above: never empty here
                require_member(session, instance, account_id)
                provision_to(session, instance, permission_set, account_id, self.quotas, force=True)
            else:
                accounts = session.scalars(
                    select(Provisioning.account_id).where(
                        Provisioning.permission_set_id == permission_set.id
                    )
                )
                for member in sorted(lock_members(session, instance, accounts)):
                    provision_to(session, instance, permission_set, member, self.quotas, force=True)
            status = ProvisioningStatus(
                id=ids.uuid_str(),
                instance_id=instance.id,
                permission_set_id=permission_set.id,
                account_id=account_id,
                status=SUCCEEDED,
                created_at=now(),
            )
            session.add(status)
            session.flush()
            return status

    def describe_permission_set_provisioning_status(
        self, caller: Caller, instance_id: str, request_id: str
    ) -> ProvisioningStatus:
        with self.gate.instance_unit(
            caller, "IdentityCenter:permissionSet:describeProvisioningStatus", instance_id
        ) as (session, instance):
            status = session.scalar(
                select(ProvisioningStatus).where(
                    ProvisioningStatus.instance_id == instance.id,
                    ProvisioningStatus.id == request_id,
                )
            )
            if status is None:
                raise not_found("provisioning request", request_id)
            return status

    def list_permission_set_provisioning_status(
        self, caller: Caller, instance_id: str, paging: PageRequest, status: str | None
    ) -> Page:
        _check_status(status)
        with self.gate.instance_unit(
            caller, "IdentityCenter:permissionSet:listProvisioningStatus", instance_id
        ) as (session, instance):
            stmt = select(ProvisioningStatus).where(ProvisioningStatus.instance_id == instance.id)
            if status:
                stmt = stmt.where(ProvisioningStatus.status == status)
            return keyset_page(session, stmt, ProvisioningStatus.seq, paging)

    def list_accounts_for_provisioned_permission_set(
        self, caller: Caller, instance_id: str, permission_set_id: str, paging: PageRequest, state
    ) -> Page:
        _check_state(state)
        with self.gate.instance_unit(
            caller, "IdentityCenter:permissionSet:listProvisionedAccounts", instance_id
        ) as (session, instance):
            permission_set = find(session, instance.id, permission_set_id)
            stmt = select(Provisioning).where(Provisioning.permission_set_id == permission_set.id)
            if state == LATEST:
                stmt = stmt.where(Provisioning.provisioned_version >= permission_set.version)
            elif state == OUTDATED:
                stmt = stmt.where(Provisioning.provisioned_version < permission_set.version)
            return keyset_page(session, stmt, Provisioning.seq, paging)

    def list_permission_sets_provisioned_to_account(
        self, caller: Caller, instance_id: str, account_id: str, paging: PageRequest, state
    ) -> Page:
        _check_state(state)
        with self.gate.instance_unit(
            caller,
            "IdentityCenter:permissionSet:listPermissionSetsProvisionedToAccount",
            instance_id,
        ) as (session, instance):
            stmt = select(Provisioning.seq, Provisioning.permission_set_id).where(
                Provisioning.instance_id == instance.id, Provisioning.account_id == account_id
            )
            if state:
                stmt = stmt.join(PermissionSet, PermissionSet.id == Provisioning.permission_set_id)
                latest = Provisioning.provisioned_version >= PermissionSet.version
                stmt = stmt.where(latest if state == LATEST else ~latest)
            return keyset_page(session, stmt, Provisioning.seq, paging)


# Built once, on the table (no provisioning row is loaded as an object here, so there is
# nothing for the ORM to synchronise): every account assignment runs them.
_PROVISIONINGS = cast(Table, Provisioning.__table__)
_PROVISIONING = select(_PROVISIONINGS.c.seq, _PROVISIONINGS.c.provisioned_version).where(
    _PROVISIONINGS.c.permission_set_id == bindparam("ps"),
    _PROVISIONINGS.c.account_id == bindparam("account"),
)
_STAMP = (
    update(_PROVISIONINGS)
    .where(_PROVISIONINGS.c.seq == bindparam("row_seq"))
    .values(provisioned_version=bindparam("version"), provisioned_at=bindparam("at"))
)
_MEMBER = (
    select(Member.account_id)
    .where(
        Member.organization_id == bindparam("organization_id"),
        Member.account_id == bindparam("account_id"),
    )
    .with_for_update(key_share=True)
)


def _check_status(status: str | None) -> None:
    if status and status not in STATUSES:
        raise invalid(f"status must be one of {', '.join(STATUSES)}")


def _check_state(state: str | None) -> None:
    if state and state not in (LATEST, OUTDATED):
        raise invalid(f"provisioning_status must be {LATEST} or {OUTDATED}")
