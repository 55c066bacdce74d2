"""The bench signer signs exactly as huaweicloudsdkcore does, and the server accepts it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest

from bench.signer import Client, Credentials, UnexpectedResponse, encode_query, sign_headers

AT = datetime(2025, 1, 1, 12, 30, tzinfo=UTC)
CREDS = Credentials("AKTESTAKTESTAKTEST01", "sk-secret-value", account_id="domain-1")


@pytest.mark.parametrize(
    ("method", "path", "query", "body"),
    [
        ("GET", "/v3/auth/domains", [], b""),
        ("GET", "/v3/auth/tokens", [("nocatalog", "true")], b""),
        ("POST", "/v1/things/a%3Ab%20%C3%BC", [("name", "a b/~"), ("limit", 10)], b'{"k": "v"}'),
    ],
)
def test_the_bench_signer_produces_the_sdks_authorization(method, path, query, body) -> None:
    headers = {"Content-Type": "application/json", "User-Agent": "x", "X-Subject-Token": "t"}
    sdk = GlobalCredentials(CREDS.access_key, CREDS.secret_key, CREDS.account_id).sign_request(
        SdkRequest(
            method=method,
            schema="http",
            host="127.0.0.1:8080",
            resource_path=path,
            query_params=list(query),
            header_params={**headers, "X-Sdk-Date": AT.strftime("%Y%m%dT%H%M%SZ")},
            body=body,
        )
    )
    ours = sign_headers(
        CREDS,
        method,
        path,
        encode_query(query),
        {**headers, "Host": "127.0.0.1:8080", "X-Domain-Id": CREDS.account_id},
        body,
        at=AT,
    )
    assert ours["Authorization"] == sdk.header_params["Authorization"]
    assert encode_query(query) == (sdk.uri.split("?", 1)[1] if "?" in sdk.uri else "")


def test_the_server_accepts_bench_signed_requests_and_refuses_a_wrong_secret(
    server, account
) -> None:
    creds = Credentials.from_dict(account.as_dict())
    client = Client(server.url, creds)
    answer = client.call("GET", "/v3/auth/domains").json()
    assert [d["id"] for d in answer["domains"]] == [account.account_id]
    wrong = Client(server.url, Credentials.from_dict({**account.as_dict(), "secret_key": "x" * 40}))
    with pytest.raises(UnexpectedResponse, match="401"):
        wrong.call("GET", "/v3/auth/domains")
    body = {"auth": {"identity": {"methods": ["password"]}}}
    with pytest.raises(UnexpectedResponse, match="400"):
        client.call("POST", "/v3/auth/tokens", json_body=json.loads(json.dumps(body)), expect=201)
