"""HTTP routes of federated sign-in (unauthenticated: the assertion is the credential).

- `POST /v3.0/OS-AUTH/id-token/tokens` (`X-Idp-Id`, body `auth.id_token.id`, optional
  `auth.scope`): Huawei's `create_token_with_id_token`, protocol `oidc`;
- `POST /v3/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol}/auth`
  (`Authorization: Bearer <ID token>`): `create_unscoped_token_with_id_token`;
- `POST /v3.0/OS-FEDERATION/tokens` (`X-Idp-Id`, form `SAMLResponse`): the SAML IdP-initiated
  `create_unscope_token_by_idp_initiated` (see federation/assertions.py).
Every answer is 201 with the token in `X-Subject-Token`.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.federation import assertions
from idplane.federation.assume import AssumeWithOidc, AssumeWithSaml, FederatedAssume
from idplane.federation.idtoken import unverified_issuer, verify_id_token
from idplane.federation.signin import FederatedSignIn
from idplane.federation.tables import IdentityProvider, OidcConfig, SamlMetadata
from idplane.iam.schemas import AuthScope
from idplane.iam.sessions.service import AgencySessions
from idplane.iam.tokens import Scope
from idplane.platform.errors import IamEnvelope, Invalid, StsEnvelope, Unauthenticated
from idplane.platform.routing import api_router, include_routes
from idplane.sts.api import credentials_view


class IdTokenRef(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str = Field(min_length=1, max_length=16384)


class IdTokenAuth(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id_token: IdTokenRef
    scope: AuthScope | None = None


class AssumeWithOidcBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    provider_urn: str = Field(max_length=1500)
    agency_urn: str = Field(max_length=1500)
    agency_session_name: str = Field(min_length=2, max_length=128, pattern=r"^[\w+=,.@-]+$")
    id_token: str = Field(min_length=4, max_length=20000)
    duration_seconds: int | None = Field(None, ge=900, le=43200)
    policy: str | None = Field(None, min_length=2, max_length=4096)


class AssumeWithSamlBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    provider_urn: str = Field(max_length=1500)
    agency_urn: str = Field(max_length=1500)
    saml_assertion: str = Field(min_length=4, max_length=100000)
    duration_seconds: int | None = Field(None, ge=900, le=43200)
    policy: str | None = Field(None, min_length=2, max_length=4096)
    policy_ids: list[str] | None = None


class IdTokenBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    auth: IdTokenAuth


def create_router(signin: FederatedSignIn, endpoint: str) -> APIRouter:
    router = api_router(envelope=IamEnvelope(), tags=["federation"])
    sts_router = api_router(envelope=StsEnvelope(), tags=["sts"])  # the /v5 assume-with-*
    base = endpoint.rstrip("/")
    assume = FederatedAssume(signin.store, AgencySessions(signin.store, signin.tokens.box))

    @sts_router.post("/v5/agencies/assume-with-saml")
    def assume_agency_with_saml(body: AssumeWithSamlBody) -> dict:
        if body.policy_ids:
            raise Invalid("policy_ids are not supported with SAML federation.", "PAP5.0029")
        sp = assertions.SpEndpoints(
            entity_id=f"{base}/",
            recipients=(f"{base}/v5/agencies/assume-with-saml", f"{base}{IDP_INITIATED}"),
        )
        done = assume.assume_agency_with_saml(
            AssumeWithSaml(
                provider_urn=body.provider_urn,
                agency_urn=body.agency_urn,
                saml_assertion=body.saml_assertion,
                duration_seconds=body.duration_seconds,
                policy=_policy(body.policy),
            ),
            sp,
        )
        return {
            **credentials_view(done.issued),
            "audience": done.audience,
            "issuer": done.issuer,
            "name_qualifier": done.name_qualifier,
            "subject": done.subject,
            "subject_type": done.subject_type,
        }

    @sts_router.post("/v5/agencies/assume-with-oidc")
    def assume_agency_with_oidc(body: AssumeWithOidcBody) -> dict:
        policy = _policy(body.policy)
        done = assume.assume_agency_with_oidc(
            AssumeWithOidc(
                provider_urn=body.provider_urn,
                agency_urn=body.agency_urn,
                session_name=body.agency_session_name,
                id_token=body.id_token,
                duration_seconds=body.duration_seconds,
                policy=policy,
            )
        )
        return {
            **credentials_view(done.issued),
            "audience": done.audience,
            "provider": done.provider,
            "subject_from_id_token": done.subject,
        }

    def service_provider(idp_id: str, protocol_id: str) -> assertions.SpEndpoints:
        keystone = f"{base}/v3/OS-FEDERATION/identity_providers/{idp_id}/protocols/{protocol_id}"
        return assertions.SpEndpoints(
            entity_id=f"{base}/", recipients=(f"{base}{IDP_INITIATED}", f"{keystone}/auth")
        )

    @router.post("/v3.0/OS-AUTH/id-token/tokens", status_code=201)
    def create_token_with_id_token(
        body: IdTokenBody,
        response: Response,
        x_idp_id: str = Header(),
        nocatalog: str | None = None,
    ) -> dict:
        candidates, verify = _oidc(x_idp_id, body.auth.id_token.id)
        done = signin.sign_in(
            candidates, "oidc", verify, scope=_scope(body.auth.scope), catalog=not nocatalog
        )
        response.headers["X-Subject-Token"] = done.secret
        return {"token": done.body}

    @router.post(IDP_INITIATED, status_code=201)
    async def create_unscope_token_by_idp_initiated(
        request: Request, response: Response, x_idp_id: str = Header()
    ) -> dict:
        saml_response = _form_field(await request.body(), "SAMLResponse")
        candidates, verify = _saml(
            x_idp_id, "saml", saml_response, service_provider(x_idp_id, "saml")
        )
        done = await run_in_threadpool(signin.sign_in, candidates, "saml", verify, None, True)
        response.headers["X-Subject-Token"] = done.secret
        return {"token": done.body}

    @router.post("/v3/OS-FEDERATION/identity_providers/{idp_id}/protocols/{protocol_id}/auth")
    async def create_unscoped_token_with_id_token(
        idp_id: str,
        protocol_id: str,
        request: Request,
        response: Response,
        authorization: str | None = Header(None),
    ) -> dict:
        """OIDC with `Authorization: Bearer <ID token>`, or SAML with a form `SAMLResponse`
        (the assertion Keystone's SAML protocol receives at this path)."""
        scheme, _, id_token = (authorization or "").partition(" ")
        if scheme.lower() == "bearer" and id_token.strip():
            candidates, verify = _oidc(idp_id, id_token.strip())
        else:
            saml_response = _form_field(await request.body(), "SAMLResponse")
            sp = service_provider(idp_id, protocol_id)
            candidates, verify = _saml(idp_id, protocol_id, saml_response, sp)
        done = await run_in_threadpool(signin.sign_in, candidates, protocol_id, verify, None, True)
        response.status_code = 201
        response.headers["X-Subject-Token"] = done.secret
        return {"token": done.body}

    include_routes(router, sts_router)
    return router


IDP_INITIATED = "/v3.0/OS-FEDERATION/tokens"


def _policy(text: str | None) -> dict | None:
    if text is None:
        return None
    try:
        policy = json.loads(text)
    except ValueError:
        policy = None
    if not isinstance(policy, dict):
        raise Invalid("policy is not a JSON policy document.", "PAP5.0029")
    return policy


def _form_field(body: bytes, name: str) -> str:
    if len(body) > 4 * assertions.MAX_BYTES:
        raise Unauthenticated("The request is too large.", "IAM.0101")
    values = parse_qs(body.decode("utf-8", "replace")).get(name)
    if not values or not values[0].strip():
        raise Unauthenticated(
            f"Authorization: Bearer <ID token> or a form field {name} is required.", "IAM.0101"
        )
    return values[0]


def _saml(
    idp_id: str, protocol_id: str, saml_response: str, sp: assertions.SpEndpoints
) -> tuple[Any, Any]:
    """Which providers may have issued the response, and how one of them verifies it (its
    signature, conditions and recipient; its assertion ID is recorded against replay)."""
    document = assertions.decode_response(saml_response)
    issuer = assertions.unverified_issuer(document)

    def candidates(session: Session) -> list[IdentityProvider]:
        if not issuer:
            return []
        return list(
            session.scalars(
                select(IdentityProvider)
                .join(
                    SamlMetadata,
                    (SamlMetadata.account_id == IdentityProvider.account_id)
                    & (SamlMetadata.idp_id == IdentityProvider.id),
                )
                .where(
                    IdentityProvider.id == idp_id,
                    SamlMetadata.protocol_id == protocol_id,
                    SamlMetadata.entity_id == issuer,
                )
                .order_by(IdentityProvider.seq)
            )
        )

    def verify(idp: IdentityProvider, session: Session) -> dict:
        metadata = session.scalars(
            select(SamlMetadata).where(
                SamlMetadata.account_id == idp.account_id,
                SamlMetadata.idp_id == idp.id,
                SamlMetadata.protocol_id == protocol_id,
            )
        ).one()
        verified = assertions.verify_response(document, metadata.data, sp)
        assertions.use_once(session, idp.account_id, verified)
        return verified.claims

    return candidates, verify


def _oidc(idp_id: str, id_token: str) -> tuple[Any, Any]:
    """Which providers may have signed the token, and how one of them verifies it."""
    issuer = unverified_issuer(id_token)

    def candidates(session: Session) -> list[IdentityProvider]:
        if issuer is None:
            return []
        return list(
            session.scalars(
                select(IdentityProvider)
                .join(
                    OidcConfig,
                    (OidcConfig.account_id == IdentityProvider.account_id)
                    & (OidcConfig.idp_id == IdentityProvider.id),
                )
                .where(IdentityProvider.id == idp_id, OidcConfig.idp_url == issuer)
                .order_by(IdentityProvider.seq)
            )
        )

    def verify(idp: IdentityProvider, session: Session) -> dict:
        config = session.scalars(
            select(OidcConfig).where(
                OidcConfig.account_id == idp.account_id, OidcConfig.idp_id == idp.id
            )
        ).one()
        return verify_id_token(id_token, config.signing_key, config.idp_url, config.client_id)

    return candidates, verify


def _scope(scope: AuthScope | None) -> Scope | None:
    if scope is None:
        return None
    project = scope.project
    domain = scope.domain
    return Scope(
        project_id=project.id if project else None,
        project_name=project.name if project else None,
        domain_id=domain.id if domain else None,
        domain_name=domain.name if domain else None,
    )
