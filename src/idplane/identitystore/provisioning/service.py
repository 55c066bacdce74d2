"""Automatic provisioning of an identity store: its SCIM provisioning tenant, the tenant's
bearer tokens, and the check the SCIM endpoint makes on every request (`authenticate_bearer`).

Every management operation passes the Identity Center gate first (management account or
delegated administrator of the organization owning the store; 403 IIC.1215 otherwise) and only
ever sees tenants of that store, so another store's tenant is "not found" (404 IIC.404).

Limits are constraints, not count-then-insert: one tenant per store (unique
`identity_store_id`), two tokens per tenant (unique `(tenant_id, slot)` over slots 1 and 2).
Deleting a tenant revokes its tokens in the same transaction (ON DELETE CASCADE); users and
groups it provisioned stay in the store.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.identitystore.provisioning.tables import (
    TOKEN_SLOTS,
    ProvisioningTenant,
    ScimBearerToken,
)
from idplane.instances.errors import invalid, not_found
from idplane.instances.gate import IdentityCenterGate
from idplane.instances.store_tables import IdentityStore
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import as_utc, now
from idplane.platform.crypto import constant_time_equal, token_digest
from idplane.platform.db import Store, is_unique_violation, rowcount
from idplane.platform.errors import NotFound, QuotaExceeded, Unauthenticated

_UUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
SCIM = "SCIM"
TOKEN_LIFETIME = timedelta(days=365)
TOKEN_BYTES = 64  # 86 url-safe characters
_ACTION = "IdentityCenter:externalIdp:"
_BAD_TOKEN = "The bearer token is missing, invalid, expired or revoked."
T = TypeVar("T")


@dataclass(frozen=True)
class TenantView:
    tenant_id: str
    created_at: datetime
    scim_endpoint: str


@dataclass(frozen=True)
class TokenView:
    token_id: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class IssuedToken(TokenView):
    token: str  # the secret: shown in the create response only, never stored


@dataclass(frozen=True)
class ScimTenant:
    """Who a SCIM request acts for, once its bearer token checked out."""

    tenant_id: str
    identity_store_id: str
    account_id: str


class ScimProvisioningService:
    def __init__(self, store: Store, gate: IdentityCenterGate, endpoint: str):
        self.store = store
        self.gate = gate
        self.endpoint = endpoint.rstrip("/")

    # Provisioning tenants ---------------------------------------------------------------

    def create_provisioning_tenant(self, caller: Caller, identity_store_id: str) -> TenantView:
        action = _ACTION + "createProvisioningTenant"
        try:
            with self.gate.store_unit(caller, action, identity_store_id, write=True, lock=True) as (
                session,
                store,
            ):
                if self._tenant_of(session, store.id) is not None:
                    raise _one_tenant(store.id)
                tenant = ProvisioningTenant(
                    id=ids.uuid_str(), identity_store_id=store.id, created_at=now()
                )
                session.add(tenant)
                session.flush()
                store.provisioning_type = _with_scim(store.provisioning_type)
                return self._tenant_view(tenant)
        except IntegrityError as error:
            if is_unique_violation(error):
                raise _one_tenant(identity_store_id) from None
            raise _store_not_found(identity_store_id) from None

    def list_provisioning_tenants(self, caller: Caller, identity_store_id: str) -> list[TenantView]:
        with self.gate.store_unit(
            caller, _ACTION + "listProvisioningTenants", identity_store_id
        ) as (session, store):
            tenant = self._tenant_of(session, store.id)
            return [] if tenant is None else [self._tenant_view(tenant)]

    def delete_provisioning_tenant(
        self, caller: Caller, identity_store_id: str, tenant_id: str
    ) -> None:
        tenant_id = _uuid(tenant_id, "tenant_id")
        action = _ACTION + "deleteProvisioningTenant"
        # The store's row is locked until commit: tenant creation and deletion of one store
        # (and their provisioning_type updates) run one after another.
        with self.gate.store_unit(caller, action, identity_store_id, write=True, lock=True) as (
            session,
            store,
        ):
            gone = session.execute(
                delete(ProvisioningTenant).where(
                    ProvisioningTenant.id == tenant_id,
                    ProvisioningTenant.identity_store_id == store.id,
                )
            )
            if rowcount(gone) == 0:
                raise _tenant_not_found(tenant_id)
            # Its bearer tokens went with it (ON DELETE CASCADE), in this transaction.
            store.provisioning_type = _without_scim(store.provisioning_type)

    # Bearer tokens ----------------------------------------------------------------------

    def create_bearer_token(
        self, caller: Caller, identity_store_id: str, tenant_id: str
    ) -> IssuedToken:
        tenant_id = _uuid(tenant_id, "tenant_id")
        action = _ACTION + "createBearerToken"

        def issue() -> IssuedToken:
            with self._tenant_unit(caller, action, identity_store_id, tenant_id, write=True) as (
                session,
                tenant,
            ):
                used = set(
                    session.scalars(
                        select(ScimBearerToken.slot).where(ScimBearerToken.tenant_id == tenant.id)
                    )
                )
                free = [slot for slot in TOKEN_SLOTS if slot not in used]
                if not free:
                    raise _token_quota(tenant.id)
                return _issue(session, tenant.id, free[0])

        return self._retrying_slot_races(issue, tenant_id)

    def list_bearer_tokens(
        self, caller: Caller, identity_store_id: str, tenant_id: str
    ) -> list[TokenView]:
        tenant_id = _uuid(tenant_id, "tenant_id")
        action = _ACTION + "listBearerTokens"
        with self._tenant_unit(caller, action, identity_store_id, tenant_id) as (session, tenant):
            rows = session.scalars(
                select(ScimBearerToken)
                .where(ScimBearerToken.tenant_id == tenant.id)
                .order_by(ScimBearerToken.slot)
            )
            return [TokenView(row.id, row.created_at, row.expires_at) for row in rows]

    def delete_bearer_token(
        self, caller: Caller, identity_store_id: str, tenant_id: str, token_id: str
    ) -> None:
        tenant_id = _uuid(tenant_id, "tenant_id")
        token_id = _uuid(token_id, "token_id")
        action = _ACTION + "deleteBearerToken"
        with self._tenant_unit(caller, action, identity_store_id, tenant_id, write=True) as (
            session,
            tenant,
        ):
            gone = session.execute(
                delete(ScimBearerToken).where(
                    ScimBearerToken.id == token_id, ScimBearerToken.tenant_id == tenant.id
                )
            )
            if rowcount(gone) == 0:
                raise not_found("bearer token", token_id)

    # SCIM authentication ----------------------------------------------------------------

    def authenticate_bearer(self, tenant_id: str, presented_token: str | None) -> ScimTenant:
        """The tenant a SCIM request at `/{tenant_id}/scim/v2/...` acts for, if its bearer
        token is a live token of that very tenant; 401 otherwise (whatever the reason, so a
        caller learns nothing about which tenants or tokens exist)."""
        if not presented_token or not _UUID.match(tenant_id or ""):
            raise _unauthenticated()
        digest = token_digest(presented_token)
        with self.store.read() as session:
            row = session.execute(
                select(ScimBearerToken, IdentityStore)
                .join(ProvisioningTenant, ProvisioningTenant.id == ScimBearerToken.tenant_id)
                .join(IdentityStore, IdentityStore.id == ProvisioningTenant.identity_store_id)
                .where(ScimBearerToken.digest == digest)
            ).first()
        if row is None:
            raise _unauthenticated()
        token, store = row.ScimBearerToken, row.IdentityStore
        valid = constant_time_equal(token.digest, digest)
        valid &= constant_time_equal(token.tenant_id, tenant_id.lower())
        if not valid or as_utc(token.expires_at) <= now():
            raise _unauthenticated()
        return ScimTenant(token.tenant_id, store.id, store.account_id)

    def hold_tenant(self, session: Session, tenant: ScimTenant) -> None:
        """Inside a SCIM write's transaction: the tenant still exists and cannot be deleted
        until this transaction ends (a share lock on PostgreSQL; SQLite writers are
        serialized), so no SCIM write lands after a tenant deletion committed. 401 otherwise."""
        held = session.scalar(
            select(ProvisioningTenant.seq)
            .where(ProvisioningTenant.id == tenant.tenant_id)
            .with_for_update(read=True)
        )
        if held is None:
            raise _unauthenticated()

    # Internals --------------------------------------------------------------------------

    @contextmanager
    def _tenant_unit(
        self,
        caller: Caller,
        action: str,
        identity_store_id: str,
        tenant_id: str,
        *,
        write: bool = False,
    ) -> Iterator[tuple[Session, ProvisioningTenant]]:
        """The gate's unit of work on the store, and the store's tenant of that id."""
        with self.gate.store_unit(caller, action, identity_store_id, write=write) as (
            session,
            store,
        ):
            tenant = session.scalar(
                select(ProvisioningTenant).where(
                    ProvisioningTenant.id == tenant_id,
                    ProvisioningTenant.identity_store_id == store.id,
                )
            )
            if tenant is None:
                raise _tenant_not_found(tenant_id)
            yield session, tenant

    @staticmethod
    def _tenant_of(session: Session, identity_store_id: str) -> ProvisioningTenant | None:
        return session.scalar(
            select(ProvisioningTenant).where(
                ProvisioningTenant.identity_store_id == identity_store_id
            )
        )

    def _tenant_view(self, tenant: ProvisioningTenant) -> TenantView:
        return TenantView(tenant.id, tenant.created_at, self.scim_endpoint(tenant.id))

    def scim_endpoint(self, tenant_id: str) -> str:
        """Where the tenant's SCIM client sends its requests: this server's SCIM path."""
        return f"{self.endpoint}/{tenant_id}/scim/v2/"

    def _retrying_slot_races(self, work: Callable[[], T], tenant_id: str) -> T:
        """Runs `work` (one transaction of its own) until it stops losing races for a token slot:
        two concurrent creates may pick the same free slot; the loser's insert violates
        (tenant_id, slot) and its retry sees the winner's token (then takes the other slot,
        or meets the quota)."""
        for _attempt in range(len(TOKEN_SLOTS) + 1):
            try:
                return work()
            except IntegrityError as error:
                if not is_unique_violation(error):  # the tenant went away meanwhile
                    raise _tenant_not_found(tenant_id) from None
        raise _token_quota(tenant_id)


def _issue(session: Session, tenant_id: str, slot: int) -> IssuedToken:
    secret = ids.opaque_token(TOKEN_BYTES)
    created = now()
    # The documented examples expire at creation + 365 days, truncated to the second.
    expires = datetime.fromtimestamp(int(created.timestamp()), UTC) + TOKEN_LIFETIME
    token = ScimBearerToken(
        id=ids.uuid_str(),
        tenant_id=tenant_id,
        slot=slot,
        digest=token_digest(secret),
        created_at=created,
        expires_at=expires,
    )
    session.add(token)
    session.flush()
    return IssuedToken(token.id, created, expires, secret)


def _uuid(value: str, name: str) -> str:
    if not _UUID.match(value):
        raise invalid(f"{name} {value!r} is not a valid UUID")
    return value.lower()


def _with_scim(types: list | None) -> list[str]:
    current = list(types or ["MANUAL"])
    return current if SCIM in current else [*current, SCIM]


def _without_scim(types: list | None) -> list[str]:
    return [t for t in (types or []) if t != SCIM] or ["MANUAL"]


def _one_tenant(identity_store_id: str) -> QuotaExceeded:
    return QuotaExceeded(
        f"automatic provisioning is already enabled for identity store "
        f"{identity_store_id}; an identity store has at most one provisioning tenant. "
        "Delete the existing tenant first."
    )


def _token_quota(tenant_id: str) -> QuotaExceeded:
    return QuotaExceeded(
        f"provisioning tenant {tenant_id} already has {len(TOKEN_SLOTS)} bearer "
        "tokens, the most a tenant may have. Delete one before creating another."
    )


def _tenant_not_found(tenant_id: str) -> NotFound:
    return not_found("provisioning tenant", tenant_id)


def _store_not_found(identity_store_id: str) -> NotFound:
    return not_found("identity store", identity_store_id)


def _unauthenticated() -> Unauthenticated:
    return Unauthenticated(_BAD_TOKEN, headers={"WWW-Authenticate": 'Bearer realm="scim"'})
