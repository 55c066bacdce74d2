"""HTTP routes of STS v5 (`huaweicloudsdksts.v1.StsClient`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from idplane.iam.sessions.service import IssuedCredentials
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import StsEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated
from idplane.sts import schemas
from idplane.sts.service import AssumeAgency, StsService


def create_router(sts: StsService) -> APIRouter:
    router = api_router(envelope=StsEnvelope(), tags=["sts"])
    signed = authenticated(SIGNED)

    @router.post("/v5/agencies/assume", response_model=schemas.AssumeAgencyResponse)
    def assume_agency(body: schemas.AssumeAgencyBody, caller: Caller = Depends(signed)) -> dict:
        return credentials_view(sts.assume_agency(caller, _assume(body)))

    @router.get("/v5/caller-identity", response_model=schemas.CallerIdentityResponse)
    def get_caller_identity(caller: Caller = Depends(signed)) -> dict:
        return sts.get_caller_identity(caller)

    @router.post("/v5/decode-authorization-message", response_model=schemas.DecodedMessageResponse)
    def decode_authorization_message(
        body: schemas.DecodeAuthorizationMessageBody, caller: Caller = Depends(signed)
    ) -> dict:
        return {"decoded_message": sts.decode_authorization_message(caller, body.encoded_message)}

    return router


def credentials_view(issued: IssuedCredentials) -> dict:
    """The assume_* answer: the session's URN and id, and its credentials."""
    return {
        "source_identity": issued.session.source_identity,
        "assumed_agency": {"urn": issued.session.urn, "id": issued.session.principal_id},
        "credentials": {
            "access_key_id": issued.access,
            "secret_access_key": issued.secret,
            "security_token": issued.security_token,
            "expiration": issued.expires_at.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{issued.expires_at.microsecond // 1000:03d}Z",
        },
    }


def _assume(body: schemas.AssumeAgencyBody) -> AssumeAgency:
    return AssumeAgency(
        agency_urn=body.agency_urn,
        session_name=body.agency_session_name,
        duration_seconds=body.duration_seconds,
        external_id=body.external_id,
        policy=body.policy,
        policy_ids=body.policy_ids or (),
        source_identity=body.source_identity,
        tags={t.key: t.value for t in body.tags or []},
        transitive_tag_keys=body.transitive_tag_keys or (),
        mfa_serial_number=body.serial_number,
        mfa_token_code=body.token_code,
        provided_contexts=len(body.provided_contexts or []),
    )
