"""Who may call the federation APIs: a valid X-Auth-Token (or AK/SK signature) is required
(401); the account's root user may do everything; an IAM user without policies nothing (403)."""

from __future__ import annotations

import httpx
import pytest

from tests.federation.conftest import http
from tests.federation.test_oidc_config import PROGRAM
from tests.federation.test_seed_delete import SEED_HEADERS, seed_delete

RULES = [{"local": [{"user": {"name": "{0}"}}], "remote": [{"type": "UserName"}]}]
IDP = "/v3/OS-FEDERATION/identity_providers/ACME"
OIDC = "/v3.0/OS-FEDERATION/identity-providers/ACME/openid-connect-config"
METADATA = "/v3-ext/OS-FEDERATION/identity_providers/ACME/protocols/saml/metadata"

# (method, path, body): one of every operation family, against objects the root user made.
OPERATIONS = [
    ("GET", "/v3/OS-FEDERATION/identity_providers", None),
    ("GET", IDP, None),
    ("PUT", "/v3/OS-FEDERATION/identity_providers/NEW", {}),
    ("PATCH", IDP, {"identity_provider": {"enabled": True}}),
    ("DELETE", IDP, None),
    ("GET", "/v3/OS-FEDERATION/mappings", None),
    ("GET", "/v3/OS-FEDERATION/mappings/m", None),
    ("PUT", "/v3/OS-FEDERATION/mappings/new", {"mapping": {"rules": RULES}}),
    ("PATCH", "/v3/OS-FEDERATION/mappings/m", {"mapping": {"rules": RULES}}),
    ("DELETE", "/v3/OS-FEDERATION/mappings/m", None),
    ("GET", f"{IDP}/protocols", None),
    ("GET", f"{IDP}/protocols/saml", None),
    ("PUT", f"{IDP}/protocols/oidc", {"protocol": {"mapping_id": "m"}}),
    ("PATCH", f"{IDP}/protocols/saml", {"protocol": {"mapping_id": "m"}}),
    ("DELETE", f"{IDP}/protocols/saml", None),
    ("GET", OIDC, None),
    ("POST", OIDC, {"openid_connect_config": PROGRAM}),
    ("PUT", OIDC, {"openid_connect_config": {"client_id": "another"}}),
    ("GET", METADATA, None),
    ("POST", METADATA, {"domain_id": "x", "xaccount_type": "", "metadata": "<x/>"}),
]


@pytest.fixture
def arranged(server, root_token) -> None:
    with http(server, root_token) as client:
        client.put(IDP, json={}).raise_for_status()
        client.put("/v3/OS-FEDERATION/mappings/m", json={"mapping": {"rules": RULES}})
        client.put(f"{IDP}/protocols/saml", json={"protocol": {"mapping_id": "m"}})


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
def test_an_iam_user_without_policies_is_denied(
    server, arranged, plain_user_token, root_token, method, path, body
) -> None:
    with http(server, plain_user_token) as client:
        response = client.request(method, path, json=body)
    assert response.status_code == 403
    assert response.json()["error_code"] == "IAM.0003"
    assert "iam:identityProviders:" in response.json()["error_msg"]
    with http(server, root_token) as client:
        assert client.get(IDP).status_code == 200


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
def test_a_request_without_a_valid_token_is_401(server, arranged, method, path, body) -> None:
    missing = httpx.request(method, f"{server.url}{path}", json=body, timeout=30)
    forged = httpx.request(
        method, f"{server.url}{path}", json=body, headers={"X-Auth-Token": "forged"}, timeout=30
    )
    assert (missing.status_code, forged.status_code) == (401, 401)
    assert "error_code" in forged.json()


def test_the_seed_delete_is_403_for_a_user_without_security_administrator(
    server, arranged, plain_user_token, root_token
) -> None:
    response = seed_delete(server, plain_user_token)
    assert response.status_code == 403
    assert response.json()["error_code"] == "IAM.0003"
    assert seed_delete(server, root_token).status_code == 204


def test_the_seed_delete_is_401_without_a_token_or_with_a_revoked_one(
    server, arranged, root_token
) -> None:
    anonymous = httpx.delete(f"{server.url}{IDP}", headers=SEED_HEADERS, timeout=30)
    assert anonymous.status_code == 401
    revoke = httpx.delete(
        f"{server.url}/v3/auth/tokens",
        headers={"X-Auth-Token": root_token, "X-Subject-Token": root_token},
        timeout=30,
    )
    assert revoke.status_code == 204
    assert seed_delete(server, root_token).status_code == 401
