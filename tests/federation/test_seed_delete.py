"""Seed 001: `DELETE /v3/OS-FEDERATION/identity_providers/{id}` exactly as Huawei documents it."""

from __future__ import annotations

import httpx

SEED_HEADERS = {"Accept": "application/json", "Content-Type": "application/json;charset=utf8"}


def seed_delete(server, token: str, idp_id: str = "ACME") -> httpx.Response:
    return httpx.delete(
        f"{server.url}/v3/OS-FEDERATION/identity_providers/{idp_id}",
        headers={**SEED_HEADERS, "X-Auth-Token": token},
        timeout=30,
    )


def test_the_seed_curl_deletes_an_identity_provider_with_204_and_no_body(
    server, keystone, root_token
) -> None:
    keystone.federation.identity_providers.create("ACME", description="Stores ACME identities")
    response = seed_delete(server, root_token)
    assert response.status_code == 204
    assert response.content == b""
    assert [idp.id for idp in keystone.federation.identity_providers.list()] == []


def test_deleting_the_same_identity_provider_again_is_404(server, keystone, root_token) -> None:
    keystone.federation.identity_providers.create("ACME")
    assert seed_delete(server, root_token).status_code == 204
    again = seed_delete(server, root_token)
    assert again.status_code == 404
    assert again.json()["error_code"] == "IAM.0004"
    assert again.json()["error"]["code"] == "IAM.0004"


def test_a_method_the_resource_does_not_have_is_405_in_the_iam_envelope(server, root_token):
    response = httpx.post(
        f"{server.url}/v3/OS-FEDERATION/identity_providers/ACME",
        headers={**SEED_HEADERS, "X-Auth-Token": root_token},
        timeout=30,
    )
    assert response.status_code == 405
    assert response.json()["error_code"] == "IAM.0005"
