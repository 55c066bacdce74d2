"""Bad input gets a 4xx in the path's own error dialect, with X-Request-Id, never a 500."""

from __future__ import annotations

import httpx
import pytest

TOKENS = "/v3/auth/tokens"


def _password_auth(methods) -> dict:
    return {
        "auth": {
            "identity": {
                "methods": methods,
                "password": {"user": {"name": "u", "password": "p", "domain": {"name": "d"}}},
            }
        }
    }


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"auth": {"identity": {"methods": "password"}}}',
        b'{"auth": {}}',
    ],
    ids=["malformed", "wrong-type", "missing-field"],
)
def test_bad_bodies_get_400_in_the_iam_envelope(server, body: bytes) -> None:
    response = httpx.post(
        f"{server.url}{TOKENS}",
        content=body,
        headers={"Content-Type": "application/json;charset=utf8"},
    )
    assert response.status_code == 400
    payload = response.json()
    assert payload["error_code"] == "IAM.0011"
    assert payload["error"]["code"] == "IAM.0011"  # the Huawei code, read by the Node.js SDK
    assert payload["request_id"] == response.headers["X-Request-Id"]


def test_an_unknown_enum_value_gets_400(server) -> None:
    response = httpx.post(f"{server.url}{TOKENS}", json=_password_auth(["telepathy"]))
    assert response.status_code == 400
    assert "methods" in response.json()["error_msg"]


def test_a_body_over_one_mebibyte_gets_413(server) -> None:
    response = httpx.post(
        f"{server.url}{TOKENS}",
        content=b"x" * (1024 * 1024 + 1),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["X-Request-Id"]


def test_a_chunked_body_over_one_mebibyte_gets_413(server) -> None:
    def chunks():
        for _ in range(17):
            yield b"x" * 65536

    response = httpx.post(
        f"{server.url}{TOKENS}", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("path", "code_key", "code"),
    [
        ("/v3/nothing-here", "error_code", "IAM.0004"),
        ("/v1/instances/ins-0000000000000000/nothing", "error_code", "IIC.404"),
        ("/v1/organizations/nothing-here/at-all", "error_code", "APIGW.0101"),
        ("/v1/0123456789abcdef0123456789abcdef/agreement/none", "error_code", "common.01000001"),
    ],
)
def test_unknown_routes_get_404_in_their_familys_envelope(server, path, code_key, code) -> None:
    response = httpx.get(f"{server.url}{path}")
    assert response.status_code == 404
    assert response.json()[code_key] == code
    assert response.headers["X-Request-Id"]


def test_unknown_scim_routes_get_a_scim_error(server) -> None:
    response = httpx.get(f"{server.url}/some-tenant/scim/v2/Nothing")
    assert response.status_code == 404
    assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert response.headers["content-type"].startswith("application/scim+json")


def test_a_wrong_method_gets_405(server) -> None:
    response = httpx.put(f"{server.url}/v3/auth/domains")
    assert response.status_code == 405
    assert response.json()["error_code"] == "IAM.0005"


def test_every_response_carries_a_request_id(server) -> None:
    for response in (
        httpx.get(f"{server.url}/v3"),
        httpx.get(f"{server.url}/openapi.json", timeout=120),  # built on first use: slow
        httpx.get(f"{server.url}/v3/auth/domains"),
    ):
        assert len(response.headers["X-Request-Id"]) == 32


def test_the_openapi_document_lists_routes_with_their_models(server) -> None:
    document = httpx.get(f"{server.url}/openapi.json").json()
    operation = document["paths"]["/v3/auth/tokens"]["post"]
    assert operation["operationId"].startswith("keystone_create_user_token_by_password")
    assert "requestBody" in operation
    assert "AuthRequest" in document["components"]["schemas"]
    assert httpx.get(f"{server.url}/docs").status_code == 200
