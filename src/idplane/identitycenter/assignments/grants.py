"""What an Identity Store user is assigned: the accounts and permission sets of their account
assignments, made to them directly or to a group they belong to. The portal reads it at every
request, and provisioning reads it to end sessions no grant covers any more, so an assignment,
membership, user or permission set that goes away takes the access with it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from idplane.iam.tables import Account
from idplane.identitycenter.assignments.tables import AccountAssignment
from idplane.identitycenter.permission_sets.tables import PermissionSet
from idplane.identitystore.memberships.tables import GroupMembership
from idplane.instances.store_tables import IdentityStore
from idplane.organizations.tables import Member


@dataclass(frozen=True)
class Grant:
    account_id: str
    account_name: str
    email_address: str | None
    permission_set_id: str
    permission_set_name: str
    description: str | None
    session_duration: str


def assigned(session: Session, identity_store_id: str, user_id: str) -> list[Grant]:
    """Every (account, permission set) the user may use, once each, by account then name."""
    groups = select(GroupMembership.group_id).where(GroupMembership.user_id == user_id)
    instance_id = select(IdentityStore.instance_id).where(IdentityStore.id == identity_store_id)
    rows = session.execute(
        select(AccountAssignment.account_id, Account.name, Member.email, PermissionSet)
        .join(PermissionSet, PermissionSet.id == AccountAssignment.permission_set_id)
        .join(Account, Account.id == AccountAssignment.account_id)
        .join(Member, Member.account_id == AccountAssignment.account_id)
        .where(
            AccountAssignment.instance_id == instance_id.scalar_subquery(),
            or_(
                and_(
                    AccountAssignment.principal_type == "USER",
                    AccountAssignment.principal_id == user_id,
                ),
                and_(
                    AccountAssignment.principal_type == "GROUP",
                    AccountAssignment.principal_id.in_(groups),
                ),
            ),
        )
        .order_by(Account.name, PermissionSet.name)
    ).all()
    seen: dict[tuple[str, str], Grant] = {}
    for account_id, account_name, email, permission_set in rows:
        seen.setdefault(
            (account_id, permission_set.id),
            Grant(
                account_id=account_id,
                account_name=account_name,
                email_address=email,
                permission_set_id=permission_set.id,
                permission_set_name=permission_set.name,
                description=permission_set.description,
                session_duration=permission_set.session_duration,
            ),
        )
    return list(seen.values())
