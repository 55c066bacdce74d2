"""Wire models of the IAM token, discovery and security-token APIs (Keystone v3 names)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    """Response models describe the documented fields and let extensions through."""

    model_config = ConfigDict(extra="allow")


class Strict(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DomainRef(Strict):
    id: str | None = None
    name: str | None = None


class PasswordUser(Strict):
    id: str | None = None
    name: str | None = None
    password: str = Field(min_length=1, max_length=128)
    domain: DomainRef | None = None


class PasswordMethod(Strict):
    user: PasswordUser


class TokenRef(Strict):
    id: str | None = None
    duration_seconds: int | None = None


class SessionUser(Strict):
    name: str = Field(min_length=5, max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$")


class AssumeRole(Strict):
    """The agency to assume (IAM v3 `assume_role`): its account by id or name, and its name."""

    agency_name: str = Field(min_length=1, max_length=64)
    domain_id: str | None = None
    domain_name: str | None = None
    duration_seconds: int | None = None
    session_user: SessionUser | None = None


class TotpUser(Strict):
    id: str | None = Field(default=None, max_length=64)
    # Not pattern-checked: a malformed passcode is a wrong passcode (401, not 400).
    passcode: str | None = Field(default=None, max_length=64)


class TotpMethod(Strict):
    user: TotpUser


class Identity(Strict):
    methods: list[Literal["password", "token", "totp", "assume_role"]] = Field(min_length=1)
    password: PasswordMethod | None = None
    totp: TotpMethod | None = None
    token: TokenRef | None = None
    policy: dict[str, Any] | None = None
    assume_role: AssumeRole | None = None


class ProjectScope(Strict):
    id: str | None = None
    name: str | None = None
    domain: DomainRef | None = None


class AuthScope(Strict):
    project: ProjectScope | None = None
    domain: DomainRef | None = None


class Auth(Strict):
    identity: Identity
    scope: AuthScope | None = None


class AuthRequest(Strict):
    auth: Auth


class Link(Open):
    self: str


class DomainOut(Open):
    id: str
    name: str
    enabled: bool = True
    description: str = ""
    links: Link


class DomainsResponse(Open):
    domains: list[DomainOut]
    links: Link


class ProjectOut(Open):
    id: str
    name: str
    domain_id: str
    parent_id: str
    enabled: bool = True
    is_domain: bool = False
    description: str = ""
    links: Link


class ProjectsResponse(Open):
    projects: list[ProjectOut]
    links: Link


class NamedRef(Open):
    id: str
    name: str


class TokenUser(Open):
    id: str
    name: str
    domain: NamedRef
    password_expires_at: str = ""


class TokenProject(Open):
    id: str
    name: str
    domain: NamedRef


class TokenBody(Open):
    methods: list[str]
    issued_at: str
    expires_at: str
    user: TokenUser
    roles: list[dict[str, str]]
    project: TokenProject | None = None
    domain: NamedRef | None = None
    catalog: list[dict[str, Any]] | None = None


class TokenResponse(Open):
    token: TokenBody


class CatalogResponse(Open):
    catalog: list[dict[str, Any]]
    links: Link


class TemporaryCredential(Open):
    access: str
    secret: str
    securitytoken: str
    expires_at: str


class TemporaryCredentialResponse(Open):
    credential: TemporaryCredential


class VersionResponse(Open):
    version: dict[str, Any]


def query_bool(value: str | None) -> bool | None:
    """Keystone's reading of boolean filters: anything but a false word is true."""
    if value is None:
        return None
    return value.strip().lower() not in ("0", "false", "f", "no", "n", "off")
