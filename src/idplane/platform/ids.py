"""Identifiers in the formats the real services use."""

import secrets
import string
import uuid

_AK_ALPHABET = string.ascii_uppercase + string.digits
_SK_ALPHABET = string.ascii_letters + string.digits


def hex32() -> str:
    """Account (domain), IAM user, project and group ids: 32 lower-case hex characters."""
    return uuid.uuid4().hex


def uuid_str() -> str:
    return str(uuid.uuid4())


def prefixed_hex(prefix: str, length: int) -> str:
    """`ins-` + 16 hex, `d-` + 10 hex, `ps-` + 16 hex and friends."""
    return prefix + secrets.token_hex((length + 1) // 2)[:length]


def access_key() -> str:
    return "".join(secrets.choice(_AK_ALPHABET) for _ in range(20))


def secret_key() -> str:
    return "".join(secrets.choice(_SK_ALPHABET) for _ in range(40))


def request_id() -> str:
    return uuid.uuid4().hex


def opaque_token(nbytes: int = 48) -> str:
    return secrets.token_urlsafe(nbytes)
