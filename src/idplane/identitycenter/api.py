"""HTTP routes of the Identity Center service and instance APIs, named after the SDK methods."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.identitycenter import schemas as s
from idplane.identitycenter.service import IdentityCenterService
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.paging import page_request
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty


def create_router(service: IdentityCenterService) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["identitycenter"])
    signed = authenticated(SIGNED)

    @router.post("/v1/service/start")
    def start_identity_center(caller: Caller = Depends(signed)) -> Response:
        service.start_identity_center(caller)
        return empty(200)

    @router.post("/v1/service/delete")
    def delete_identity_center(caller: Caller = Depends(signed)) -> Response:
        service.delete_identity_center(caller)
        return empty(200)

    @router.get("/v1/identity-center-service/status", response_model=s.ServiceStatusResponse)
    def get_identity_center_service_status(
        caller: Caller = Depends(signed),
    ) -> s.ServiceStatusResponse:
        return s.status_out(service.get_identity_center_service_status(caller))

    @router.get("/v1/instances", response_model=s.InstancesResponse)
    def list_instances(
        limit: int | None = None, marker: str | None = None, caller: Caller = Depends(signed)
    ) -> s.InstancesResponse:
        return s.instances_out(service.list_instances(caller, page_request(limit, marker)))

    @router.get(
        "/v1/instances/{instance_id}/identity-store-associations",
        response_model=s.IdentityStoreAssociationsResponse,
    )
    def list_identity_store_association(
        instance_id: str, caller: Caller = Depends(signed)
    ) -> s.IdentityStoreAssociationsResponse:
        return s.associations_out(service.list_identity_store_association(caller, instance_id))

    @router.post("/v1/instances/{instance_id}/alias")
    def create_alias(
        instance_id: str, body: s.CreateAliasBody, caller: Caller = Depends(signed)
    ) -> Response:
        service.create_alias(caller, instance_id, body.alias)
        return empty(200)

    @router.post("/v1/register-regions")
    def register_region(body: s.RegisterRegionBody, caller: Caller = Depends(signed)) -> Response:
        service.register_region(caller, body.region_id)
        return empty(200)

    @router.get("/v1/registered-regions", response_model=s.RegionsResponse)
    def describe_registered_regions(caller: Caller = Depends(signed)) -> s.RegionsResponse:
        return s.regions_out(service.describe_registered_regions(caller))

    return router
