"""Requests the SDK models would never send (out-of-range markers, NUL bytes, lone
surrogates, deep nesting), signed exactly as the SDK signs them (bench/signer.py)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx

from bench.signer import Credentials, encode_query, sign_headers
from idplane.iam.service import AccountCredentials


def call(
    server,
    creds: AccountCredentials | None,
    method: str,
    path: str,
    *,
    scope: str = "domain",
    query: dict[str, Any] | None = None,
    body: Any = None,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """One request, signed with `creds` (unsigned when None); `path` may hold raw characters
    (they are percent-encoded as the SDK does); `content` sends bytes as they are."""
    path = quote(path, safe="/-_.~")
    raw_query = encode_query(query)
    if content is None:
        content = b"" if body is None else json.dumps(body).encode()
    sent = {
        "Host": server.url.split("://", 1)[1],
        "Content-Type": "application/json",
        **(headers or {}),
    }
    if creds is not None:
        if scope == "domain":
            sent["X-Domain-Id"] = creds.account_id
        elif scope == "project":
            sent["X-Project-Id"] = creds.project_id
        signer = Credentials(creds.access_key, creds.secret_key)
        sent = sign_headers(signer, method, path, raw_query, sent, content)
    target = f"{server.url}{path}" + (f"?{raw_query}" if raw_query else "")
    return httpx.request(method, target, content=content, headers=sent, timeout=30)
