"""Protocols of an identity provider (`.../identity_providers/{idp_id}/protocols/{id}`):
`saml`, `oidc`, or any Keystone protocol id, each naming the mapping applied to assertions.

`mapping_id` must name a mapping of the caller's account (400 otherwise, as Keystone's
"Invalid mapping id"). Huawei's iam_user_sso providers match federated users to IAM users by
external identity instead, so their protocols may go without a mapping.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.federation.mappings import require_mapping
from idplane.federation.naming import check_new_id, not_found
from idplane.federation.providers import require_idp
from idplane.federation.records import Listing, ProtocolRecord
from idplane.federation.tables import IAM_USER_SSO, IdentityProvider, Protocol
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.db import Store
from idplane.platform.errors import ApiError, Conflict, Invalid, NotFound
from idplane.platform.paging import PageRequest, keyset_page


class ProtocolService:
    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer

    def keystone_create_protocol(
        self, caller: Caller, idp_id: str, protocol_id: str, spec: dict[str, Any]
    ) -> ProtocolRecord:
        self._authorize(caller, "createProtocol")
        check_new_id("protocol", protocol_id)
        exists = Conflict(
            f"Duplicate entry: protocol {protocol_id} of identity provider {idp_id} exists."
        )
        with self.store.transaction() as session:
            idp = require_idp(session, caller.account_id, idp_id)
            if _find(session, caller.account_id, idp_id, protocol_id) is not None:
                raise exists
            mapping_id = _usable_mapping(session, idp, spec.get("mapping_id"))
            protocol = Protocol(
                account_id=caller.account_id,
                idp_id=idp_id,
                id=protocol_id,
                mapping_id=mapping_id,
                remote_id_attribute=spec.get("remote_id_attribute"),
                created_at=now(),
            )
            session.add(protocol)
            _flush(session, exists)
            return _record(protocol)

    def keystone_show_protocol(
        self, caller: Caller, idp_id: str, protocol_id: str
    ) -> ProtocolRecord:
        self._authorize(caller, "getProtocol")
        with self.store.read() as session:
            require_idp(session, caller.account_id, idp_id)
            return _record(require_protocol(session, caller.account_id, idp_id, protocol_id))

    def keystone_list_protocols(self, caller: Caller, idp_id: str, page: PageRequest) -> Listing:
        self._authorize(caller, "listProtocols")
        stmt = select(Protocol).where(
            Protocol.account_id == caller.account_id, Protocol.idp_id == idp_id
        )
        with self.store.read() as session:
            # Keystone 30: the protocols of an unknown provider are an empty list, not 404.
            found = keyset_page(session, stmt, Protocol.seq, page)
            return Listing([_record(p) for p in found.rows], found.next_marker)

    def keystone_update_protocol(
        self, caller: Caller, idp_id: str, protocol_id: str, changes: dict[str, Any]
    ) -> ProtocolRecord:
        self._authorize(caller, "updateProtocol")
        with self.store.transaction() as session:
            idp = require_idp(session, caller.account_id, idp_id)
            protocol = require_protocol(session, caller.account_id, idp_id, protocol_id)
            if "mapping_id" in changes:
                protocol.mapping_id = _usable_mapping(session, idp, changes["mapping_id"])
            if changes.get("remote_id_attribute") is not None:
                protocol.remote_id_attribute = changes["remote_id_attribute"]
            _flush(session, Invalid(f"Invalid mapping id: {protocol.mapping_id}", "IAM.0007"))
            return _record(protocol)

    def keystone_delete_protocol(self, caller: Caller, idp_id: str, protocol_id: str) -> None:
        """Removes the protocol and the SAML metadata imported for it."""
        self._authorize(caller, "deleteProtocol")
        with self.store.transaction() as session:
            require_idp(session, caller.account_id, idp_id)
            require_protocol(session, caller.account_id, idp_id, protocol_id)
            session.execute(
                delete(Protocol).where(
                    Protocol.account_id == caller.account_id,
                    Protocol.idp_id == idp_id,
                    Protocol.id == protocol_id,
                )
            )

    def _authorize(self, caller: Caller, verb: str) -> None:
        self.authorizer.authorize(
            caller, f"iam:identityProviders:{verb}", account_id=caller.account_id
        )


def require_protocol(session: Session, account_id: str, idp_id: str, protocol_id: str) -> Protocol:
    protocol = _find(session, account_id, idp_id, protocol_id)
    if protocol is None:
        raise not_found("protocol", protocol_id)
    return protocol


def _find(session: Session, account_id: str, idp_id: str, protocol_id: str) -> Protocol | None:
    return session.scalar(
        select(Protocol).where(
            Protocol.account_id == account_id,
            Protocol.idp_id == idp_id,
            Protocol.id == protocol_id,
        )
    )


def _usable_mapping(session: Session, idp: IdentityProvider, mapping_id: str | None) -> str | None:
    if mapping_id is None:
        if idp.sso_type == IAM_USER_SSO:
            return None
        raise Invalid(
            "'mapping_id' is a required property for a virtual_user_sso identity provider.",
            "IAM.0072",
        )
    try:
        require_mapping(session, idp.account_id, mapping_id)
    except NotFound:
        raise Invalid(f"Invalid mapping id: {mapping_id}", "IAM.0007") from None
    return mapping_id


def _flush(session: Session, error: ApiError) -> None:
    try:
        session.flush()
    except IntegrityError:
        raise error from None


def _record(protocol: Protocol) -> ProtocolRecord:
    return ProtocolRecord(
        protocol.id, protocol.idp_id, protocol.mapping_id, protocol.remote_id_attribute
    )
