"""The bench's HTTP client: SDK-HMAC-SHA256 signing as huaweicloudsdkcore does it, over one
keep-alive `http.client` connection.

Canonicalisation is the server's own (`idplane.platform.auth.signing`), so there is one
implementation of the algorithm; this module only decides what a client puts on the wire. The
official SDK client is not used here because its per-call overhead would be measured instead of
the server (tests/bench/test_signer.py proves both sign identically).
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from idplane.platform.auth import signing

USER_AGENT = "idplane-bench"


@dataclass(frozen=True)
class Credentials:
    """What `idplane credentials create --json` prints (only the AK/SK are required for signing)."""

    access_key: str
    secret_key: str
    account_id: str | None = None
    project_id: str | None = None
    account_name: str | None = None
    user_id: str | None = None
    user_name: str | None = None
    password: str | None = None
    region: str = "cn-north-4"
    endpoint: str | None = None

    @classmethod
    def from_dict(cls, values: dict) -> Credentials:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known and v is not None})


def encode_query(query: dict[str, Any] | list[tuple[str, Any]] | None) -> str:
    """The query string the SDK sends: already canonical (sorted, unreserved-only encoding)."""
    if not query:
        return ""
    pairs = query.items() if isinstance(query, dict) else query
    text = [(k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in pairs]
    return signing.canonical_query("&".join(f"{quote(k)}={quote(v)}" for k, v in text))


def sign_headers(
    credentials: Credentials,
    method: str,
    path: str,
    query: str,
    headers: dict[str, str],
    body: bytes,
    at: datetime | None = None,
) -> dict[str, str]:
    """`headers` (which must include Host) plus X-Sdk-Date and Authorization. Like the SDK,
    every header set here whose name has no underscore is signed."""
    signed = {**headers, "X-Sdk-Date": (at or datetime.now(UTC)).strftime(signing.DATE_FORMAT)}
    lower = {k.lower(): v for k, v in signed.items()}
    names = sorted(k for k in lower if "_" not in k)
    request = signing.SignedRequest(method.upper(), path, query, lower, body)
    auth = signing.Authorization(signing.ALGORITHM, credentials.access_key, names, "")
    signature = signing.sign(credentials.secret_key, signing.string_to_sign(request, auth))
    signed["Authorization"] = (
        f"{signing.ALGORITHM} Access={credentials.access_key}, "
        f"SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    return signed


class UnexpectedResponse(Exception):
    """The server answered with a status the operation did not expect."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    """One keep-alive connection to the server, signing as `credentials`.

    `scope="domain"` adds X-Domain-Id like the SDK's GlobalCredentials (IAM, IdentityCenter);
    `scope="project"` adds X-Project-Id like BasicCredentials (regional services).
    """

    def __init__(self, url: str, credentials: Credentials, timeout: float = 60):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"not an http(s) URL: {url}")
        connection = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        self.host = parts.netloc
        self.prefix = parts.path.rstrip("/")
        self.credentials = credentials
        self.connection = connection(parts.hostname, parts.port, timeout=timeout)

    def call(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, Any] | list[tuple[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
        signed: bool = True,
        scope: str = "domain",
        expect: int = 200,
    ) -> Response:
        full_path = self.prefix + path
        raw_query = encode_query(query)
        body = b"" if json_body is None else json.dumps(json_body).encode()
        # The SDK sends Content-Type: application/json on every call, GETs included.
        sent = {
            "Host": self.host,
            "User-Agent": USER_AGENT,
            "Content-Type": "application/json",
            **self._scope_header(scope),
            **(headers or {}),
        }
        if signed:
            sent = sign_headers(self.credentials, method, full_path, raw_query, sent, body)
        target = f"{full_path}?{raw_query}" if raw_query else full_path
        try:
            self.connection.request(method, target, body=body or None, headers=sent)
            answer = self.connection.getresponse()
            response = Response(
                answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
            )
        except (OSError, http.client.HTTPException):
            self.close()  # the next call reconnects
            raise
        if response.status != expect:
            raise UnexpectedResponse(
                f"{method} {path} answered {response.status}, expected {expect}: "
                f"{response.body[:300].decode(errors='replace')}"
            )
        return response

    def _scope_header(self, scope: str) -> dict[str, str]:
        if scope == "domain" and self.credentials.account_id:
            return {"X-Domain-Id": self.credentials.account_id}
        if scope == "project" and self.credentials.project_id:
            return {"X-Project-Id": self.credentials.project_id}
        return {}

    def connect(self) -> None:
        self.connection.connect()

    def close(self) -> None:
        self.connection.close()
