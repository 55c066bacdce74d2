"""The authenticated caller of a request, however it proved who it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class CredentialKind(StrEnum):
    ACCESS_KEY = "access_key"  # permanent AK/SK
    TEMPORARY = "temporary"  # AK/SK + X-Security-Token from OS-CREDENTIAL/securitytokens
    TOKEN = "token"  # X-Auth-Token
    SCIM_BEARER = "scim_bearer"  # bearer token of a provisioning tenant


@dataclass(frozen=True)
class Caller:
    account_id: str
    account_name: str
    user_id: str | None
    user_name: str | None
    is_root: bool
    kind: CredentialKind
    credential_id: str  # access key, or the id (never the secret) of a token
    project_id: str | None = None
    project_name: str | None = None
    expires_at: datetime | None = None
    token_scope: str | None = None  # "project" or "domain" for tokens
    agency_id: str | None = None  # set when the caller acts through an agency
    # Permissions carried by the credential itself (a temporary credential's session policy).
    session_policy: dict | None = field(default=None, compare=False)
