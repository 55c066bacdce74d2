"""What the federation services hand back: plain records, shaped for the wire by the views."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProviderRecord:
    id: str
    sso_type: str
    description: str
    enabled: bool
    remote_ids: list[str]
    domain_id: str
    authorization_ttl: int | None


@dataclass(frozen=True)
class MappingRecord:
    id: str
    rules: list[dict]
    schema_version: str


@dataclass(frozen=True)
class ProtocolRecord:
    id: str
    idp_id: str
    mapping_id: str | None
    remote_id_attribute: str | None


@dataclass(frozen=True)
class Listing:
    """One page of a list and the marker of the next one (None on the last page)."""

    items: list
    next_marker: str | None
