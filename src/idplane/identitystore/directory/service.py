"""What users, groups and memberships share, and what other services ask of the directory.

- every operation starts with the gate's unit of work (`gate.store_unit`): one transaction
  behind the Identity Center gate (management account or delegated administrator of the
  organization that owns the identity store; 403 IIC.1215 otherwise, 404 for another
  organization's store).
- `principal_exists()`: Identity Center asks it before assigning a permission set or an
  application to a user or group.
- `delete_principal()`: the only way a user or group is deleted. It calls every
  `on_principal_deleted(session, identity_store_id, principal_type, principal_id)` hook inside
  the caller's transaction first, so later features (account assignments, application
  assignments, SCIM) remove what they keep about the principal atomically with it; the
  principal's memberships and external ids go by ON DELETE CASCADE. A hook that raises aborts
  the whole deletion.
- `members_removed()`: called by whatever ends memberships (the Identity Store API, SCIM) in
  its transaction; its hooks (Identity Center) end what the users held through the group.
- quotas: users and groups per store are taken from the store's `DirectoryCounts` row in one
  conditional UPDATE (made on the store's first creation from a count of its rows), so
  concurrent creators cannot overshoot them and a creation costs the same in an empty and in
  a full store; groups per user are counted under a lock on the user.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from idplane.identitystore.directory.tables import DirectoryCounts
from idplane.identitystore.groups.tables import Group
from idplane.identitystore.memberships.tables import GroupMembership
from idplane.identitystore.users.tables import User
from idplane.instances.errors import invalid, not_found, quota_exceeded
from idplane.instances.gate import IdentityCenterGate
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.db import Store, rowcount

USER = "USER"
GROUP = "GROUP"
PRINCIPAL_TYPES = (USER, GROUP)

PrincipalDeleted = Callable[[Session, str, str, str], None]
# (session, identity_store_id, group_id, user_ids) after the users left the group.
MembersRemoved = Callable[[Session, str, str, list[str]], None]


@dataclass(frozen=True)
class Quotas:
    """The documented defaults (users and groups per store are adjustable by the real service)."""

    users_per_store: int = 100_000
    groups_per_store: int = 100_000
    groups_per_user: int = 1_000


@dataclass(frozen=True)
class Summary:
    users: int
    users_quota: int
    groups: int
    groups_quota: int


def actor(caller: Caller) -> str:
    """What `created_by`/`updated_by` record: the IAM user that made the call."""
    return caller.user_id or caller.account_id


class DirectoryService:
    def __init__(
        self,
        store: Store,
        gate: IdentityCenterGate,
        on_principal_deleted: Iterable[PrincipalDeleted] = (),
        quotas: Quotas | None = None,
    ):
        self.store = store
        self.gate = gate
        self.quotas = quotas or Quotas()
        self._on_principal_deleted: list[PrincipalDeleted] = list(on_principal_deleted)
        self._on_members_removed: list[MembersRemoved] = []

    def add_principal_deleted_hook(self, hook: PrincipalDeleted) -> None:
        """For a service that needs the directory to be built first (it calls
        `principal_exists`) and must also hear of deletions."""
        self._on_principal_deleted.append(hook)

    def add_members_removed_hook(self, hook: MembersRemoved) -> None:
        """For a service that keeps something a user holds through a group (Identity Center's
        portal sessions in the group's assigned agencies): it hears of users leaving a group."""
        self._on_members_removed.append(hook)

    def members_removed(
        self, session: Session, identity_store_id: str, group_id: str, user_ids: list[str]
    ) -> None:
        """Every way a membership ends (the Identity Store API, SCIM) calls this in its
        transaction, after deleting the rows; a hook that raises aborts the change."""
        if user_ids:
            for hook in self._on_members_removed:
                hook(session, identity_store_id, group_id, user_ids)

    # Questions other services ask, inside their own transaction ------------------------------

    def principal_exists(
        self,
        session: Session,
        identity_store_id: str,
        principal_type: str,
        principal_id: str,
        *,
        lock: bool = False,
    ) -> bool:
        """`lock=True` (for a service about to record something about the principal) holds a
        share lock on its row until the transaction ends (PostgreSQL `FOR SHARE`): a concurrent
        `delete_principal` then waits, and its hooks see what this transaction recorded."""
        model = _model(principal_type)
        stmt = select(model.identity_store_id).where(model.id == principal_id)
        owner = session.scalar(stmt.with_for_update(read=True) if lock else stmt)
        return owner == identity_store_id

    def delete_principal(
        self, session: Session, identity_store_id: str, principal_type: str, principal_id: str
    ) -> None:
        """Deletes a user or group (404 when the store has none of that id), after every hook.
        The principal's row is locked first (`FOR UPDATE`), so a writer that took it with
        `principal_exists(lock=True)` has committed before the hooks look.

        Lock order, for every deletion: identity store rows first (the principal, then a user's
        groups, which its leaving changes), and only then, in the hooks, the organization's
        membership rows (`provisioning.lock_members`). A user's deletion that reached those
        rows before its groups deadlocked with the deletion of one of the groups."""
        model = _model(principal_type)
        # Built-once statements on the connection: the ORM's execution path would annotate
        # each DELETE afresh (a new cache key per call) and synchronise an identity map that
        # holds none of these rows.
        connection = session.connection()
        owner = connection.scalar(_deletion_statements(model)[0], {"id": principal_id})
        if owner != identity_store_id:
            raise not_found(principal_type.lower(), principal_id)
        if principal_type == USER:
            lock_groups_of(session, principal_id)
        for hook in self._on_principal_deleted:
            hook(session, identity_store_id, principal_type, principal_id)
        session.flush()  # whatever a hook changed through the ORM goes before the row
        connection.execute(_deletion_statements(model)[1], {"id": principal_id})
        connection.execute(_count_change(principal_type, -1), {"store_id": identity_store_id})

    # What users, groups and memberships share ------------------------------------------------

    def user(self, session: Session, identity_store_id: str, user_id: str, *, lock=False) -> User:
        user = by_id(session, User, identity_store_id, user_id, lock)
        if user is None:
            raise not_found("user", user_id)
        return user

    def group(
        self, session: Session, identity_store_id: str, group_id: str, *, lock=False
    ) -> Group:
        # Looked up by id alone (see `by_id`); when locking, FOR NO KEY UPDATE so memberships
        # referencing the group can still be inserted.
        stmt = select(Group).where(Group.id == group_id)
        found = session.scalar(stmt.with_for_update(key_share=True) if lock else stmt)
        group = (
            found if found is not None and found.identity_store_id == identity_store_id else None
        )
        if group is None:
            raise not_found("group", group_id)
        return group

    @staticmethod
    def members_changed(group: Group, who: str) -> None:
        """A group's members are part of its SCIM representation: its `version` (the SCIM
        ETag) and `updated_at` move with them. Lock the group before its members' users (the
        order SCIM takes them in, so the two APIs never deadlock on PostgreSQL)."""
        group.version = (group.version or 0) + 1
        group.updated_at = now()
        group.updated_by = who

    def reserve(
        self,
        session: Session,
        identity_store_id: str,
        principal_type: str,
        *,
        written: bool = False,
    ) -> None:
        """Room for one more user or group, or 400 at the quota: taken in the store's counts
        row, whose row lock also orders concurrent creators. `written`: the caller has already
        flushed the new row (SCIM takes the counts row last), so the first count of a store
        includes it and must not be added to again (it was, and the counts ran one over)."""
        column = _counted(principal_type)
        quota = self._quota(principal_type)
        for _attempt in range(3):
            taken = session.connection().execute(
                _count_change(principal_type, 1), {"store_id": identity_store_id, "quota": quota}
            )
            if rowcount(taken) == 1:
                return
            held = session.scalar(
                select(column).where(DirectoryCounts.identity_store_id == identity_store_id)
            )
            if held is None:
                if self._start_counting(session, identity_store_id) and written:
                    counted = session.scalar(
                        select(column).where(DirectoryCounts.identity_store_id == identity_store_id)
                    )
                    if (counted or 0) <= quota:
                        return
                    break
            elif held >= quota:
                break  # the store is full
            # else a concurrent first creator made the row after our UPDATE looked: try again
        kind = "users" if principal_type == USER else "groups"
        raise quota_exceeded(f"the identity store already holds the maximum of {quota} {kind}")

    @staticmethod
    def recount(session: Session, identity_store_id: str) -> None:
        """Sets the store's counts to what it holds: for whoever wrote users or groups around
        this service (bulk loads). `DirectoryService.recount(session, identity_store_id)`."""
        values = DirectoryService._actual_counts(identity_store_id)
        statement = _upsert_dialect(session).insert(DirectoryCounts).values(**values)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[DirectoryCounts.identity_store_id],
                set_={"users": statement.excluded.users, "groups": statement.excluded.groups},
            )
        )

    def _start_counting(self, session: Session, identity_store_id: str) -> bool:
        """Creates the store's counts row from a count of its rows, unless it exists by now (a
        concurrent first creator made it, and its count must stand); whether it made it."""
        statement = _upsert_dialect(session).insert(DirectoryCounts)
        made = session.execute(  # RETURNING: an ORM insert's rowcount is -1 on PostgreSQL
            statement.values(**self._actual_counts(identity_store_id))
            .on_conflict_do_nothing(index_elements=[DirectoryCounts.identity_store_id])
            .returning(DirectoryCounts.identity_store_id)
        )
        return made.first() is not None

    @staticmethod
    def _actual_counts(identity_store_id: str) -> dict[str, Any]:
        def count(model: Any) -> Any:
            where = model.identity_store_id == identity_store_id
            return select(func.count()).select_from(model).where(where).scalar_subquery()

        return {
            "identity_store_id": identity_store_id,
            "users": count(User),
            "groups": count(Group),
        }

    def get_identity_store_summary(self, caller: Caller, identity_store_id: str) -> Summary:
        action = "IdentityCenter:identityStore:getSummary"
        with self.gate.store_unit(caller, action, identity_store_id) as (session, identity_store):
            return Summary(
                users=self._count(session, identity_store.id, USER),
                users_quota=self.quotas.users_per_store,
                groups=self._count(session, identity_store.id, GROUP),
                groups_quota=self.quotas.groups_per_store,
            )

    def _quota(self, principal_type: str) -> int:
        if principal_type == USER:
            return self.quotas.users_per_store
        return self.quotas.groups_per_store

    @staticmethod
    def _count(session: Session, identity_store_id: str, principal_type: str) -> int:
        model = _model(principal_type)
        stmt = (
            select(func.count())
            .select_from(model)
            .where(model.identity_store_id == identity_store_id)
        )
        return session.scalar(stmt) or 0


def by_id(session: Session, model: Any, identity_store_id: str, row_id: str, lock=False) -> Any:
    """The row with that public id if it belongs to the store, else None. Looked up by id alone
    so the planner can only use the id's unique index (with stale statistics, PostgreSQL was
    seen scanning `(identity_store_id, seq)` instead); another store's row is as unknown as a
    missing one."""
    row = session.scalar(_by_id_statement(model, lock), {"row_id": row_id})
    return row if row is not None and row.identity_store_id == identity_store_id else None


@functools.cache
def _by_id_statement(model: Any, lock: bool) -> Any:
    # Built once per model (building a select cost more than running it).
    stmt = select(model).where(model.id == bindparam("row_id"))
    return stmt.with_for_update() if lock else stmt


@functools.cache
def _count_change(principal_type: str, step: int) -> Any:
    """The UPDATE that moves the store's count of users or groups by `step` (+1 while under
    `:quota`, -1 while above 0): built once, on the table (no counts row is ever loaded as an
    object, so there is nothing for the ORM to synchronise)."""
    table = cast(Table, DirectoryCounts.__table__)
    column = table.c[_counted(principal_type).key]
    room = column < bindparam("quota") if step > 0 else column > 0
    return (
        update(table)
        .where(table.c.identity_store_id == bindparam("store_id"), room)
        .values({column: column + step})
    )


def _counted(principal_type: str) -> Any:
    return DirectoryCounts.users if _model(principal_type) is User else DirectoryCounts.groups


def _upsert_dialect(session: Session) -> Any:
    return postgresql if session.get_bind().dialect.name == "postgresql" else sqlite


def _model(principal_type: str) -> type[User] | type[Group]:
    if principal_type == USER:
        return User
    if principal_type == GROUP:
        return Group
    raise invalid(f"principal_type must be one of {', '.join(PRINCIPAL_TYPES)}")


def lock_groups_of(session: Session, user_id: str) -> list[str]:
    """The ids of the groups a user is in, their rows locked in id order (FOR NO KEY UPDATE,
    as the SCIM hook that then bumps their versions takes them)."""
    return list(session.connection().scalars(_LOCK_GROUPS_OF, {"user_id": user_id}))


# Built once: every deletion of a user runs it.
_LOCK_GROUPS_OF = (
    select(Group.id)
    .where(
        Group.id.in_(
            select(GroupMembership.group_id).where(GroupMembership.user_id == bindparam("user_id"))
        )
    )
    .order_by(Group.id)
    .with_for_update(key_share=True)
)


@functools.cache
def _deletion_statements(model: Any) -> tuple[Any, Any]:
    """The principal's owner, locked FOR UPDATE, and its DELETE: built once per model."""
    return (
        select(model.identity_store_id).where(model.id == bindparam("id")).with_for_update(),
        delete(model).where(model.id == bindparam("id")),
    )
