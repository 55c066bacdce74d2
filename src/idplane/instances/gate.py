"""The rule every Identity Center and Identity Store operation starts with.

The real service documents it on every API: "can be called only from the organization's
management account or from a delegated administrator account". So a request passes when

1. the caller's IAM identity may perform the action (`IdentityCenter:<resource>:<verb>`; root
   users always may, in their own account; otherwise 403 IIC.1000), and
2. the caller's account is the management account of the organization that owns the
   instance, or is registered as delegated administrator for `service.IdentityCenter`
   (otherwise 403 IIC.1215).

The registration is read from the store inside the request's own transaction every time:
there is no cache, so deregistering a delegate (or removing the account, or disabling the
trusted service) takes its access away on its next request.

Every operation opens its unit of work here, so the check and the work share one transaction:
`with gate.instance_unit(caller, action, instance_id, write=True) as (session, instance):`
(also `organization_unit` and `store_unit`). What they yield are the few columns callers read
(`GatedOrganization`, `GatedInstance`, `GatedStore`), read with one statement: the caller's
organization, whether the caller is its delegated administrator, and the instance or store
asked for. A caller that changes the row loads it itself (`store_unit(lock=True)` yields the
locked `IdentityStore`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Literal, NamedTuple, overload

from sqlalchemy import Row, and_, bindparam, select
from sqlalchemy.orm import Session

from idplane.instances.errors import not_found
from idplane.instances.store_tables import IdentityStore
from idplane.instances.tables import Instance, instance_urn
from idplane.organizations import membership
from idplane.organizations.tables import DelegatedAdministrator, Member, Organization
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.db import Store
from idplane.platform.errors import Forbidden

IDENTITY_CENTER = membership.IDENTITY_CENTER
NOT_ADMIN_CODE = "IIC.1215"
NOT_ADMIN = (
    "only organizations administrator account can operate,"
    "please log in to the administrator account!"
)
POLICY_DENIED = "IIC.1000"


class GatedOrganization(NamedTuple):
    """The caller's organization, as far as Identity Center reads it."""

    id: str
    management_account_id: str


class GatedInstance(NamedTuple):
    """The instance the gate let the caller act on (columns only: not an ORM object)."""

    id: str
    organization_id: str
    account_id: str

    @property
    def urn(self) -> str:
        return instance_urn(self.id)


class GatedStore(NamedTuple):
    """The identity store the gate let the caller act on (columns only: not an ORM object)."""

    id: str
    instance_id: str
    account_id: str


# Every operation runs one of these: built once (building one cost more than running it).
# The caller's organization (through its membership row) and whether the caller is registered
# as its delegated administrator for Identity Center, in one statement.
_DELEGATED = (
    select(DelegatedAdministrator.seq)
    .where(
        DelegatedAdministrator.organization_id == Organization.id,
        DelegatedAdministrator.account_id == Member.account_id,
        DelegatedAdministrator.service_principal == IDENTITY_CENTER,
    )
    .exists()
)
_ORGANIZATION = (
    select(Organization.id, Organization.management_account_id, _DELEGATED)
    .join(Member, Member.organization_id == Organization.id)
    .where(Member.account_id == bindparam("account_id"))
)
# The same, and the organization's instance of that id (NULLs for any other id).
_INSTANCE = _ORGANIZATION.add_columns(
    Instance.id, Instance.organization_id, Instance.account_id
).outerjoin(
    Instance,
    and_(Instance.organization_id == Organization.id, Instance.id == bindparam("instance_id")),
)
# The same, and the identity store of that id of the organization's instance (one instance
# per organization, so the outer joins give one row).
_IDENTITY_STORE = (
    _ORGANIZATION.add_columns(IdentityStore.id, IdentityStore.instance_id, IdentityStore.account_id)
    .outerjoin(Instance, Instance.organization_id == Organization.id)
    .outerjoin(
        IdentityStore,
        and_(IdentityStore.instance_id == Instance.id, IdentityStore.id == bindparam("store_id")),
    )
)
_LOCK_STORE = (
    select(IdentityStore)
    .where(IdentityStore.id == bindparam("store_id"))
    .with_for_update()
    .execution_options(populate_existing=True)
)


def not_admin() -> Forbidden:
    return Forbidden(NOT_ADMIN, NOT_ADMIN_CODE)


class IdentityCenterGate:
    """Resolves what a request may act on, after checking who is asking."""

    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer

    # Units of work: one transaction (`write=True`) or read session, opened after the check ----

    @contextmanager
    def organization_unit(
        self, caller: Caller, action: str, *, write: bool = False, management_only: bool = False
    ) -> Iterator[tuple[Session, GatedOrganization]]:
        with self._session(write) as session:
            yield (
                session,
                self.organization(session, caller, action, management_only=management_only),
            )

    @contextmanager
    def instance_unit(
        self,
        caller: Caller,
        action: str,
        instance_id: str,
        *,
        write: bool = False,
        management_only: bool = False,
    ) -> Iterator[tuple[Session, GatedInstance]]:
        with self._session(write) as session:
            yield (
                session,
                self.instance(
                    session, caller, action, instance_id, management_only=management_only
                ),
            )

    @overload
    def store_unit(
        self,
        caller: Caller,
        action: str,
        identity_store_id: str,
        *,
        write: bool = False,
        lock: Literal[False] = False,
    ) -> AbstractContextManager[tuple[Session, GatedStore]]: ...

    @overload
    def store_unit(
        self,
        caller: Caller,
        action: str,
        identity_store_id: str,
        *,
        write: bool = False,
        lock: Literal[True],
    ) -> AbstractContextManager[tuple[Session, IdentityStore]]: ...

    def store_unit(
        self,
        caller: Caller,
        action: str,
        identity_store_id: str,
        *,
        write: bool = False,
        lock: bool = False,
    ) -> AbstractContextManager[tuple[Session, GatedStore | IdentityStore]]:
        """`lock`: hold the store's row until commit (PostgreSQL `FOR UPDATE`), for changes
        that must run one after another per store; the unit then yields the row's
        `IdentityStore`, which the caller may change."""
        return self._store_unit(caller, action, identity_store_id, write, lock)

    @contextmanager
    def _store_unit(
        self, caller: Caller, action: str, identity_store_id: str, write: bool, lock: bool
    ) -> Iterator[tuple[Session, GatedStore | IdentityStore]]:
        with self._session(write) as session:
            store = self.identity_store(session, caller, action, identity_store_id)
            yield session, (self._locked(session, store) if lock else store)

    @contextmanager
    def _session(self, write: bool) -> Iterator[Session]:
        with self.store.transaction() if write else self.store.read() as session:
            yield session

    @staticmethod
    def _locked(session: Session, store: GatedStore) -> IdentityStore:
        locked = session.scalar(_LOCK_STORE, {"store_id": store.id})
        if locked is None:  # deleted by a concurrent request since the gate read it
            raise not_found("identity store", store.id)
        return locked

    # Checks inside a session the caller already holds -----------------------------------------

    def authorize(self, caller: Caller, action: str) -> None:
        self.authorizer.authorize(caller, action, account_id=caller.account_id, code=POLICY_DENIED)

    def organization(
        self, session: Session, caller: Caller, action: str, *, management_only: bool = False
    ) -> GatedOrganization:
        """The organization the caller administers for Identity Center (only as its management
        account when `management_only`: starting, deleting, choosing the region)."""
        self.authorize(caller, action)
        row = session.connection().execute(_ORGANIZATION, {"account_id": caller.account_id}).first()
        row = _administered(row, caller, management_only)
        return GatedOrganization(row[0], row[1])

    def instance(
        self,
        session: Session,
        caller: Caller,
        action: str,
        instance_id: str,
        *,
        management_only: bool = False,
    ) -> GatedInstance:
        """The caller's organization's instance with that id; 404 IIC.404 for any other id, so
        other organizations' instances are never confirmed to exist."""
        self.authorize(caller, action)
        values = {"account_id": caller.account_id, "instance_id": instance_id}
        row = session.connection().execute(_INSTANCE, values).first()
        row = _administered(row, caller, management_only)
        if row[3] is None:
            raise not_found("instance", instance_id)
        return GatedInstance(row[3], row[4], row[5])

    def organization_instance(
        self, session: Session, organization: GatedOrganization
    ) -> Instance | None:
        return session.scalar(select(Instance).where(Instance.organization_id == organization.id))

    def identity_store(
        self, session: Session, caller: Caller, action: str, identity_store_id: str
    ) -> GatedStore:
        """The identity store of the caller's organization's instance with that id."""
        self.authorize(caller, action)
        values = {"account_id": caller.account_id, "store_id": identity_store_id}
        row = session.connection().execute(_IDENTITY_STORE, values).first()
        row = _administered(row, caller, False)
        if row[3] is None:
            raise not_found("identity store", identity_store_id)
        return GatedStore(row[3], row[4], row[5])


def _administered(row: Row | None, caller: Caller, management_only: bool) -> Row:
    """A gate statement's row (its first three columns: the caller's organization, its
    management account, and whether the caller is its delegated administrator), if the caller
    administers that organization: as its management account, or (unless `management_only`)
    as its delegated administrator; 403 IIC.1215 otherwise, also for an account in no
    organization."""
    if row is None:
        raise not_admin()
    if row[1] == caller.account_id:
        return row
    if management_only or not row[2]:
        raise not_admin()
    return row
