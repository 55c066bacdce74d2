"""User groups of an account and their members.

Every account has the default group `admin` (root user as member, Tenant Administrator and
Security Administrator on the account); it cannot be deleted or renamed, its grants cannot be
revoked and the root user cannot leave it. Deleting a group removes its memberships and grants.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.iam.groups.tables import ADMIN_GROUP, Group, GroupMember
from idplane.iam.permissions.tables import DOMAIN, GroupRole
from idplane.iam.roles.catalog import system_roles
from idplane.iam.tables import User
from idplane.iam.users.service import user_in
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.db import Store
from idplane.platform.errors import Conflict, Forbidden, Invalid, NotFound, QuotaExceeded

MAX_GROUPS_PER_USER = 10  # the real service's fixed quota
ADMIN_ROLES = ("te_admin", "secu_admin")


class GroupService:
    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer

    def _authorize(self, caller: Caller, verb: str, account_id: str | None = None) -> None:
        self.authorizer.authorize(
            caller, f"iam:groups:{verb}", account_id=account_id or caller.account_id
        )

    def create_group(
        self, caller: Caller, name: str, description: str | None, domain_id: str | None
    ) -> Group:
        self._authorize(caller, "createGroup", domain_id)
        _check_name(name)
        group = Group(
            id=ids.hex32(),
            account_id=caller.account_id,
            name=name,
            description=description or "",
            created_at=now(),
        )
        with self.store.transaction() as session:
            session.add(group)
            _flush_unique(session, name)
            return group

    def show_group(self, caller: Caller, group_id: str) -> Group:
        self._authorize(caller, "getGroup")
        with self.store.read() as session:
            return group_in(session, caller.account_id, group_id)

    def list_groups(self, caller: Caller, domain_id: str | None, name: str | None) -> list[Group]:
        self._authorize(caller, "listGroups", domain_id)
        with self.store.read() as session:
            stmt = select(Group).where(Group.account_id == caller.account_id)
            if name is not None:
                stmt = stmt.where(Group.name == name)
            return list(session.scalars(stmt.order_by(Group.seq)))

    def update_group(self, caller: Caller, group_id: str, changes: dict) -> Group:
        self._authorize(caller, "updateGroup", changes.get("domain_id"))
        with self.store.transaction() as session:
            group = group_in(session, caller.account_id, group_id)
            name = changes.get("name")
            if name is not None and name != group.name:
                _check_name(name)
                if group.name == ADMIN_GROUP:
                    raise Forbidden("The default group admin cannot be renamed.")
                group.name = name
            if "description" in changes:
                group.description = changes["description"] or ""
            _flush_unique(session, group.name)
            return group

    def delete_group(self, caller: Caller, group_id: str) -> None:
        self._authorize(caller, "deleteGroup")
        with self.store.transaction() as session:
            group = group_in(session, caller.account_id, group_id)
            if group.name == ADMIN_GROUP:
                raise Forbidden("The default group admin cannot be deleted.")
            session.delete(group)

    def list_users_for_group(self, caller: Caller, group_id: str) -> list[User]:
        self._authorize(caller, "listUsersForGroup")
        with self.store.read() as session:
            group_in(session, caller.account_id, group_id)
            stmt = (
                select(User)
                .join(GroupMember, GroupMember.user_id == User.id)
                .where(GroupMember.group_id == group_id)
                .order_by(User.seq)
            )
            return list(session.scalars(stmt))

    def check_user_in_group(self, caller: Caller, group_id: str, user_id: str) -> None:
        self._authorize(caller, "checkUserInGroup")
        with self.store.read() as session:
            group_in(session, caller.account_id, group_id)
            if session.get(GroupMember, (group_id, user_id)) is None:
                raise NotFound(f"Could not find user {user_id} in group {group_id}.")

    def add_user_to_group(self, caller: Caller, group_id: str, user_id: str) -> None:
        self._authorize(caller, "addUserToGroup")
        with self.store.transaction() as session:
            group_in(session, caller.account_id, group_id)
            # Locks the user row, so concurrent additions count each other (quota below).
            user = session.scalar(
                select(User)
                .where(User.id == user_id, User.account_id == caller.account_id)
                .with_for_update()
            )
            if user is None:
                raise NotFound(f"Could not find user: {user_id}.")
            if session.get(GroupMember, (group_id, user_id)) is not None:
                return  # PUT is idempotent
            count = (
                session.scalar(
                    select(func.count())
                    .select_from(GroupMember)
                    .where(GroupMember.user_id == user_id)
                )
                or 0
            )
            if count >= MAX_GROUPS_PER_USER:
                raise QuotaExceeded(
                    f"A user can belong to at most {MAX_GROUPS_PER_USER} groups.", "IAM.0007"
                )
            session.add(GroupMember(group_id=group_id, user_id=user_id, created_at=now()))

    def remove_user_from_group(self, caller: Caller, group_id: str, user_id: str) -> None:
        self._authorize(caller, "removeUserFromGroup")
        with self.store.transaction() as session:
            group = group_in(session, caller.account_id, group_id)
            member = session.get(GroupMember, (group_id, user_id))
            if member is None:
                raise NotFound(f"Could not find user {user_id} in group {group_id}.")
            if group.name == ADMIN_GROUP and user_in(session, caller.account_id, user_id).is_root:
                raise Forbidden("The account administrator cannot leave the group admin.")
            session.delete(member)


def group_in(session: Session, account_id: str, group_id: str) -> Group:
    group = session.scalar(
        select(Group).where(Group.id == group_id, Group.account_id == account_id)
    )
    if group is None:
        raise NotFound(f"Could not find group: {group_id}.")
    return group


def create_default_group_in(session: Session, account_id: str, root_user_id: str) -> Group:
    """The group `admin` of a new account (Huawei makes it with every account)."""
    moment = now()
    group = Group(
        id=ids.hex32(),
        account_id=account_id,
        name=ADMIN_GROUP,
        description="Default group with all permissions, including IAM.",
        created_at=moment,
    )
    session.add(group)
    session.flush()
    session.add(GroupMember(group_id=group.id, user_id=root_user_id, created_at=moment))
    for name in ADMIN_ROLES:
        role = system_roles().named(name)
        session.add(
            GroupRole(
                account_id=account_id,
                group_id=group.id,
                role_id=role.id,
                scope=DOMAIN,
                created_at=moment,
            )
        )
    session.flush()
    return group


def _check_name(name: str) -> None:
    if not name or len(name) > 128:
        raise Invalid("The group name must have 1 to 128 characters.", "IAM.0007")


def _flush_unique(session: Session, name: str) -> None:
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"A group named {name} already exists.") from None
