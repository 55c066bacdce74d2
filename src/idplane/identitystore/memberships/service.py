"""Group memberships of an identity store, one function per SDK method.

A user is in a group at most once (409 IIC.1257, enforced by a unique constraint) and in at
most 1,000 groups: counted under a row lock on the user, so concurrent additions cannot
overshoot it and a concurrent deletion of the user cannot leave a membership behind. Adding or
removing a member changes the group (its version, the SCIM ETag); the group is locked before
the user, the order the SCIM endpoint takes them in. Both
lists are keyset-paged on `(group_id, seq)` / `(user_id, seq)`.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from idplane.identitystore.directory.service import DirectoryService, actor, by_id
from idplane.identitystore.memberships.tables import GroupMembership
from idplane.instances.errors import duplicate, not_found, quota_exceeded
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.db import is_unique_violation
from idplane.platform.paging import Page, PageRequest, keyset_page


class MembershipService:
    def __init__(self, directory: DirectoryService):
        self.directory = directory
        self.gate = directory.gate

    def create_group_membership(
        self, caller: Caller, identity_store_id: str, group_id: str, user_id: str
    ) -> GroupMembership:
        action = "IdentityCenter:groupMembership:create"
        try:
            with self.gate.store_unit(caller, action, identity_store_id, write=True) as (
                session,
                scope,
            ):
                group = self.directory.group(session, scope.id, group_id, lock=True)
                # A duplicate answers before the user is locked: deleting a member locks the
                # user, then its groups, and must not meet us holding the group, waiting.
                if self._member(session, group_id, user_id):
                    raise duplicate(f"user {user_id} is already a member of group {group_id}")
                self.directory.user(session, scope.id, user_id, lock=True)
                self._check_room(session, user_id)
                self.directory.members_changed(group, actor(caller))
                membership = GroupMembership(
                    id=ids.uuid_str(),
                    identity_store_id=scope.id,
                    group_id=group_id,
                    user_id=user_id,
                    created_at=now(),
                    created_by=actor(caller),
                )
                session.add(membership)
                session.flush()
                return membership
        except IntegrityError as error:
            if is_unique_violation(error):
                raise duplicate(f"user {user_id} is already a member of group {group_id}") from None
            # The group went away between our read and our insert.
            raise not_found("group", group_id) from None

    def describe_group_membership(
        self, caller: Caller, identity_store_id: str, membership_id: str
    ) -> GroupMembership:
        with self.gate.store_unit(
            caller, "IdentityCenter:groupMembership:get", identity_store_id
        ) as (session, scope):
            membership = by_id(session, GroupMembership, scope.id, membership_id)
            if membership is None:
                raise not_found("membership", membership_id)
            return membership

    def get_group_membership_id(
        self, caller: Caller, identity_store_id: str, group_id: str, user_id: str
    ) -> str:
        with self.gate.store_unit(
            caller, "IdentityCenter:groupMembership:getMembershipId", identity_store_id
        ) as (session, scope):
            found = session.execute(
                select(GroupMembership.id, GroupMembership.identity_store_id).where(
                    GroupMembership.group_id == group_id, GroupMembership.user_id == user_id
                )
            ).first()
            if found is None or found.identity_store_id != scope.id:
                raise not_found("membership", f"of user {user_id} in group {group_id}")
            return found.id

    def is_member_in_groups(
        self, caller: Caller, identity_store_id: str, user_id: str, group_ids: list[str]
    ) -> list[tuple[str, bool]]:
        """For each group asked (in order, once), whether the user is in it; a group the store
        does not have simply has no members."""
        with self.gate.store_unit(
            caller, "IdentityCenter:groupMembership:isMemberInGroups", identity_store_id
        ) as (session, scope):
            self.directory.user(session, scope.id, user_id)
            wanted = list(dict.fromkeys(group_ids))
            member_of = set(
                session.scalars(
                    select(GroupMembership.group_id).where(
                        GroupMembership.user_id == user_id,
                        GroupMembership.group_id.in_(wanted),
                    )
                )
            )
            return [(group_id, group_id in member_of) for group_id in wanted]

    def list_group_memberships(
        self,
        caller: Caller,
        identity_store_id: str,
        group_id: str,
        paging: PageRequest,
    ) -> Page:
        with self.gate.store_unit(
            caller, "IdentityCenter:groupMembership:list", identity_store_id
        ) as (session, scope):
            self.directory.group(session, scope.id, group_id)
            stmt = select(GroupMembership).where(GroupMembership.group_id == group_id)
            return keyset_page(session, stmt, GroupMembership.seq, paging)

    def list_group_memberships_for_member(
        self,
        caller: Caller,
        identity_store_id: str,
        user_id: str,
        paging: PageRequest,
    ) -> Page:
        with self.gate.store_unit(
            caller, "IdentityCenter:groupMembership:listForMember", identity_store_id
        ) as (session, scope):
            self.directory.user(session, scope.id, user_id)
            stmt = select(GroupMembership).where(GroupMembership.user_id == user_id)
            return keyset_page(session, stmt, GroupMembership.seq, paging)

    def delete_group_membership(
        self, caller: Caller, identity_store_id: str, membership_id: str
    ) -> None:
        with self.gate.store_unit(
            caller, "IdentityCenter:groupMembership:delete", identity_store_id, write=True
        ) as (session, scope):
            membership = by_id(session, GroupMembership, scope.id, membership_id)
            if membership is None:
                raise not_found("membership", membership_id)
            # Lock the group first: the order SCIM takes locks in, so the APIs never deadlock.
            group = self.directory.group(session, scope.id, membership.group_id, lock=True)
            session.execute(delete(GroupMembership).where(GroupMembership.id == membership_id))
            self.directory.members_changed(group, actor(caller))
            self.directory.members_removed(session, scope.id, group.id, [membership.user_id])

    @staticmethod
    def _member(session, group_id: str, user_id: str) -> bool:
        stmt = select(GroupMembership.seq).where(
            GroupMembership.group_id == group_id, GroupMembership.user_id == user_id
        )
        return session.scalar(stmt) is not None

    def _check_room(self, session, user_id: str) -> None:
        quota = self.directory.quotas.groups_per_user
        count = session.scalar(
            select(func.count())
            .select_from(GroupMembership)
            .where(GroupMembership.user_id == user_id)
        )
        if (count or 0) >= quota:
            raise quota_exceeded(f"user {user_id} is already in the maximum of {quota} groups")
