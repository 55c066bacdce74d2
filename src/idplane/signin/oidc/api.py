"""Routes of Identity Center OIDC (`/v1/clients`, `/v1/device/authorize`, `/v1/tokens`):
unauthenticated JSON, errors in `OidcEnvelope`."""

from __future__ import annotations

from fastapi import APIRouter

from idplane.platform.errors import OidcEnvelope
from idplane.platform.routing import api_router
from idplane.signin.oidc import schemas as s
from idplane.signin.oidc.service import OidcService


def create_router(oidc: OidcService) -> APIRouter:
    router = api_router(envelope=OidcEnvelope(), tags=["oidc"])

    @router.post("/v1/clients", response_model=s.RegisterClientResponse)
    def register_client(body: s.RegisterClientBody) -> s.RegisterClientResponse:
        return s.RegisterClientResponse(client_info=oidc.register_client(body))

    @router.post("/v1/device/authorize", response_model=s.StartDeviceAuthorizationResponse)
    def start_device_authorization(
        body: s.StartDeviceAuthorizationBody,
    ) -> s.StartDeviceAuthorizationResponse:
        return oidc.start_device_authorization(body)

    @router.post("/v1/tokens", response_model=s.CreateTokenResponse)
    def create_token(body: s.CreateTokenBody) -> s.CreateTokenResponse:
        return s.CreateTokenResponse(token_info=oidc.create_token(body))

    return router
