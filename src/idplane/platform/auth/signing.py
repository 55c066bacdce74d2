"""`SDK-HMAC-SHA256` request signatures, verified exactly as huaweicloudsdkcore signs them.

Pure functions over the raw request (see shared/spec/signing.md); no storage, no framework.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
MAX_SKEW = timedelta(minutes=15)
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_SDK_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z", re.ASCII)


class SignatureError(Exception):
    """The request is not signed correctly; the message is safe to show to the caller."""


@dataclass(frozen=True)
class SignedRequest:
    method: str
    raw_path: str
    raw_query: str
    headers: dict[str, str]  # lower-case names, values as the client sent them (UTF-8 text)
    body: bytes


@dataclass(frozen=True)
class Authorization:
    algorithm: str
    access_key: str
    signed_headers: list[str]
    signature: str


def parse_authorization(value: str) -> Authorization:
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise SignatureError(f"unsupported signing algorithm {algorithm or '(none)'}")
    fields: dict[str, str] = {}
    for part in rest.split(","):
        key, sep, val = part.strip().partition("=")
        if sep:
            fields[key] = val
    try:
        return Authorization(
            algorithm, fields["Access"], fields["SignedHeaders"].split(";"), fields["Signature"]
        )
    except KeyError as missing:
        raise SignatureError(f"Authorization header lacks {missing.args[0]}") from None


def check_date(headers: dict[str, str], now: datetime) -> None:
    value = headers.get("x-sdk-date")
    if not value:
        raise SignatureError("X-Sdk-Date is missing")
    # A fixed-width regex, not strptime (a tenth of the signature check on every request).
    parts = _SDK_DATE.fullmatch(value)
    try:
        if parts is None:
            raise ValueError(value)
        year, month, day, hour, minute, second = map(int, parts.groups())
        signed_at = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        raise SignatureError("X-Sdk-Date is not in the form YYYYMMDDTHHMMSSZ") from None
    if abs(now - signed_at) > MAX_SKEW:
        raise SignatureError("X-Sdk-Date differs from the server time by more than 15 minutes")


def _encode(text: str) -> str:
    return quote(text, safe="~")


def canonical_uri(raw_path: str) -> str:
    uri = "/".join(_encode(segment) for segment in unquote(raw_path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(raw_query: str) -> str:
    pairs = sorted(parse_qsl(raw_query, keep_blank_values=True))
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)


def payload_hash(headers: dict[str, str], body: bytes) -> str:
    if not body:
        return EMPTY_SHA256
    declared = headers.get("x-sdk-content-sha256")
    if declared:
        return declared
    return hashlib.sha256(body).hexdigest()


def string_to_sign(request: SignedRequest, auth: Authorization) -> str:
    missing = [h for h in auth.signed_headers if h not in request.headers]
    if missing:
        raise SignatureError(f"signed header {missing[0]} is not in the request")
    canonical_headers = "".join(f"{h}:{request.headers[h].strip()}\n" for h in auth.signed_headers)
    canonical = "\n".join(
        [
            request.method.upper(),
            canonical_uri(request.raw_path),
            canonical_query(request.raw_query),
            canonical_headers,
            ";".join(auth.signed_headers),
            payload_hash(request.headers, request.body),
        ]
    )
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    return f"{ALGORITHM}\n{request.headers['x-sdk-date']}\n{digest}"


def sign(secret_key: str, text: str) -> str:
    return hmac.new(secret_key.encode(), text.encode(), hashlib.sha256).hexdigest()


def verify(request: SignedRequest, auth: Authorization, secret_key: str, now: datetime) -> None:
    """Raises `SignatureError` unless the request carries a valid, fresh signature."""
    if "host" not in auth.signed_headers or "x-sdk-date" not in auth.signed_headers:
        raise SignatureError("host and x-sdk-date must be signed")
    check_date(request.headers, now)
    declared = request.headers.get("x-sdk-content-sha256")
    if (
        request.body
        and declared
        and declared != "UNSIGNED-PAYLOAD"
        and declared != hashlib.sha256(request.body).hexdigest()
    ):
        raise SignatureError("X-Sdk-Content-Sha256 does not match the body")
    expected = sign(secret_key, string_to_sign(request, auth))
    if not hmac.compare_digest(expected, auth.signature.lower()):
        raise SignatureError("verify aksk signature fail")
