"""Identity providers (`/v3/OS-FEDERATION/identity_providers`): Keystone's API with Huawei's
`sso_type`, quota and per-account names.

Choices (see docs/api/federation.md): ids are unique per account; a provider created without
`domain_id` gets a domain of its own (Keystone 30, federation/domains.py), one created with it
names the account or one of the account's providers' domains; `remote_ids` are unique across
the deployment.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.federation import domains
from idplane.federation.assume import end_sessions_of
from idplane.federation.naming import check_new_id, not_found
from idplane.federation.records import Listing, ProviderRecord
from idplane.federation.tables import (
    IAM_USER_SSO,
    IDP_QUOTA,
    VIRTUAL_USER_SSO,
    FederatedUser,
    FederationAccount,
    IdentityProvider,
    OidcConfig,
    Protocol,
    RemoteId,
    SamlMetadata,
)
from idplane.iam.tables import Token, User
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.db import Store, rowcount
from idplane.platform.errors import Conflict, Invalid, QuotaExceeded
from idplane.platform.paging import PageRequest, keyset_page

SSO_TYPES = (VIRTUAL_USER_SSO, IAM_USER_SSO)
ACTION = "iam:identityProviders:{}"


class IdentityProviderService:
    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer

    def keystone_create_identity_provider(
        self, caller: Caller, idp_id: str, spec: dict[str, Any]
    ) -> ProviderRecord:
        self._authorize(caller, "createIdentityProvider")
        check_new_id("identity provider", idp_id)
        sso_type = spec.get("sso_type") or VIRTUAL_USER_SSO
        if sso_type not in SSO_TYPES:
            raise Invalid(f"sso_type must be one of {', '.join(SSO_TYPES)}.", "IAM.0007")
        remote_ids = _unique_remote_ids(spec.get("remote_ids"))
        with self.store.transaction() as session:
            if _find(session, caller.account_id, idp_id) is not None:
                raise _exists(idp_id)
            _take_quota(session, caller.account_id, sso_type)
            if spec.get("domain_id"):
                domain_id = domains.own_domain(session, caller.account_id, spec["domain_id"])
            else:  # Keystone: a domain of its own for the provider's federated users
                domain_id = domains.create_idp_domain(session, caller.account_id, idp_id)
            moment = now()
            idp = IdentityProvider(
                account_id=caller.account_id,
                id=idp_id,
                sso_type=sso_type,
                description=spec.get("description") or "",
                enabled=bool(spec.get("enabled", False)),
                authorization_ttl=spec.get("authorization_ttl"),
                domain_id=domain_id,
                created_at=moment,
                updated_at=moment,
            )
            _flush_or(session, idp, _exists(idp_id))
            _set_remote_ids(session, idp, remote_ids)
            return _record(idp, remote_ids)

    def keystone_show_identity_provider(self, caller: Caller, idp_id: str) -> ProviderRecord:
        self._authorize(caller, "getIdentityProvider")
        with self.store.read() as session:
            idp = require_idp(session, caller.account_id, idp_id)
            return _record(idp, _remote_ids(session, caller.account_id, [idp_id])[idp_id])

    def keystone_list_identity_providers(
        self, caller: Caller, page: PageRequest, idp_id: str | None, enabled: bool | None
    ) -> Listing:
        self._authorize(caller, "listIdentityProviders")
        stmt = select(IdentityProvider).where(IdentityProvider.account_id == caller.account_id)
        if idp_id is not None:
            stmt = stmt.where(IdentityProvider.id == idp_id)
        if enabled is not None:
            stmt = stmt.where(IdentityProvider.enabled.is_(enabled))
        with self.store.read() as session:
            found = keyset_page(session, stmt, IdentityProvider.seq, page)
            remote = _remote_ids(session, caller.account_id, [idp.id for idp in found.rows])
            items = [_record(idp, remote[idp.id]) for idp in found.rows]
            return Listing(items, found.next_marker)

    def keystone_update_identity_provider(
        self, caller: Caller, idp_id: str, changes: dict[str, Any]
    ) -> ProviderRecord:
        self._authorize(caller, "updateIdentityProvider")
        remote_ids = _unique_remote_ids(changes.get("remote_ids"))
        with self.store.transaction() as session:
            idp = require_idp(session, caller.account_id, idp_id)
            if changes.get("sso_type") not in (None, idp.sso_type):
                raise Invalid("sso_type of an identity provider cannot be changed.", "IAM.0007")
            if "description" in changes:
                idp.description = changes["description"] or ""
            if "enabled" in changes:
                idp.enabled = changes["enabled"]
            if "authorization_ttl" in changes:
                idp.authorization_ttl = changes["authorization_ttl"]
            idp.updated_at = now()
            if "remote_ids" in changes:
                _set_remote_ids(session, idp, remote_ids)
            else:
                remote_ids = _remote_ids(session, caller.account_id, [idp_id])[idp_id]
            return _record(idp, remote_ids)

    def keystone_delete_identity_provider(self, caller: Caller, idp_id: str) -> None:
        """Removes the provider with its remote ids, protocols, OIDC configuration and SAML
        metadata, and revokes every token issued through it; its mappings stay."""
        self._authorize(caller, "deleteIdentityProvider")
        with self.store.transaction() as session:
            require_idp(session, caller.account_id, idp_id)
            delete_idp_rows(session, caller.account_id, idp_id)

    def _authorize(self, caller: Caller, verb: str) -> None:
        self.authorizer.authorize(caller, ACTION.format(verb), account_id=caller.account_id)


def delete_idp_rows(session: Session, account_id: str, idp_id: str) -> None:
    """Deletes one provider with everything that goes with it and revokes its tokens, in the
    caller's transaction (provider deletion, and deletion of the provider's domain). Its
    federated users' shadow IAM users go too (IAM users it merely signs in, iam_user_sso,
    stay), and so do the agency sessions its users opened (assume_agency_with_oidc)."""
    shadows = select(FederatedUser.user_id).where(
        FederatedUser.account_id == account_id, FederatedUser.idp_id == idp_id
    )
    session.execute(
        delete(User).where(User.id.in_(shadows)).execution_options(synchronize_session=False)
    )
    # The foreign keys cascade these too; deleting them first keeps the provider's row the
    # last one touched, so a concurrent delete of the same provider loses on it (rowcount 0).
    for table in (SamlMetadata, OidcConfig, Protocol, RemoteId):
        session.execute(delete(table).where(table.account_id == account_id, table.idp_id == idp_id))
    gone = session.execute(
        delete(IdentityProvider).where(
            IdentityProvider.account_id == account_id, IdentityProvider.id == idp_id
        )
    )
    if rowcount(gone) != 1:  # a concurrent delete won: give back no second quota slot
        raise not_found("identity provider", idp_id)
    session.execute(
        update(Token)
        .where(Token.account_id == account_id, Token.identity_provider_id == idp_id)
        .values(revoked=True)
    )
    session.execute(
        update(FederationAccount)
        .where(FederationAccount.account_id == account_id)
        .values(idp_count=FederationAccount.idp_count - 1)
    )
    end_sessions_of(session, account_id, idp_id)


def require_idp(session: Session, account_id: str, idp_id: str) -> IdentityProvider:
    idp = _find(session, account_id, idp_id)
    if idp is None:
        raise not_found("identity provider", idp_id)
    return idp


def _find(session: Session, account_id: str, idp_id: str) -> IdentityProvider | None:
    return session.scalar(
        select(IdentityProvider).where(
            IdentityProvider.account_id == account_id, IdentityProvider.id == idp_id
        )
    )


def _take_quota(session: Session, account_id: str, sso_type: str) -> None:
    """Counts the new provider against the account's quota and sso_type rules in one
    conditional UPDATE of the account's row, which concurrent creators serialise on."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(FederationAccount)
        .values(account_id=account_id, sso_type=sso_type, idp_count=0)
        .on_conflict_do_nothing(index_elements=["account_id"])
    )
    row = FederationAccount
    # An empty account takes any type; otherwise only more of the same, and never a second
    # iam_user_sso provider.
    compatible = row.idp_count == 0
    if sso_type != IAM_USER_SSO:
        compatible = compatible | (row.sso_type == sso_type)
    taken = session.execute(
        update(row)
        .where(row.account_id == account_id, row.idp_count < IDP_QUOTA, compatible)
        .values(idp_count=row.idp_count + 1, sso_type=sso_type)
        .execution_options(synchronize_session=False)
    )
    if rowcount(taken) == 1:
        return
    current = session.execute(
        select(row).where(row.account_id == account_id).execution_options(populate_existing=True)
    ).scalar_one()
    if current.idp_count >= IDP_QUOTA:
        raise QuotaExceeded(
            f"The number of identity providers has reached the maximum allowed ({IDP_QUOTA})."
        )
    if current.sso_type == IAM_USER_SSO == sso_type:
        raise Invalid("An account can have at most one iam_user_sso identity provider.")
    raise Invalid(
        f"This account's identity providers are {current.sso_type}; virtual_user_sso and "
        "iam_user_sso identity providers cannot coexist in one account."
    )


def _unique_remote_ids(values: list[str] | None) -> list[str]:
    values = values or []
    if len(set(values)) != len(values):
        raise Invalid("remote_ids must not repeat a value.", "IAM.0007")
    if any(not 1 <= len(value) <= 255 for value in values):
        raise Invalid("Each remote id must be 1 to 255 characters long.", "IAM.0007")
    return values


def _set_remote_ids(session: Session, idp: IdentityProvider, values: list[str]) -> None:
    session.execute(
        delete(RemoteId).where(RemoteId.account_id == idp.account_id, RemoteId.idp_id == idp.id)
    )
    rows = [
        RemoteId(remote_id=value, account_id=idp.account_id, idp_id=idp.id, position=index)
        for index, value in enumerate(values)
    ]
    if rows:
        _flush_or(
            session,
            rows,
            Conflict("Duplicate remote ID: a remote id is already used by an identity provider."),
        )


def _remote_ids(session: Session, account_id: str, idp_ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {idp_id: [] for idp_id in idp_ids}
    if idp_ids:
        rows = session.scalars(
            select(RemoteId)
            .where(RemoteId.account_id == account_id, RemoteId.idp_id.in_(idp_ids))
            .order_by(RemoteId.idp_id, RemoteId.position)
        )
        for row in rows:
            found[row.idp_id].append(row.remote_id)
    return found


def _flush_or(session: Session, rows: Any, error: Exception) -> None:
    """Adds rows and flushes; a unique violation becomes `error` (the transaction is then
    rolled back as the error leaves it)."""
    session.add_all(rows if isinstance(rows, list) else [rows])
    try:
        session.flush()
    except IntegrityError:
        raise error from None


def _exists(idp_id: str) -> Conflict:
    return Conflict(f"Duplicate entry: identity provider {idp_id} already exists.")


def _record(idp: IdentityProvider, remote_ids: list[str]) -> ProviderRecord:
    return ProviderRecord(
        id=idp.id,
        sso_type=idp.sso_type or VIRTUAL_USER_SSO,
        description=idp.description,
        enabled=idp.enabled,
        remote_ids=list(remote_ids),
        domain_id=idp.domain_id or idp.account_id,
        authorization_ttl=idp.authorization_ttl,
    )
