"""Wiring of the sign-in area: one object holding its services, and its routers."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter

from idplane.platform.db import Store
from idplane.signin.oidc import api as oidc_api
from idplane.signin.oidc.service import DeviceApprovals, OidcService
from idplane.signin.pages import api as pages_api
from idplane.signin.portal import api as portal_api
from idplane.signin.portal.service import CredentialIssuer, PortalService
from idplane.signin.sessions.service import SessionService


@dataclass
class Signin:
    oidc: OidcService
    approvals: DeviceApprovals
    sessions: SessionService
    portal: PortalService
    # HTML of further sign-in methods shown beside the password form (an external IdP).
    other_methods: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, store: Store, endpoint: str, issuer: CredentialIssuer | None = None) -> Signin:
        return cls(
            oidc=OidcService(store, endpoint),
            approvals=DeviceApprovals(store),
            sessions=SessionService(store),
            portal=PortalService(store, issuer),
        )

    @property
    def credentials_available(self) -> bool:
        return self.portal.issuer is not None

    def routers(self) -> list[APIRouter]:
        return [
            oidc_api.create_router(self.oidc),
            portal_api.create_router(self.portal),
            pages_api.create_router(self),
        ]
