"""One bad-input table run against both stores: deep nesting, lone surrogates, NUL characters
and values past the documented limits are refused at the edge with a 400 in the path's
envelope, and values at the limits are accepted, so SQLite and PostgreSQL store alike."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from tests.hardening.raw import call
from tests.scim.endpoint.support import Scim, new_scim

DEEP = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
SURROGATE = "bad-\ud800"
NUL = "bad-\x00"


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    body: Any = None
    content: bytes | None = None
    query: dict[str, str] | None = None
    signed: bool = True
    status: int = 400


def _token(name: str) -> dict:
    user = {"name": name, "password": "x", "domain": {"name": "d"}}
    return {"auth": {"identity": {"methods": ["password"], "password": {"user": user}}}}


def _group(name: str = "g-{n}", description: str = "") -> dict:
    return {"group": {"name": name, "description": description}}


def _role(description: str) -> dict:
    policy = {"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["obs:*:*"]}]}
    role = {"display_name": "r-{n}", "type": "AX", "description": description}
    return {"role": {**role, "policy": policy}}


IAM_CASES = {
    "token with a lone surrogate in the user name": Case(
        "POST", "/v3/auth/tokens", _token(SURROGATE), signed=False
    ),
    "token with a NUL in the user name": Case("POST", "/v3/auth/tokens", _token(NUL), signed=False),
    "token body nested 100000 levels": Case("POST", "/v3/auth/tokens", content=DEEP, signed=False),
    "group named with a lone surrogate": Case("POST", "/v3/groups", _group(SURROGATE)),
    "group described with a NUL": Case("POST", "/v3/groups", _group(description=NUL)),
    "group description of 256 characters": Case(
        "POST", "/v3/groups", _group(description="d" * 256)
    ),
    "group description of 255 characters": Case(
        "POST", "/v3/groups", _group(description="é" * 255), status=201
    ),
    "custom policy description of 257 characters": Case(
        "POST", "/v3.0/OS-ROLE/roles", _role("d" * 257)
    ),
    "custom policy description of 256 characters": Case(
        "POST", "/v3.0/OS-ROLE/roles", _role("d" * 256), status=201
    ),
    "identity provider authorization_ttl of 2^53": Case(
        "PUT",
        "/v3/OS-FEDERATION/identity_providers/idp-{n}",
        {"identity_provider": {"authorization_ttl": 2**53}},
    ),
    "NUL in a query parameter": Case("GET", "/v3/users", query={"name": NUL}),
    "NUL in a path id": Case("GET", "/v3/groups/{n}\x00"),
    "NUL in an Identity Center path id": Case("GET", "/v1/instances/ins-\x00/permission-sets"),
}


@pytest.mark.parametrize("case", IAM_CASES.values(), ids=IAM_CASES.keys())
def test_bad_input_is_refused_alike_on_both_stores(server, account, case: Case) -> None:
    n = uuid.uuid4().hex[:10]
    body = _fill(case.body, n)
    response = call(
        server,
        account if case.signed else None,
        case.method,
        case.path.replace("{n}", n),
        body=body,
        content=case.content,
        query=case.query,
    )
    assert response.status_code == case.status, response.text
    if case.status == 400:
        assert response.json()["error_code"].startswith(("IAM.", "IIC."))
        assert response.json()["request_id"] == response.headers["X-Request-Id"]


def _fill(value: Any, n: str) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, n) for k, v in value.items()}
    return value.replace("{n}", n) if isinstance(value, str) else value


@pytest.fixture(scope="module")
def scim(server) -> Scim:
    return new_scim(server)


SCIM_CASES = {
    "group body nested 100000 levels": ("POST", "/Groups", DEEP, "invalidSyntax"),
    "group named with a lone surrogate": (
        "POST",
        "/Groups",
        b'{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"\\ud800"}',
        "invalidValue",
    ),
    "NUL in a user id": ("GET", "/Users/abc%00", None, "invalidValue"),
    "NUL in a filter": ("GET", "/Users?filter=userName%20eq%20%22a%00%22", None, "invalidValue"),
}


@pytest.mark.parametrize("case", SCIM_CASES.values(), ids=SCIM_CASES.keys())
def test_bad_scim_input_is_invalid_syntax_or_value(scim: Scim, case) -> None:
    method, path, content, scim_type = case
    with scim.http() as http:
        headers = {"Content-Type": "application/scim+json"}
        response = http.request(method, scim.base + path, content=content, headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["scimType"] == scim_type
    assert response.headers["X-Request-Id"]
