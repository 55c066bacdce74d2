"""HTTP routes of IAM's token, discovery and temporary-credential APIs."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Header, Request, Response
from starlette.concurrency import run_in_threadpool

from idplane.iam import schemas
from idplane.iam.render import project_view
from idplane.iam.service import AccountService
from idplane.iam.sessions.tokens import AgencyTarget, AgencyTokens
from idplane.iam.tables import Account
from idplane.iam.tokens import PasswordLogin, Scope, TokenService, Totp
from idplane.platform.auth.caller import Caller, CredentialKind
from idplane.platform.errors import IamEnvelope, Invalid
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED_OR_TOKEN, authenticated, empty

TOKEN_ONLY = (CredentialKind.TOKEN,)


def create_router(
    accounts: AccountService, tokens: TokenService, endpoint: str, agency: AgencyTokens
) -> APIRouter:
    router = api_router(envelope=IamEnvelope(), tags=["iam"])
    signed_or_token = authenticated(SIGNED_OR_TOKEN)
    token_only = authenticated(TOKEN_ONLY)

    @router.get("/v3", response_model=schemas.VersionResponse)
    def keystone_show_version() -> dict:
        return {"version": _version(endpoint)}

    @router.get("/", response_model=dict)
    def keystone_list_versions() -> dict:
        return {"versions": {"values": [_version(endpoint)]}}

    @router.post("/v3/auth/tokens", status_code=201, response_model=schemas.TokenResponse)
    async def keystone_create_user_token_by_password(
        request: Request,
        body: schemas.AuthRequest,
        response: Response,
        nocatalog: str | None = None,
    ) -> dict:
        # One path, three SDK methods: keystone_create_agency_token (assume_role),
        # keystone_create_scoped_token (token) and the password logins.
        methods = body.auth.identity.methods
        if methods == ["assume_role"]:
            caller = await signed_or_token(request)
            secret, token = await run_in_threadpool(
                agency.create_agency_token,
                caller,
                _agency_target(body),
                _scope(body),
                not nocatalog,
            )
        elif methods == ["token"]:
            subject = (body.auth.identity.token or schemas.TokenRef()).id
            subject = subject or request.headers.get("x-auth-token")
            if not subject:
                raise Invalid("auth.identity.token.id is required", "IAM.0007")
            secret, token = await run_in_threadpool(
                agency.create_scoped_token, subject, _scope(body), not nocatalog
            )
        else:
            secret, token = await run_in_threadpool(
                tokens.create_token_by_password,
                _password_login(body),
                _scope(body),
                not nocatalog,
                _totp(body),
            )
        response.headers["X-Subject-Token"] = secret
        return {"token": token}

    @router.get("/v3/auth/tokens", response_model=schemas.TokenResponse)
    def keystone_validate_token(
        response: Response,
        caller: Caller = Depends(signed_or_token),
        x_subject_token: str = Header(),
        nocatalog: str | None = None,
    ) -> dict:
        token = tokens.validate_token(caller, x_subject_token, catalog=not nocatalog)
        response.headers["X-Subject-Token"] = x_subject_token
        return {"token": token}

    @router.head("/v3/auth/tokens", status_code=204)
    def keystone_check_token(
        caller: Caller = Depends(signed_or_token), x_subject_token: str = Header()
    ) -> Response:
        tokens.validate_token(caller, x_subject_token, catalog=False)
        return empty(204)

    @router.delete("/v3/auth/tokens", status_code=204)
    def keystone_revoke_token(
        caller: Caller = Depends(signed_or_token), x_subject_token: str = Header()
    ) -> Response:
        tokens.revoke_token(caller, x_subject_token)
        return empty(204)

    @router.get("/v3/auth/domains", response_model=schemas.DomainsResponse)
    def keystone_list_auth_domains(caller: Caller = Depends(signed_or_token)) -> dict:
        domains = accounts.list_auth_domains(caller)
        return {
            "domains": [_domain(d, endpoint) for d in domains],
            "links": {"self": f"{endpoint}/v3/auth/domains"},
        }

    @router.get("/v3/auth/projects", response_model=schemas.ProjectsResponse)
    def keystone_list_auth_projects(caller: Caller = Depends(signed_or_token)) -> dict:
        projects = accounts.list_projects(caller)
        return {
            "projects": [project_view(p, endpoint) for p in projects],
            "links": {"self": f"{endpoint}/v3/auth/projects"},
        }

    @router.get("/v3/auth/catalog", response_model=schemas.CatalogResponse)
    def keystone_show_catalog(caller: Caller = Depends(token_only)) -> dict:
        return {"catalog": tokens.catalog(), "links": {"self": f"{endpoint}/v3/auth/catalog"}}

    @router.post(
        "/v3.0/OS-CREDENTIAL/securitytokens",
        status_code=201,
        response_model=schemas.TemporaryCredentialResponse,
    )
    def create_temporary_access_key_by_token(
        body: schemas.AuthRequest, caller: Caller = Depends(signed_or_token)
    ) -> dict:
        identity = body.auth.identity
        if identity.methods == ["assume_role"]:
            return {"credential": _by_agency(agency, caller, identity)}
        if identity.methods != ["token"]:
            raise Invalid('auth.identity.methods must be ["token"] or ["assume_role"]', "IAM.0007")
        token = identity.token or schemas.TokenRef()
        if caller.session is not None and caller.kind == CredentialKind.TOKEN:
            credential = agency.create_temporary_access_key_in_session(
                caller, token.duration_seconds, identity.policy
            )
            return {"credential": credential}
        credential = tokens.create_temporary_access_key(
            caller, token.id, token.duration_seconds, identity.policy
        )
        return {"credential": credential}

    return router


def _agency_target(body: schemas.AuthRequest) -> AgencyTarget:
    assume = body.auth.identity.assume_role
    if assume is None:
        raise Invalid("auth.identity.assume_role is required", "IAM.0007")
    return AgencyTarget(assume.agency_name, assume.domain_id, assume.domain_name)


def _by_agency(agency: AgencyTokens, caller: Caller, identity: schemas.Identity) -> dict:
    """create_temporary_access_key_by_agency: temporary AK/SK of an agency session."""
    assume = identity.assume_role
    if assume is None:
        raise Invalid("auth.identity.assume_role is required", "IAM.0007")
    return agency.create_temporary_access_key_by_agency(
        caller,
        AgencyTarget(assume.agency_name, assume.domain_id, assume.domain_name),
        assume.duration_seconds,
        assume.session_user.name if assume.session_user else None,
        identity.policy,
    )


def _totp(body: schemas.AuthRequest) -> Totp | None:
    """The second factor of a password+MFA login; None for a password-only login."""
    identity = body.auth.identity
    if "totp" not in identity.methods:
        return None
    user = identity.totp.user if identity.totp else schemas.TotpUser()
    return Totp(user_id=user.id, passcode=user.passcode)


def _password_login(body: schemas.AuthRequest) -> PasswordLogin:
    identity = body.auth.identity
    if "password" not in identity.methods or identity.password is None:
        raise Invalid("auth.identity must use the password method", "IAM.0007")
    user = identity.password.user
    domain = user.domain or schemas.DomainRef()
    return PasswordLogin(
        password=user.password,
        user_id=user.id,
        user_name=user.name,
        domain_id=domain.id,
        domain_name=domain.name,
    )


def _scope(body: schemas.AuthRequest) -> Scope | None:
    scope = body.auth.scope
    if scope is None:
        return None
    project = scope.project or schemas.ProjectScope()
    domain = scope.domain or schemas.DomainRef()
    return Scope(
        project_id=project.id,
        project_name=project.name,
        domain_id=domain.id,
        domain_name=domain.name,
    )


def _version(endpoint: str) -> dict:
    return {
        "id": "v3.0",
        "status": "stable",
        "updated": "2024-01-01T00:00:00Z",
        "links": [{"rel": "self", "href": f"{endpoint}/v3/"}],
        "media-types": [
            {"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}
        ],
    }


def _domain(account: Account, endpoint: str) -> dict:
    return {
        "id": account.id,
        "name": account.name,
        "enabled": account.enabled,
        "description": account.description,
        "links": {"self": f"{endpoint}/v3/domains/{account.id}"},
    }
