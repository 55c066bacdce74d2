"""HTTP routes of automatic provisioning (tenants and their bearer tokens), named after the
SDK methods of `huaweicloudsdkidentitycenterstore`."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response

from idplane.identitystore.provisioning import schemas as s
from idplane.identitystore.provisioning.service import ScimProvisioningService
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty

STORE = "/v1/identity-stores/{identity_store_id}"
TENANT = STORE + "/tenant/{tenant_id}"


def create_router(service: ScimProvisioningService) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["identitystore"])
    signed = authenticated(SIGNED)

    @router.post(STORE + "/provision-tenant", status_code=201, response_model=s.ProvisioningTenant)
    def create_provisioning_tenant(
        identity_store_id: str, caller: Caller = Depends(signed)
    ) -> s.ProvisioningTenant:
        return s.tenant_out(service.create_provisioning_tenant(caller, identity_store_id))

    @router.get(STORE + "/provision-tenant", response_model=s.ProvisioningTenantsResponse)
    def list_provisioning_tenants(
        identity_store_id: str, caller: Caller = Depends(signed)
    ) -> s.ProvisioningTenantsResponse:
        return s.tenants_out(service.list_provisioning_tenants(caller, identity_store_id))

    @router.delete(TENANT)
    def delete_provisioning_tenant(
        identity_store_id: str, tenant_id: str, caller: Caller = Depends(signed)
    ) -> Response:
        service.delete_provisioning_tenant(caller, identity_store_id, tenant_id)
        return empty(200)

    @router.post(TENANT + "/bearer-token", status_code=201)
    def create_bearer_token(
        identity_store_id: str, tenant_id: str, caller: Caller = Depends(signed)
    ) -> Response:
        issued = service.create_bearer_token(caller, identity_store_id, tenant_id)
        # The one response that carries the secret: never cached anywhere on the way.
        body = s.issued_out(issued).model_dump()
        return JSONResponse(body, status_code=201, headers={"Cache-Control": "no-store"})

    @router.get(TENANT + "/bearer-token", response_model=s.BearerTokensResponse)
    def list_bearer_tokens(
        identity_store_id: str, tenant_id: str, caller: Caller = Depends(signed)
    ) -> s.BearerTokensResponse:
        return s.tokens_out(service.list_bearer_tokens(caller, identity_store_id, tenant_id))

    @router.delete(TENANT + "/bearer-token/{token_id}")
    def delete_bearer_token(
        identity_store_id: str, tenant_id: str, token_id: str, caller: Caller = Depends(signed)
    ) -> Response:
        service.delete_bearer_token(caller, identity_store_id, tenant_id, token_id)
        return empty(200)

    return router
