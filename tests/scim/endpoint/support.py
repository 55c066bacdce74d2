"""Builders for the SCIM endpoint tests: an identity store with a provisioning tenant and a
bearer token (made through the official identity store client), raw HTTP and SDK clients of
its SCIM endpoint, and SCIM bodies with unique names."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from huaweicloudsdkidentitycenterscim.v1 import model as sc

from idplane.iam.service import AccountCredentials
from tests import clients
from tests.identitystore.provisioning.support import (
    create_tenant,
    create_token,
    organization_with_store,
    store_client,
)

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@dataclass
class Scim:
    """A provisioning tenant of a fresh organization's identity store, and its token."""

    server: Any
    management: AccountCredentials
    identity_store_id: str
    tenant_id: str
    token: str
    endpoint: str  # the tenant's scim_endpoint, trailing slash included

    @property
    def base(self) -> str:
        return self.endpoint.rstrip("/")

    @property
    def bearer(self) -> str:
        return f"Bearer {self.token}"

    def http(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30)

    def sdk(self):
        return clients.scim(self.server.url)

    def store(self):
        """The official identity store client of the store's management account."""
        return store_client(self.server, self.management)


def new_scim(server) -> Scim:
    setup = organization_with_store(server)
    client = store_client(server, setup.management)
    tenant = create_tenant(client, setup.identity_store_id)
    token = create_token(client, setup.identity_store_id, tenant.tenant_id).token
    return Scim(
        server,
        setup.management,
        setup.identity_store_id,
        tenant.tenant_id,
        token,
        tenant.scim_endpoint,
    )


def unique(prefix: str = "u") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def user_body(user_name: str | None = None, **overrides: Any) -> dict[str, Any]:
    name = user_name or unique("user")
    body: dict[str, Any] = {
        "schemas": [USER],
        "userName": name,
        "name": {"familyName": "Jensen", "givenName": "Barbara"},
        "displayName": f"Babs {name}",
        "emails": [{"value": f"{name}@example.com", "type": "work", "primary": True}],
        "active": True,
    }
    body.update(overrides)
    return body


def group_body(display_name: str | None = None, members: list[str] = (), **overrides: Any):
    body: dict[str, Any] = {"schemas": [GROUP], "displayName": display_name or unique("group")}
    if members:
        body["members"] = [{"value": member} for member in members]
    body.update(overrides)
    return body


def patch(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def create_user(http: httpx.Client, **overrides: Any) -> dict[str, Any]:
    response = http.post("/Users", json=user_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


def create_group(http: httpx.Client, **overrides: Any) -> dict[str, Any]:
    response = http.post("/Groups", json=group_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


def scim_error(response: httpx.Response, status: int, scim_type: str | None = None) -> dict:
    """The response is an RFC 7644 error of that status (and scimType)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/scim+json")
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert body.get("scimType") == scim_type
    return body


def sdk_user_body(user_name: str | None = None) -> sc.CreateUserReqBody:
    name = user_name or unique("sdk")
    return sc.CreateUserReqBody(
        schemas=[USER],
        user_name=name,
        name=sc.NameDto(family_name="Doe", given_name="Jane"),
        display_name=f"Jane {name}",
        emails=[sc.EmailItemDto(value=f"{name}@example.com", type="work", primary=True)],
    )
