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
(also `organization_unit` and `store_unit`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from idplane.instances.errors import not_found
from idplane.instances.store_tables import IdentityStore
from idplane.instances.tables import Instance
from idplane.organizations import membership
from idplane.organizations.tables import Organization
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


# Every operation runs one of these: built once (building one cost more than running it).
_INSTANCE = select(Instance).where(
    Instance.id == bindparam("instance_id"),
    Instance.organization_id == bindparam("organization_id"),
)
_IDENTITY_STORE = (
    select(IdentityStore, Instance)
    .join(Instance, Instance.id == IdentityStore.instance_id)
    .where(
        IdentityStore.id == bindparam("store_id"),
        Instance.organization_id == bindparam("organization_id"),
    )
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
    ) -> Iterator[tuple[Session, Organization]]:
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
    ) -> Iterator[tuple[Session, Instance]]:
        with self._session(write) as session:
            yield (
                session,
                self.instance(
                    session, caller, action, instance_id, management_only=management_only
                ),
            )

    @contextmanager
    def store_unit(
        self,
        caller: Caller,
        action: str,
        identity_store_id: str,
        *,
        write: bool = False,
        lock: bool = False,
    ) -> Iterator[tuple[Session, IdentityStore]]:
        """`lock`: hold the store's row until commit (PostgreSQL `FOR UPDATE`), for changes
        that must run one after another per store."""
        with self._session(write) as session:
            store, _instance = self.identity_store(session, caller, action, identity_store_id)
            yield session, (self._locked(session, store) if lock else store)

    @contextmanager
    def _session(self, write: bool) -> Iterator[Session]:
        with self.store.transaction() if write else self.store.read() as session:
            yield session

    @staticmethod
    def _locked(session: Session, store: IdentityStore) -> IdentityStore:
        locked = session.scalar(
            select(IdentityStore)
            .where(IdentityStore.id == store.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if locked is None:  # deleted by a concurrent request since the gate read it
            raise not_found("identity store", store.id)
        return locked

    # Checks inside a session the caller already holds -----------------------------------------

    def authorize(self, caller: Caller, action: str) -> None:
        self.authorizer.authorize(caller, action, account_id=caller.account_id, code=POLICY_DENIED)

    def organization(
        self, session: Session, caller: Caller, action: str, *, management_only: bool = False
    ) -> Organization:
        """The organization the caller administers for Identity Center (only as its management
        account when `management_only`: starting, deleting, choosing the region)."""
        self.authorize(caller, action)
        organization = membership.organization_of(session, caller.account_id)
        if organization is None:
            raise not_admin()
        if organization.management_account_id == caller.account_id:
            return organization
        if management_only or not membership.is_delegated_administrator(
            session, organization.id, caller.account_id, IDENTITY_CENTER
        ):
            raise not_admin()
        return organization

    def instance(
        self,
        session: Session,
        caller: Caller,
        action: str,
        instance_id: str,
        *,
        management_only: bool = False,
    ) -> Instance:
        """The caller's organization's instance with that id; 404 IIC.404 for any other id, so
        other organizations' instances are never confirmed to exist."""
        organization = self.organization(session, caller, action, management_only=management_only)
        instance = session.scalar(
            _INSTANCE, {"instance_id": instance_id, "organization_id": organization.id}
        )
        if instance is None:
            raise not_found("instance", instance_id)
        return instance

    def organization_instance(
        self, session: Session, organization: Organization
    ) -> Instance | None:
        return session.scalar(select(Instance).where(Instance.organization_id == organization.id))

    def identity_store(
        self, session: Session, caller: Caller, action: str, identity_store_id: str
    ) -> tuple[IdentityStore, Instance]:
        """The identity store of the caller's organization's instance with that id."""
        organization = self.organization(session, caller, action)
        row = session.execute(
            _IDENTITY_STORE, {"store_id": identity_store_id, "organization_id": organization.id}
        ).first()
        if row is None:
            raise not_found("identity store", identity_store_id)
        return row.IdentityStore, row.Instance
