"""Huawei's extensions around an identity provider: its OpenID Connect configuration
(`/v3.0/OS-FEDERATION/identity-providers/{idp_id}/openid-connect-config`) and the SAML metadata
imported for one of its protocols (`/v3-ext/.../protocols/{protocol_id}/metadata`).

Both belong to the identity provider and go when it is deleted; metadata also goes with its
protocol. Importing metadata again replaces it (Huawei: "imported or updated").
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from idplane.federation import oidc, saml
from idplane.federation.naming import not_found
from idplane.federation.protocols import require_protocol
from idplane.federation.providers import require_idp
from idplane.federation.tables import OidcConfig, SamlMetadata
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import iso_z, now
from idplane.platform.db import Store
from idplane.platform.errors import Conflict, Invalid

ACTION = "iam:identityProviders:{}"
OIDC_PROTOCOL = "oidc"


class FederationExtensionService:
    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer

    # OpenID Connect configuration ---------------------------------------------------------

    def create_open_id_connect_config(
        self, caller: Caller, idp_id: str, spec: dict[str, Any]
    ) -> dict[str, Any]:
        self._authorize(caller, "createOpenIDConnectConfig", caller.account_id)
        config = oidc.check_create(spec)
        exists = Conflict(f"Identity provider {idp_id} already has an OpenID Connect config.")
        with self.store.transaction() as session:
            require_idp(session, caller.account_id, idp_id)
            found = session.scalar(_oidc_of(caller.account_id, idp_id))
            if found is not None:
                raise exists
            moment = now()
            session.add(
                OidcConfig(
                    account_id=caller.account_id,
                    idp_id=idp_id,
                    created_at=moment,
                    updated_at=moment,
                    **config,
                )
            )
            try:
                session.flush()
            except IntegrityError:
                raise exists from None
            return config

    def show_open_id_connect_config(self, caller: Caller, idp_id: str) -> dict[str, Any]:
        self._authorize(caller, "getOpenIDConnectConfig", caller.account_id)
        with self.store.read() as session:
            require_idp(session, caller.account_id, idp_id)
            found = session.scalar(_oidc_of(caller.account_id, idp_id))
            if found is None:
                raise not_found("openid connect config", idp_id)
            return _oidc_values(found)

    def update_open_id_connect_config(
        self, caller: Caller, idp_id: str, changes: dict[str, Any]
    ) -> dict[str, Any]:
        self._authorize(caller, "updateOpenIDConnectConfig", caller.account_id)
        with self.store.transaction() as session:
            require_idp(session, caller.account_id, idp_id)
            found = session.scalar(_oidc_of(caller.account_id, idp_id))
            if found is None:
                raise not_found("openid connect config", idp_id)
            config = oidc.check_update(_oidc_values(found), changes)
            for key, value in config.items():
                setattr(found, key, value)
            found.updated_at = now()
            return config

    # SAML metadata ------------------------------------------------------------------------

    def create_metadata(
        self, caller: Caller, idp_id: str, protocol_id: str, body: dict[str, Any]
    ) -> None:
        # The body names the account; naming another one is acting on it (403).
        self._authorize(caller, "createIDPMetadata", body["domain_id"])
        if protocol_id == OIDC_PROTOCOL:
            raise Invalid("SAML metadata cannot be imported for the oidc protocol.", "IAM.0007")
        parsed = saml.parse_idp_metadata(body["metadata"])
        with self.store.transaction() as session:
            require_idp(session, caller.account_id, idp_id)
            require_protocol(session, caller.account_id, idp_id, protocol_id)
            found = session.scalar(_metadata_of(caller.account_id, idp_id, protocol_id))
            if found is None:
                found = SamlMetadata(
                    id=ids.hex32(),
                    account_id=caller.account_id,
                    idp_id=idp_id,
                    protocol_id=protocol_id,
                )
                session.add(found)
            found.entity_id = parsed.entity_id
            found.xaccount_type = body.get("xaccount_type") or ""
            found.data = body["metadata"]
            found.updated_at = now()
            try:
                session.flush()
            except IntegrityError:  # a concurrent import of the same protocol won the race
                raise Conflict("The metadata is being imported by another request.") from None

    def show_metadata(self, caller: Caller, idp_id: str, protocol_id: str) -> dict[str, Any]:
        self._authorize(caller, "getIDPMetadata", caller.account_id)
        with self.store.read() as session:
            require_idp(session, caller.account_id, idp_id)
            require_protocol(session, caller.account_id, idp_id, protocol_id)
            found = session.scalar(_metadata_of(caller.account_id, idp_id, protocol_id))
            if found is None:
                raise not_found("metadata", f"{idp_id}/{protocol_id}")
            return {
                "id": found.id,
                "idp_id": found.idp_id,
                "entity_id": found.entity_id,
                "protocol_id": found.protocol_id,
                "domain_id": found.account_id,
                "xaccount_type": found.xaccount_type,
                "update_time": iso_z(found.updated_at),
                "data": found.data,
            }

    def _authorize(self, caller: Caller, verb: str, account_id: str) -> None:
        self.authorizer.authorize(caller, ACTION.format(verb), account_id=account_id)


def _oidc_of(account_id: str, idp_id: str):
    return select(OidcConfig).where(
        OidcConfig.account_id == account_id, OidcConfig.idp_id == idp_id
    )


def _metadata_of(account_id: str, idp_id: str, protocol_id: str):
    return select(SamlMetadata).where(
        SamlMetadata.account_id == account_id,
        SamlMetadata.idp_id == idp_id,
        SamlMetadata.protocol_id == protocol_id,
    )


def _oidc_values(config: OidcConfig) -> dict[str, Any]:
    return {key: getattr(config, key) for key in oidc.FIELDS}
