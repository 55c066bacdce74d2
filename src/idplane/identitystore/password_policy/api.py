"""HTTP routes of an identity store's password policy, named after the SDK methods."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.identitystore.password_policy import schemas as s
from idplane.identitystore.password_policy.service import PasswordPolicyService
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty

PATH = "/v1/identity-stores/{identity_store_id}/password-policy"


def create_router(service: PasswordPolicyService) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["identitystore"])
    signed = authenticated(SIGNED)

    @router.get(PATH, response_model=s.PasswordPolicyResponse)
    def describe_password_policy(
        identity_store_id: str, caller: Caller = Depends(signed)
    ) -> s.PasswordPolicyResponse:
        return s.policy_out(service.describe_password_policy(caller, identity_store_id))

    @router.put(PATH)
    def update_password_policy(
        identity_store_id: str,
        body: s.UpdatePasswordPolicyReqBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.update_password_policy(caller, identity_store_id, body.password_policy.changes())
        return empty(200)

    return router
