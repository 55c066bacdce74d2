"""Builders for the sign-in tests: an organization with Identity Center and its identity store,
the official OIDC and portal clients (unauthenticated / `access-token`), users with passwords,
and a device flow driven to the point each test needs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from huaweicloudsdkidentitycenteroidc.v1 import IdentityCenterOIDCClient
from huaweicloudsdkidentitycenteroidc.v1 import model as oidc
from huaweicloudsdkidentitycenteroidc.v1.identitycenteroidc_credentials import (
    IdentityCenterOIDCCredentials,
)
from huaweicloudsdkidentitycenterportalapi.v1 import IdentityCenterPortalAPIClient
from huaweicloudsdkidentitycenterportalapi.v1.identitycenterportalapi_credentials import (
    IdentityCenterPortalAPICredentials,
)
from huaweicloudsdkidentitycenterstore.v1 import model as ids
from sqlalchemy import select

from idplane.platform.audit import AuditRecord
from idplane.signin.assembly import Signin
from tests import clients
from tests.identitystore import builders

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


@dataclass
class Portal:
    server: Any
    directory: builders.Directory
    signin: Signin  # the server's services over the same store, for arranging sign-ins

    @property
    def store_id(self) -> str:
        return self.directory.identity_store_id

    @property
    def start_url(self) -> str:
        return f"{self.server.url}/{self.store_id}/portal"

    def oidc(self) -> IdentityCenterOIDCClient:
        return (
            IdentityCenterOIDCClient.new_builder()
            .with_credentials(IdentityCenterOIDCCredentials())
            .with_endpoints([self.server.url])
            .with_http_config(clients.http_config())
            .build()
        )

    def user(self, **overrides: Any) -> tuple[str, str, str]:
        """(user_id, user_name, one-time password) of a new OTP user."""
        name = builders.unique("signin")
        body = builders.user_body(name, password_mode="OTP", **overrides)
        request = ids.CreateUserRequest(identity_store_id=self.store_id, body=body)
        created = self.directory.client().create_user(request)
        return created.user_id, name, created.password

    def user_with_password(self, password: str = "Chosen-Passw0rd!") -> tuple[str, str, str]:
        """A user who has signed in once and replaced the one-time password with `password`."""
        user_id, name, otp = self.user()
        started = self.signin.sessions.sign_in_with_password(self.store_id, name, otp)
        self.signin.sessions.set_new_password(started.cookie, password)
        return user_id, name, password

    def session(self, user_name: str, password: str):
        return self.signin.sessions.sign_in_with_password(self.store_id, user_name, password)


def new_portal(server) -> Portal:
    return Portal(
        server,
        builders.new_directory(server),
        Signin.build(server.core.store, server.url, server.core.box),
    )


def register(client: IdentityCenterOIDCClient, name: str | None = None):
    body = oidc.RegisterClientReqBody(
        client_name=name or f"cli-{uuid.uuid4().hex[:8]}",
        client_type="public",
        token_endpoint_auth_method="client_secret_post",
        grant_types=[DEVICE_GRANT],
        response_types=["code"],
    )
    return client.register_client(oidc.RegisterClientRequest(body=body)).client_info


def start(client: IdentityCenterOIDCClient, info, start_url: str):
    body = oidc.StartDeviceAuthorizationReqBody(
        client_id=info.client_id, client_secret=info.client_secret, start_url=start_url
    )
    return client.start_device_authorization(oidc.StartDeviceAuthorizationRequest(body=body))


def poll(client: IdentityCenterOIDCClient, info, device_code: str):
    body = oidc.CreateTokenReqBody(
        client_id=info.client_id,
        client_secret=info.client_secret,
        grant_type=DEVICE_GRANT,
        device_code=device_code,
    )
    return client.create_token(oidc.CreateTokenRequest(body=body)).token_info


def refresh(client: IdentityCenterOIDCClient, info, refresh_token: str):
    body = oidc.CreateTokenReqBody(
        client_id=info.client_id,
        client_secret=info.client_secret,
        grant_type="refresh_token",
        refresh_token=refresh_token,
    )
    return client.create_token(oidc.CreateTokenRequest(body=body)).token_info


def signed_in_token(portal: Portal, user_name: str, password: str):
    """The device flow as `hcloud configure sso` runs it, the user approving in the pages."""
    from tests.signin.forms import Visitor

    client = portal.oidc()
    info = register(client)
    started = start(client, info, portal.start_url)
    visitor = Visitor(portal.server.url)
    visitor.open(started.verification_uri_complete)
    visitor.sign_in(portal.store_id, user_name, password)
    assert started.user_code in visitor.text(), visitor.text()
    visitor.submit("/device", decision="approve")
    assert "Device approved" in visitor.text()
    return poll(client, info, started.device_code)


def portal_client(server) -> IdentityCenterPortalAPIClient:
    return (
        IdentityCenterPortalAPIClient.new_builder()
        .with_credentials(IdentityCenterPortalAPICredentials())
        .with_endpoints([server.url])
        .with_http_config(clients.http_config())
        .build()
    )


def actions_of(portal, user_id: str) -> list[tuple[str, str]]:
    with portal.server.core.store.read() as session:
        rows = session.scalars(
            select(AuditRecord).where(AuditRecord.user_id == user_id).order_by(AuditRecord.seq)
        )
        return [(row.action, row.outcome) for row in rows]
