"""The IAM federation part of a seed file, per account: `mappings` (id, rules,
schema_version) and `identity_providers` (id, sso_type, description, enabled, remote_ids,
protocols: [{id, mapping}]). Their ids are the ones the file gives, as in the API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.federation.tables import IdentityProvider, Mapping, Protocol, RemoteId
from idplane.platform.auth.caller import Caller
from idplane.seeding.document import Cursor, plain

MAPPING = {"id", "rules", "schema_version"}
PROVIDER = {"id", "sso_type", "description", "enabled", "remote_ids", "protocols"}


def seed_federation(services, caller: Caller, entry: Cursor, located) -> None:
    for item in entry.at("mappings").items():
        item.mapping(MAPPING, {"id", "rules"})
        mapping: dict[str, Any] = {"rules": plain(item.at("rules").value)}
        if item.text("schema_version"):
            mapping["schema_version"] = item.text("schema_version")
        with located(item):
            services.mappings.keystone_create_mapping(caller, item.text("id"), mapping)
    for item in entry.at("identity_providers").items():
        item.mapping(PROVIDER, {"id"})
        idp_id = item.text("id")
        spec: dict[str, Any] = {
            key: item.text(key) for key in ("sso_type", "description") if item.text(key)
        }
        spec["enabled"] = bool(item.at("enabled").value)
        spec["remote_ids"] = [name for _where, name in item.names("remote_ids")] or None
        with located(item):
            services.providers.keystone_create_identity_provider(caller, idp_id, spec)
        for protocol in item.at("protocols").items():
            protocol.mapping({"id", "mapping"}, {"id", "mapping"})
            with located(protocol):
                services.protocols.keystone_create_protocol(
                    caller, idp_id, protocol.text("id"), {"mapping_id": protocol.text("mapping")}
                )


def export_federation(session: Session, account_id: str) -> dict[str, Any]:
    mappings = session.scalars(
        select(Mapping).where(Mapping.account_id == account_id).order_by(Mapping.seq)
    )
    providers = session.scalars(
        select(IdentityProvider)
        .where(IdentityProvider.account_id == account_id)
        .order_by(IdentityProvider.seq)
    )
    found: dict[str, Any] = {
        "mappings": [
            {"id": m.id, "rules": m.rules, "schema_version": m.schema_version} for m in mappings
        ],
        "identity_providers": [_provider(session, p) for p in providers],
    }
    return {key: value for key, value in found.items() if value}


def _provider(session: Session, idp: IdentityProvider) -> dict[str, Any]:
    remote_ids = session.scalars(
        select(RemoteId.remote_id)
        .where(RemoteId.account_id == idp.account_id, RemoteId.idp_id == idp.id)
        .order_by(RemoteId.position)
    )
    protocols = session.scalars(
        select(Protocol)
        .where(Protocol.account_id == idp.account_id, Protocol.idp_id == idp.id)
        .order_by(Protocol.seq)
    )
    shown: dict[str, Any] = {
        "id": idp.id,
        "sso_type": idp.sso_type,
        "description": idp.description,
        "enabled": idp.enabled,
        "remote_ids": list(remote_ids),
        "protocols": [{"id": p.id, "mapping": p.mapping_id} for p in protocols],
    }
    return {key: value for key, value in shown.items() if value not in (None, "", [])}
