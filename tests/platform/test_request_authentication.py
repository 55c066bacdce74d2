"""Signed requests over HTTP: what the gateway answers when the signature, key or date is wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as m

from bench.signer import Credentials, sign_headers
from idplane.platform.auth import signing
from tests import clients


def _signed_headers(creds, path: str, date: datetime | None = None, **extra: str) -> dict:
    date = date or datetime.now(UTC)
    host = creds.endpoint.split("://", 1)[1]
    headers = {"host": host, "x-sdk-date": date.strftime(signing.DATE_FORMAT), **extra}
    names = sorted(headers)
    request = signing.SignedRequest("GET", path, "", headers, b"")
    auth = signing.Authorization(signing.ALGORITHM, creds.access_key, names, "")
    signature = signing.sign(creds.secret_key, signing.string_to_sign(request, auth))
    headers["authorization"] = (
        f"{signing.ALGORITHM} Access={creds.access_key}, "
        f"SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    return headers


def test_a_correctly_signed_plain_http_request_is_served(server, account) -> None:
    response = httpx.get(
        f"{server.url}/v3/auth/domains", headers=_signed_headers(account, "/v3/auth/domains")
    )
    assert response.status_code == 200
    assert response.json()["domains"][0]["id"] == account.account_id


def test_one_flipped_signature_byte_gets_401_in_the_gateway_body(server, account) -> None:
    headers = _signed_headers(account, "/v3/auth/domains")
    auth = headers["authorization"]
    flipped = auth[:-1] + ("0" if auth[-1] != "0" else "1")
    response = httpx.get(
        f"{server.url}/v3/auth/domains", headers={**headers, "authorization": flipped}
    )
    assert response.status_code == 401
    body = response.json()
    assert body["error_code"] == "APIGW.0301"
    assert body["error_msg"] == (
        "Incorrect IAM authentication information: verify aksk signature fail"
    )
    assert body["request_id"] == response.headers["X-Request-Id"]


def test_an_unknown_access_key_gets_401(server, account) -> None:
    client = clients.iam(server.url, account, access_key="UNKNOWNACCESSKEY0000")
    with pytest.raises(ClientRequestException) as raised:
        client.keystone_list_auth_domains(m.KeystoneListAuthDomainsRequest())
    assert (raised.value.status_code, raised.value.error_code) == (401, "APIGW.0301")
    assert "Get secretKey failed" in raised.value.error_msg


def test_a_stale_date_gets_401(server, account) -> None:
    stale = datetime.now(UTC) - timedelta(minutes=16)
    response = httpx.get(
        f"{server.url}/v3/auth/domains",
        headers=_signed_headers(account, "/v3/auth/domains", date=stale),
    )
    assert response.status_code == 401
    assert "15 minutes" in response.json()["error_msg"]


def test_a_missing_date_gets_401(server, account) -> None:
    headers = _signed_headers(account, "/v3/auth/domains")
    del headers["x-sdk-date"]
    response = httpx.get(f"{server.url}/v3/auth/domains", headers=headers)
    assert response.status_code == 401


def test_another_signing_algorithm_gets_401(server, account) -> None:
    headers = _signed_headers(account, "/v3/auth/domains")
    headers["authorization"] = headers["authorization"].replace("SDK-HMAC-SHA256", "SDK-HMAC-SM3")
    response = httpx.get(f"{server.url}/v3/auth/domains", headers=headers)
    assert response.status_code == 401
    assert "unsupported" in response.json()["error_msg"]


def test_a_domain_id_of_another_account_gets_401(server, account) -> None:
    other = server.new_account()
    headers = _signed_headers(account, "/v3/auth/domains", **{"x-domain-id": other.account_id})
    response = httpx.get(f"{server.url}/v3/auth/domains", headers=headers)
    assert response.status_code == 401
    assert "X-Domain-Id" in response.json()["error_msg"]


def test_a_project_id_of_another_account_gets_401(server, account) -> None:
    other = server.new_account()
    headers = _signed_headers(account, "/v3/auth/domains", **{"x-project-id": other.project_id})
    response = httpx.get(f"{server.url}/v3/auth/domains", headers=headers)
    assert response.status_code == 401


def test_no_credentials_at_all_gets_401(server) -> None:
    response = httpx.get(f"{server.url}/v3/auth/domains")
    assert response.status_code == 401
    assert response.json()["error_code"] == "APIGW.0301"


def test_no_secret_appears_in_an_error_body(server, account) -> None:
    headers = _signed_headers(account, "/v3/auth/domains")
    headers["authorization"] = headers["authorization"][:-2] + "zz"
    response = httpx.get(f"{server.url}/v3/auth/domains", headers=headers)
    assert account.secret_key not in response.text


def _store_users(account, signed: bool) -> httpx.Response:
    """A GET whose `limit` is not a number (400 once authenticated)."""
    path, query = "/v1/identity-stores/d-0000000000/users", "limit=abc"
    host = account.endpoint.split("://", 1)[1]
    headers = {"Host": host, "X-Project-Id": account.project_id}
    if signed:
        credentials = Credentials(account.access_key, account.secret_key)
        headers = sign_headers(credentials, "GET", path, query, headers, b"")
    return httpx.get(f"{account.endpoint}{path}?{query}", headers=headers)


def test_a_bad_parameter_without_credentials_gets_401_before_the_400(server, account) -> None:
    """Credentials are checked before the parameters, even where they are looked up on the
    endpoint's own worker thread."""
    assert _store_users(account, signed=False).status_code == 401
    assert _store_users(account, signed=True).status_code == 400
