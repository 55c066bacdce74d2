"""What users, groups and memberships share, and what other services ask of the directory.

- `scope()`: every operation starts here, inside its one transaction: the Identity Center gate
  (management account or delegated administrator of the organization that owns the identity
  store; 403 IIC.1215 otherwise, 404 for another organization's store).
- `principal_exists()`: Identity Center asks it before assigning a permission set or an
  application to a user or group.
- `delete_principal()`: the only way a user or group is deleted. It calls every
  `on_principal_deleted(session, identity_store_id, principal_type, principal_id)` hook inside
  the caller's transaction first, so later features (account assignments, application
  assignments, SCIM) remove what they keep about the principal atomically with it; the
  principal's memberships and external ids go by ON DELETE CASCADE. A hook that raises aborts
  the whole deletion.
- quotas: counted under a row lock on the identity store (PostgreSQL `SELECT ... FOR UPDATE`;
  SQLite writers are serialized anyway), so concurrent creators cannot overshoot them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from idplane.identitycenter.gate import IdentityCenterGate
from idplane.identitystore.directory.errors import invalid, not_found, quota_exceeded
from idplane.identitystore.groups.tables import Group
from idplane.identitystore.tables import IdentityStore
from idplane.identitystore.users.tables import User
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.db import Store

USER = "USER"
GROUP = "GROUP"
PRINCIPAL_TYPES = (USER, GROUP)

PrincipalDeleted = Callable[[Session, str, str, str], None]


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

    def add_principal_deleted_hook(self, hook: PrincipalDeleted) -> None:
        """For a service that needs the directory to be built first (it calls
        `principal_exists`) and must also hear of deletions."""
        self._on_principal_deleted.append(hook)

    # Questions other services ask, inside their own transaction ------------------------------

    def principal_exists(
        self, session: Session, identity_store_id: str, principal_type: str, principal_id: str
    ) -> bool:
        model = _model(principal_type)
        stmt = select(model.seq).where(
            model.identity_store_id == identity_store_id, model.id == principal_id
        )
        return session.scalar(stmt) is not None

    def delete_principal(
        self, session: Session, identity_store_id: str, principal_type: str, principal_id: str
    ) -> None:
        """Deletes a user or group (404 when the store has none of that id), after every hook."""
        model = _model(principal_type)
        if not self.principal_exists(session, identity_store_id, principal_type, principal_id):
            raise not_found(principal_type.lower(), principal_id)
        for hook in self._on_principal_deleted:
            hook(session, identity_store_id, principal_type, principal_id)
        session.execute(
            delete(model).where(
                model.identity_store_id == identity_store_id, model.id == principal_id
            )
        )

    # What users, groups and memberships share ------------------------------------------------

    def scope(
        self, session: Session, caller: Caller, action: str, identity_store_id: str
    ) -> IdentityStore:
        identity_store, _instance = self.gate.identity_store(
            session, caller, action, identity_store_id
        )
        return identity_store

    def user(self, session: Session, identity_store_id: str, user_id: str, *, lock=False) -> User:
        stmt = select(User).where(User.identity_store_id == identity_store_id, User.id == user_id)
        user = session.scalar(stmt.with_for_update() if lock else stmt)
        if user is None:
            raise not_found("user", user_id)
        return user

    def group(
        self, session: Session, identity_store_id: str, group_id: str, *, lock=False
    ) -> Group:
        stmt = select(Group).where(
            Group.identity_store_id == identity_store_id, Group.id == group_id
        )
        # FOR NO KEY UPDATE: memberships referencing the group can still be inserted.
        group = session.scalar(stmt.with_for_update(key_share=True) if lock else stmt)
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

    def reserve(self, session: Session, identity_store_id: str, principal_type: str) -> None:
        """Room for one more user or group, or 400: counted under the identity store's lock."""
        session.execute(
            select(IdentityStore.seq).where(IdentityStore.id == identity_store_id).with_for_update()
        )
        quota = self._quota(principal_type)
        if self._surely_below(session, identity_store_id, principal_type, quota):
            return
        if self._count(session, identity_store_id, principal_type) >= quota:
            kind = "users" if principal_type == USER else "groups"
            raise quota_exceeded(f"the identity store already holds the maximum of {quota} {kind}")

    def get_identity_store_summary(self, caller: Caller, identity_store_id: str) -> Summary:
        action = "IdentityCenter:identityStore:getSummary"
        with self.store.read() as session:
            identity_store = self.scope(session, caller, action, identity_store_id)
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
    def _surely_below(session: Session, identity_store_id: str, principal_type: str, quota: int):
        """The store's rows lie between its lowest and highest `seq`, so fewer than `quota` of
        them when that span is shorter: two index probes instead of a count of up to 100,000
        rows on every creation. (Separate queries: SQLite optimizes a lone min() or max().)"""
        model = _model(principal_type)
        in_store = model.identity_store_id == identity_store_id
        low = session.scalar(select(func.min(model.seq)).where(in_store))
        high = session.scalar(select(func.max(model.seq)).where(in_store))
        return low is None or high - low + 1 < quota

    @staticmethod
    def _count(session: Session, identity_store_id: str, principal_type: str) -> int:
        model = _model(principal_type)
        stmt = (
            select(func.count())
            .select_from(model)
            .where(model.identity_store_id == identity_store_id)
        )
        return session.scalar(stmt) or 0


def _model(principal_type: str) -> type[User] | type[Group]:
    if principal_type == USER:
        return User
    if principal_type == GROUP:
        return Group
    raise invalid(f"principal_type must be one of {', '.join(PRINCIPAL_TYPES)}")
