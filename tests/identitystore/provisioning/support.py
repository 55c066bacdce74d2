"""Builders for the provisioning tests: an organization with Identity Center, SDK clients of
the identity store service that keep the raw HTTP response, and tenant/token shortcuts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import requests
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_handler import HttpHandler
from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkidentitycenterstore.v1 import IdentityCenterStoreClient
from huaweicloudsdkidentitycenterstore.v1 import model as st

from idplane.iam.service import AccountCredentials
from idplane.platform.auth import signing
from tests import clients
from tests.org_personas import (
    Persona,
    create_organization,
    identity_center_with_delegate,
    start_identity_center,
)


@dataclass
class Recorder:
    """Keeps the last HTTP response the SDK received (before it parsed or raised)."""

    responses: list[requests.Response] = field(default_factory=list)

    def __call__(self, **kwargs: Any) -> None:
        self.responses.append(kwargs["response"])

    @property
    def last(self) -> requests.Response:
        return self.responses[-1]


def store_client(server, creds: AccountCredentials, recorder: Recorder | None = None, **kw):
    """The official identity store client (BasicCredentials), optionally recording responses."""
    builder = (
        IdentityCenterStoreClient.new_builder()
        .with_credentials(clients.basic_credentials(creds, **kw))
        .with_endpoints([server.url])
        .with_http_config(clients.http_config())
    )
    if recorder is not None:
        builder = builder.with_http_handler(HttpHandler().add_response_handler(recorder))
    return builder.build()


def persona_client(server, persona: Persona, recorder: Recorder | None = None):
    return store_client(server, persona.creds, recorder, **persona.temporary)


@dataclass
class Setup:
    management: AccountCredentials
    delegate: AccountCredentials
    identity_store_id: str
    instance_id: str
    tenant_id: str | None = None


def organization_with_store(server) -> Setup:
    """An organization with Identity Center started and a delegated administrator."""
    management, delegate = identity_center_with_delegate(server)
    client = clients.identitycenter(server.url, management)
    instance = client.list_instances(ic.ListInstancesRequest()).instances[0]
    return Setup(management, delegate, instance.identity_store_id, instance.instance_id)


def another_store(server) -> tuple[AccountCredentials, str]:
    """A second, unrelated organization's management account and identity store id."""
    other = server.new_account("other")
    create_organization(server, other)
    return other, start_identity_center(server, other).identity_store_id


def create_tenant(client, identity_store_id: str) -> st.CreateProvisioningTenantResponse:
    return client.create_provisioning_tenant(
        st.CreateProvisioningTenantRequest(identity_store_id=identity_store_id)
    )


def list_tenants(client, identity_store_id: str) -> list:
    return client.list_provisioning_tenants(
        st.ListProvisioningTenantsRequest(identity_store_id=identity_store_id)
    ).provisioning_tenants


def delete_tenant(client, identity_store_id: str, tenant_id: str):
    return client.delete_provisioning_tenant(
        st.DeleteProvisioningTenantRequest(identity_store_id=identity_store_id, tenant_id=tenant_id)
    )


def create_token(client, identity_store_id: str, tenant_id: str):
    return client.create_bearer_token(
        st.CreateBearerTokenRequest(identity_store_id=identity_store_id, tenant_id=tenant_id)
    )


def list_tokens(client, identity_store_id: str, tenant_id: str) -> list:
    return client.list_bearer_tokens(
        st.ListBearerTokensRequest(identity_store_id=identity_store_id, tenant_id=tenant_id)
    ).bearer_tokens


def delete_token(client, identity_store_id: str, tenant_id: str, token_id: str):
    return client.delete_bearer_token(
        st.DeleteBearerTokenRequest(
            identity_store_id=identity_store_id, tenant_id=tenant_id, token_id=token_id
        )
    )


def error_of(call) -> ClientRequestException:
    with pytest.raises(ClientRequestException) as raised:
        call()
    return raised.value


def outcome(call) -> object:
    try:
        call()
    except ClientRequestException as error:
        return (error.status_code, error.error_code)
    return "ok"


def signed_request(
    server, creds: AccountCredentials, method: str, path: str, body: Any = None
) -> httpx.Response:
    """A request signed as the SDK signs it, for bodies the SDK's models would never send."""
    content = b"" if body is None else json.dumps(body).encode()
    headers = {
        "Host": server.url.split("://", 1)[1],
        "Content-Type": "application/json",
        "X-Project-Id": creds.project_id,
        "X-Sdk-Date": datetime.now(UTC).strftime(signing.DATE_FORMAT),
    }
    lower = {k.lower(): v for k, v in headers.items()}
    names = sorted(lower)
    auth = signing.Authorization(signing.ALGORITHM, creds.access_key, names, "")
    request = signing.SignedRequest(method, path, "", lower, content)
    signature = signing.sign(creds.secret_key, signing.string_to_sign(request, auth))
    headers["Authorization"] = (
        f"{signing.ALGORITHM} Access={creds.access_key}, "
        f"SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    return httpx.request(method, f"{server.url}{path}", content=content, headers=headers)
