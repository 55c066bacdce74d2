"""Builds OS-FEDERATION's services (identity providers, protocols, mappings, the OIDC and SAML
extensions) and their router, so app.py wires federation in two lines."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter

from idplane.federation import api as federation_api
from idplane.federation import signin_api
from idplane.federation.extensions import FederationExtensionService
from idplane.federation.mappings import MappingService
from idplane.federation.protocols import ProtocolService
from idplane.federation.providers import IdentityProviderService
from idplane.federation.signin import FederatedSignIn
from idplane.iam.service import AccountService
from idplane.iam.tokens import TokenService
from idplane.platform.authz import Authorizer
from idplane.platform.db import Store


@dataclass
class FederationServices:
    providers: IdentityProviderService
    mappings: MappingService
    protocols: ProtocolService
    extensions: FederationExtensionService
    accounts: AccountService
    signin: FederatedSignIn  # sign-in with the providers' ID tokens and SAML assertions

    @classmethod
    def build(
        cls, store: Store, authorizer: Authorizer, accounts: AccountService, tokens: TokenService
    ) -> FederationServices:
        return cls(
            signin=FederatedSignIn(store, tokens),
            providers=IdentityProviderService(store, authorizer),
            mappings=MappingService(store, authorizer),
            protocols=ProtocolService(store, authorizer),
            extensions=FederationExtensionService(store, authorizer),
            accounts=accounts,
        )

    def routers(self, endpoint: str) -> list[APIRouter]:
        return [
            federation_api.create_router(
                self.providers,
                self.protocols,
                self.mappings,
                self.extensions,
                self.accounts,
                endpoint,
            ),
            signin_api.create_router(self.signin, endpoint),
        ]
