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


class SourceKind(StrEnum):
    """Who opened an agency session (the original principal, or the session it chained from)."""

    USER = "user"  # an IAM user
    ROOT = "root"  # an account's root user
    AGENCY_SESSION = "assumed-agency"  # an agency session assuming onwards (chaining)
    IDENTITY_STORE_USER = "identity-store-user"  # Identity Center portal sign-in
    FEDERATED_USER = "federated-user"  # assume_agency_with_oidc / _with_saml
    # A cloud service opening a session, for a caller, in an agency that trusts the service
    # (LakeFormation's show_agency_credential).
    CLOUD_SERVICE = "cloud-service"


@dataclass(frozen=True)
class AssumedSession:
    """An agency session the caller acts in (STS credentials, agency tokens). The caller's
    `account_id` is then the agency's account and `agency_id` the agency."""

    id: str
    account_id: str  # the agency's account
    agency_id: str
    agency_name: str
    session_name: str
    source_kind: SourceKind
    source_account_id: str  # the account of the principal that assumed the agency
    source_principal_id: str
    source_principal_urn: str  # the original principal of the chain
    source_identity: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    transitive_tag_keys: tuple[str, ...] = ()
    mfa: bool = False
    expires_at: datetime | None = None

    @property
    def urn(self) -> str:
        return f"sts::{self.account_id}:assumed-agency:{self.agency_name}/{self.session_name}"

    @property
    def principal_id(self) -> str:
        return f"{self.agency_id}:{self.session_name}"


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
    session: AssumedSession | None = field(default=None, compare=False)
    mfa: bool = False  # a token got with the password and a virtual MFA code

    @property
    def mfa_present(self) -> bool:
        return self.mfa or bool(self.session and self.session.mfa)

    @property
    def principal_urn(self) -> str:
        if self.session is not None:
            return self.session.urn
        if self.is_root:
            return f"iam::{self.account_id}:root"
        return f"iam::{self.account_id}:user:{self.user_name}"

    @property
    def principal_id(self) -> str:
        if self.session is not None:
            return self.session.principal_id
        return self.user_id or self.account_id
