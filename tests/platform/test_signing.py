"""The SDK-HMAC-SHA256 verifier, unit by unit, against the spec's vector and tampering."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from huaweicloudsdkcore.auth.credentials import GlobalCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest

from idplane.platform.auth import signing

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def test_the_known_answer_vector_from_huaweis_signing_guide() -> None:
    text = (
        "SDK-HMAC-SHA256\n20191115T033655Z\n"
        "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
    )
    assert (
        signing.sign("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", text)
        == "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
    )


def test_path_segments_are_decoded_then_encoded_with_only_unreserved_left_bare() -> None:
    assert signing.canonical_uri("/v3/auth/domains") == "/v3/auth/domains/"
    assert (
        signing.canonical_uri("/v3/OS-FEDERATION/identity_providers/idp%3Aone%2Ftwo%20%C3%BC")
        == "/v3/OS-FEDERATION/identity_providers/idp%3Aone/two%20%C3%BC/"
    )


def test_query_pairs_are_sorted_and_encoded() -> None:
    assert signing.canonical_query("b=2&a=x%20y&a=1&c=") == "a=1&a=x%20y&b=2&c="


def _sdk_signed(
    method: str = "POST",
    path: str = "/v1/things/a%3Ab",
    query: list | None = None,
    body: bytes = b'{"k": "v"}',
):
    """A request signed by the real SDK signer, as the server would receive it."""
    creds = GlobalCredentials("AKTESTAKTESTAKTEST01", "sk-secret-value", "domain-1")
    request = SdkRequest(
        method=method,
        schema="http",
        host="127.0.0.1:8080",
        resource_path=path,
        query_params=query or [("limit", 10), ("name", "a b")],
        header_params={
            "Content-Type": "application/json",
            "X-Sdk-Date": NOW.strftime("%Y%m%dT%H%M%SZ"),
        },
        body=body,
    )
    signed = creds.sign_request(request)
    headers = {k.lower(): str(v) for k, v in signed.header_params.items()}
    headers["host"] = "127.0.0.1:8080"
    raw_query = signed.uri.split("?", 1)[1] if "?" in signed.uri else ""
    auth = signing.parse_authorization(headers["authorization"])
    return signing.SignedRequest(method, path, raw_query, headers, body), auth


def test_a_request_signed_by_the_sdk_verifies() -> None:
    request, auth = _sdk_signed()
    signing.verify(request, auth, "sk-secret-value", NOW)


@pytest.mark.parametrize("tamper", ["method", "path", "query", "body", "signed_header", "date"])
def test_any_tampering_breaks_the_signature(tamper: str) -> None:
    request, auth = _sdk_signed()
    changed = {
        "method": lambda r: r.__class__(**{**r.__dict__, "method": "PUT"}),
        "path": lambda r: r.__class__(**{**r.__dict__, "raw_path": "/v1/things/a%3Ac"}),
        "query": lambda r: r.__class__(**{**r.__dict__, "raw_query": "limit=11&name=a%20b"}),
        "body": lambda r: r.__class__(**{**r.__dict__, "body": b'{"k": "w"}'}),
        "signed_header": lambda r: r.__class__(
            **{**r.__dict__, "headers": {**r.headers, "x-domain-id": "domain-2"}}
        ),
        "date": lambda r: r.__class__(
            **{
                **r.__dict__,
                "headers": {
                    **r.headers,
                    "x-sdk-date": (NOW + timedelta(seconds=1)).strftime("%Y%m%dT%H%M%SZ"),
                },
            }
        ),
    }[tamper](request)
    with pytest.raises(signing.SignatureError):
        signing.verify(changed, auth, "sk-secret-value", NOW)


def test_a_wrong_secret_key_fails() -> None:
    request, auth = _sdk_signed()
    with pytest.raises(signing.SignatureError, match="signature fail"):
        signing.verify(request, auth, "sk-secret-valuf", NOW)


def test_a_date_more_than_fifteen_minutes_off_is_refused() -> None:
    request, auth = _sdk_signed()
    with pytest.raises(signing.SignatureError, match="15 minutes"):
        signing.verify(request, auth, "sk-secret-value", NOW + timedelta(minutes=16))
    signing.verify(request, auth, "sk-secret-value", NOW + timedelta(minutes=14))


def test_other_algorithms_are_refused() -> None:
    with pytest.raises(signing.SignatureError, match="unsupported"):
        signing.parse_authorization("SDK-HMAC-SM3 Access=a, SignedHeaders=host, Signature=00")


def test_host_and_date_must_be_signed() -> None:
    request, auth = _sdk_signed()
    narrowed = signing.Authorization(
        auth.algorithm,
        auth.access_key,
        [h for h in auth.signed_headers if h != "host"],
        auth.signature,
    )
    with pytest.raises(signing.SignatureError, match="must be signed"):
        signing.verify(request, narrowed, "sk-secret-value", NOW)


def test_a_declared_body_hash_must_match_the_body() -> None:
    request, auth = _sdk_signed()
    headers = {**request.headers, "x-sdk-content-sha256": hashlib.sha256(b"other").hexdigest()}
    with pytest.raises(signing.SignatureError, match="does not match"):
        signing.verify(
            request.__class__(**{**request.__dict__, "headers": headers}),
            auth,
            "sk-secret-value",
            NOW,
        )
