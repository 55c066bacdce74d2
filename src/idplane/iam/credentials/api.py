"""HTTP routes of permanent access keys."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from idplane.iam.credentials import schemas
from idplane.iam.credentials.service import CredentialService
from idplane.iam.render import credential_view
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IamEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED_OR_TOKEN, authenticated, empty

BASE = "/v3.0/OS-CREDENTIAL/credentials"


def create_router(credentials: CredentialService) -> APIRouter:
    router = api_router(envelope=IamEnvelope(), tags=["iam access keys"])
    caller_of = authenticated(SIGNED_OR_TOKEN)

    @router.post(BASE, status_code=201, response_model=schemas.CreatedResponse)
    def create_permanent_access_key(
        body: schemas.CreateBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        fields = body.credential
        made = credentials.create_permanent_access_key(caller, fields.user_id, fields.description)
        return {"credential": {**credential_view(made.key), "secret": made.secret}}

    @router.get(BASE, response_model=schemas.CredentialsResponse)
    def list_permanent_access_keys(
        caller: Caller = Depends(caller_of), user_id: str | None = None
    ) -> dict:
        keys = credentials.list_permanent_access_keys(caller, user_id)
        return {"credentials": [credential_view(k) for k in keys]}

    @router.get(BASE + "/{access_key}", response_model=schemas.CredentialResponse)
    def show_permanent_access_key(access_key: str, caller: Caller = Depends(caller_of)) -> dict:
        key = credentials.show_permanent_access_key(caller, access_key)
        return {"credential": credential_view(key, shown=True)}

    @router.put(BASE + "/{access_key}", response_model=schemas.CredentialResponse)
    def update_permanent_access_key(
        access_key: str, body: schemas.UpdateBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        fields = body.credential
        key = credentials.update_permanent_access_key(
            caller, access_key, fields.status, fields.description
        )
        return {"credential": credential_view(key)}

    @router.delete(BASE + "/{access_key}", status_code=204)
    def delete_permanent_access_key(
        access_key: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        credentials.delete_permanent_access_key(caller, access_key)
        return empty(204)

    return router
