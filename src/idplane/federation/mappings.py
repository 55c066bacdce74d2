"""Mappings (`/v3/OS-FEDERATION/mappings`): rules turning assertion attributes into local users
and groups. Ids are unique per account. A mapping outlives the identity providers that use it,
and cannot be deleted while a protocol names it (409)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.federation.naming import check_new_id, not_found
from idplane.federation.records import Listing, MappingRecord
from idplane.federation.rules import validate_rules
from idplane.federation.tables import Mapping, Protocol
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.db import Store
from idplane.platform.errors import Conflict, Invalid
from idplane.platform.paging import PageRequest, keyset_page

SCHEMA_VERSIONS = ("1.0", "2.0")


class MappingService:
    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer

    def keystone_create_mapping(
        self, caller: Caller, mapping_id: str, spec: dict[str, Any]
    ) -> MappingRecord:
        self._authorize(caller, "createMapping")
        check_new_id("mapping", mapping_id)
        rules = validate_rules(spec.get("rules"))
        version = _schema_version(spec.get("schema_version"))
        exists = Conflict(f"Duplicate entry: mapping {mapping_id} already exists.")
        with self.store.transaction() as session:
            if _find(session, caller.account_id, mapping_id) is not None:
                raise exists
            moment = now()
            mapping = Mapping(
                account_id=caller.account_id,
                id=mapping_id,
                rules=rules,
                schema_version=version,
                created_at=moment,
                updated_at=moment,
            )
            session.add(mapping)
            try:
                session.flush()
            except IntegrityError:
                raise exists from None
            return _record(mapping)

    def keystone_show_mapping(self, caller: Caller, mapping_id: str) -> MappingRecord:
        self._authorize(caller, "getMapping")
        with self.store.read() as session:
            return _record(require_mapping(session, caller.account_id, mapping_id))

    def keystone_list_mappings(self, caller: Caller, page: PageRequest) -> Listing:
        self._authorize(caller, "listMappings")
        stmt = select(Mapping).where(Mapping.account_id == caller.account_id)
        with self.store.read() as session:
            found = keyset_page(session, stmt, Mapping.seq, page)
            return Listing([_record(m) for m in found.rows], found.next_marker)

    def keystone_update_mapping(
        self, caller: Caller, mapping_id: str, spec: dict[str, Any]
    ) -> MappingRecord:
        self._authorize(caller, "updateMapping")
        rules = validate_rules(spec.get("rules"))
        with self.store.transaction() as session:
            mapping = require_mapping(session, caller.account_id, mapping_id)
            mapping.rules = rules
            if spec.get("schema_version") is not None:
                mapping.schema_version = _schema_version(spec["schema_version"])
            mapping.updated_at = now()
            return _record(mapping)

    def keystone_delete_mapping(self, caller: Caller, mapping_id: str) -> None:
        self._authorize(caller, "deleteMapping")
        account_id = caller.account_id
        in_use = Conflict(
            f"Mapping {mapping_id} is used by an identity provider's protocol; "
            "point the protocol at another mapping or delete it first."
        )
        with self.store.transaction() as session:
            require_mapping(session, account_id, mapping_id)
            user = session.scalar(
                select(Protocol.seq)
                .where(Protocol.account_id == account_id, Protocol.mapping_id == mapping_id)
                .limit(1)
            )
            if user is not None:
                raise in_use
            try:
                session.execute(
                    delete(Mapping).where(
                        Mapping.account_id == account_id, Mapping.id == mapping_id
                    )
                )
            except IntegrityError:  # a protocol took it up meanwhile: the foreign key says no
                raise in_use from None

    def _authorize(self, caller: Caller, verb: str) -> None:
        self.authorizer.authorize(
            caller, f"iam:identityProviders:{verb}", account_id=caller.account_id
        )


def require_mapping(session: Session, account_id: str, mapping_id: str) -> Mapping:
    mapping = _find(session, account_id, mapping_id)
    if mapping is None:
        raise not_found("mapping", mapping_id)
    return mapping


def _find(session: Session, account_id: str, mapping_id: str) -> Mapping | None:
    return session.scalar(
        select(Mapping).where(Mapping.account_id == account_id, Mapping.id == mapping_id)
    )


def _schema_version(value: str | None) -> str:
    if value is None:
        return "1.0"
    if value not in SCHEMA_VERSIONS:
        raise Invalid(f"schema_version must be one of {', '.join(SCHEMA_VERSIONS)}.", "IAM.0007")
    return value


def _record(mapping: Mapping) -> MappingRecord:
    return MappingRecord(mapping.id, mapping.rules, mapping.schema_version)
