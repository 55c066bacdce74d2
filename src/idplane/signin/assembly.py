"""Wiring of the sign-in area: one object holding its services, and its routers."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter

from idplane.identitystore.external_idp.service import ExternalIdpService
from idplane.instances.gate import IdentityCenterGate
from idplane.platform.crypto import SecretBox
from idplane.platform.db import Store
from idplane.signin.mail import Mailer
from idplane.signin.oidc import api as oidc_api
from idplane.signin.oidc.service import DeviceApprovals, OidcService
from idplane.signin.pages import api as pages_api
from idplane.signin.pages import external as external_pages
from idplane.signin.pages import links as links_pages
from idplane.signin.portal import api as portal_api
from idplane.signin.portal.service import CredentialIssuer, PortalService
from idplane.signin.sessions.service import SessionService
from idplane.signin.users import api as users_api
from idplane.signin.users.service import EmailLinks, SigninUsers


@dataclass
class Signin:
    oidc: OidcService
    approvals: DeviceApprovals
    sessions: SessionService
    portal: PortalService
    links: EmailLinks
    users: SigninUsers | None = None  # the Identity Store API side (needs the gate)
    # HTML of further sign-in methods shown beside the password form (an external IdP).
    other_methods: list[str] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        store: Store,
        endpoint: str,
        box: SecretBox,
        issuer: CredentialIssuer | None = None,
        gate: IdentityCenterGate | None = None,
        mailer: Mailer | None = None,
        external_idp: ExternalIdpService | None = None,
    ) -> Signin:
        links = EmailLinks(store, box)
        users = SigninUsers(store, gate, box, mailer or Mailer(None), endpoint) if gate else None
        return cls(
            oidc=OidcService(store, endpoint),
            approvals=DeviceApprovals(store),
            sessions=SessionService(store, links.second_factor, external_idp),
            portal=PortalService(store, issuer),
            links=links,
            users=users,
        )

    @property
    def credentials_available(self) -> bool:
        return self.portal.issuer is not None

    def routers(self) -> list[APIRouter]:
        routers = [
            oidc_api.create_router(self.oidc),
            portal_api.create_router(self.portal),
            pages_api.create_router(self),
            external_pages.create_router(self.sessions),
            links_pages.create_router(self),
        ]
        if self.users is not None:
            routers.append(users_api.create_router(self.users))
        return routers
