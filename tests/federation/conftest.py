"""Fixtures for the federation tests: tokens of an account's root user and of an IAM user
without policies, and the three client families (keystoneclient, openstacksdk, Huawei SDK)."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
from huaweicloudsdkiam.v3 import model as m

from idplane.iam.tables import User
from idplane.platform import ids
from idplane.platform.clock import now
from idplane.platform.crypto import hash_password
from tests import clients
from tests.federation.oidc_provider import CLIENT_ID, OidcProvider
from tests.federation.signin_setup import configure_provider, create_group


def remote_id(label: str = "idp") -> str:
    """A remote id no other test uses: they are unique across the whole deployment."""
    return f"https://{label}-{uuid.uuid4().hex[:10]}.example.com/idp"


def password_token(server, domain_name: str, user_name: str, password: str) -> str:
    """A domain-scoped token from POST /v3/auth/tokens (Security Administrator is a global
    role, so Huawei recommends domain-scoped tokens for these APIs)."""
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": user_name,
                        "password": password,
                        "domain": {"name": domain_name},
                    }
                },
            },
            "scope": {"domain": {"name": domain_name}},
        }
    }
    response = httpx.post(f"{server.url}/v3/auth/tokens?nocatalog=1", json=body, timeout=30)
    assert response.status_code == 201, response.text
    return response.headers["X-Subject-Token"]


@pytest.fixture
def root_token(server, account) -> str:
    return password_token(server, account.account_name, account.user_name, account.password)


@pytest.fixture
def plain_user_token(server, account) -> str:
    """The token of an IAM user of the account that holds no policy at all."""
    password = f"Pw{uuid.uuid4().hex[:12]}#1"
    name = f"user-{uuid.uuid4().hex[:8]}"
    with server.core.store.transaction() as session:
        session.add(
            User(
                id=ids.hex32(),
                account_id=account.account_id,
                name=name,
                password_hash=hash_password(password),
                created_at=now(),
            )
        )
    return password_token(server, account.account_name, name, password)


@pytest.fixture
def keystone(server, root_token):
    return clients.keystone(server.url, root_token)


@pytest.fixture
def openstack(server, root_token):
    connection = clients.openstack(server.url, root_token)
    yield connection
    connection.close()


@pytest.fixture
def huawei(server, account):
    """The Huawei IAM client signing with the account root user's AK/SK."""
    return clients.iam(server.url, account)


@pytest.fixture
def huawei_by_token(server, root_token):
    return clients.iam_with_token(server.url, root_token)


def http(server, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=server.url,
        headers={"X-Auth-Token": token, "Content-Type": "application/json;charset=utf8"},
        timeout=30,
    )


# Federated sign-in through a real OIDC provider (test_oidc_signin, test_seed_signin).

OIDC_RULES = [
    m.MappingRules(
        local=[m.RulesLocal(user=m.RulesLocalUser(name="{0}"))],
        remote=[m.RulesRemote(type="preferred_username")],
    ),
    m.MappingRules(
        local=[m.RulesLocal(group=m.RulesLocalGroup(name="admin"))],
        remote=[m.RulesRemote(type="groups", any_one_of=["cloud-admins"])],
    ),
    m.MappingRules(
        local=[m.RulesLocal(group=m.RulesLocalGroup(name="readers"))],
        remote=[m.RulesRemote(type="groups", any_one_of=["staff"])],
    ),
]


@pytest.fixture
def provider():
    with OidcProvider(CLIENT_ID) as running:
        running.users["alice"] = {"preferred_username": "alice", "groups": ["cloud-admins"]}
        running.users["bob"] = {"preferred_username": "bob", "groups": ["staff"]}
        yield running


@pytest.fixture
def corp(huawei, provider) -> str:
    create_group(huawei, "readers")
    configure_provider(huawei, "corp", "oidc", OIDC_RULES)
    jwks = httpx.get(f"{provider.issuer}/jwks", timeout=10).json()
    config = m.OpenIdConnectConfig(
        access_mode="program",
        idp_url=provider.issuer,
        client_id=CLIENT_ID,
        signing_key=json.dumps(jwks),
    )
    huawei.create_open_id_connect_config(
        m.CreateOpenIdConnectConfigRequest(
            idp_id="corp",
            body=m.CreateOpenIdConnectConfigRequestBody(openid_connect_config=config),
        )
    )
    return "corp"
