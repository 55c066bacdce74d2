"""LakeFormation's static data, read once: the system agreements a tenant can accept
(`data/agreement_rules.json`), the agencies the service asks tenants for
(`data/agencies.json`: name, trusted service, the IAM roles it is given and the actions the
service needs from it) and the cloud services a tenant can authorize to access LakeFormation
(`data/access_services.json`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class AgreementRule:
    agreement_name: str
    agreement_display_name: str
    agreement_version: str
    agreement_url: str


@dataclass(frozen=True)
class AgencyKind:
    agency_type: str  # JOB_TRUST, ADMIN_TRUST or TABLE_SERVICE_TRUST
    agency_name: str
    trust_domain_name: str
    description: str
    roles: tuple[str, ...]
    actions: tuple[str, ...]


@dataclass(frozen=True)
class AccessService:
    name: str
    description: str


def _load(name: str) -> Any:
    return json.loads(resources.files("idplane.lakeformation").joinpath(f"data/{name}").read_text())


@cache
def agreement_rules() -> tuple[AgreementRule, ...]:
    return tuple(AgreementRule(**raw) for raw in _load("agreement_rules.json")["agreement_rules"])


@cache
def agency_kinds() -> dict[str, AgencyKind]:
    kinds = {}
    for raw in _load("agencies.json")["agencies"]:
        kind = AgencyKind(**{**raw, "roles": tuple(raw["roles"]), "actions": tuple(raw["actions"])})
        kinds[kind.agency_type] = kind
    return kinds


@cache
def access_services() -> dict[str, AccessService]:
    """By name, in the documented order."""
    services = (AccessService(**raw) for raw in _load("access_services.json")["access_services"])
    return {service.name: service for service in services}


ADMIN_TRUST = "ADMIN_TRUST"
JOB_TRUST = "JOB_TRUST"
TABLE_SERVICE_TRUST = "TABLE_SERVICE_TRUST"  # the one agency show_agency_credential serves
