"""Builds Organizations' services and routers, so app.py wires the whole area in two lines."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter

from idplane.iam.service import AccountService
from idplane.organizations import api as organizations_api
from idplane.organizations.handshakes import api as handshakes_api
from idplane.organizations.handshakes.service import HandshakeService
from idplane.organizations.lifecycle import api as lifecycle_api
from idplane.organizations.lifecycle.service import LifecycleService
from idplane.organizations.policies import api as policies_api
from idplane.organizations.policies.dry_run import DryRunConfigService
from idplane.organizations.policies.guardrails import ScpGuardrails
from idplane.organizations.policies.service import PolicyService
from idplane.organizations.service import OrganizationService
from idplane.organizations.tags import api as tags_api
from idplane.organizations.tags.service import TagService
from idplane.organizations.trusted import TrustService
from idplane.organizations.units import api as units_api
from idplane.organizations.units.service import UnitService
from idplane.platform.authz import Authorizer
from idplane.platform.db import Store


def guardrails(store: Store) -> ScpGuardrails:
    """The organization's SCPs, for the one Authorizer every service uses."""
    return ScpGuardrails(store)


@dataclass
class OrganizationServices:
    organizations: OrganizationService
    trust: TrustService
    units: UnitService
    policies: PolicyService
    dry_run_policies: PolicyService
    dry_run_config: DryRunConfigService
    tags: TagService
    handshakes: HandshakeService
    lifecycle: LifecycleService

    @classmethod
    def build(
        cls, store: Store, authorizer: Authorizer, accounts: AccountService
    ) -> OrganizationServices:
        organizations = OrganizationService(store, authorizer, accounts)
        return cls(
            organizations=organizations,
            trust=TrustService(store, authorizer),
            units=UnitService(store, authorizer),
            policies=PolicyService(store, authorizer),
            dry_run_policies=PolicyService(store, authorizer, dry_run=True),
            dry_run_config=DryRunConfigService(store, authorizer),
            tags=TagService(store, authorizer),
            handshakes=HandshakeService(store, authorizer),
            lifecycle=LifecycleService(store, authorizer, organizations),
        )

    def routers(self) -> list[APIRouter]:
        # The tag router's `/{resource_type}/...` routes come last: they would shadow others.
        return [
            organizations_api.create_router(self.organizations, self.trust),
            units_api.create_router(self.units),
            policies_api.create_router(self.policies, self.dry_run_policies, self.dry_run_config),
            handshakes_api.create_router(self.handshakes),
            lifecycle_api.create_router(self.lifecycle),
            tags_api.create_router(self.tags),
        ]
