"""HTTP routes of `list_applications` and `describe_application`."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from idplane.identitycenter.applications.overview import schemas as s
from idplane.identitycenter.applications.overview.service import ApplicationOverviewService
from idplane.identitycenter.applications.schemas import ApplicationInstanceId
from idplane.instances.schemas import InstanceId, Limit, Marker
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.paging import page_request
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated


def create_router(service: ApplicationOverviewService) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["identitycenter"])
    signed = authenticated(SIGNED)

    @router.get("/v1/instances/{instance_id}/applications", response_model=s.ApplicationsResponse)
    def list_applications(
        instance_id: InstanceId,
        limit: Limit = None,
        marker: Marker = None,
        caller: Caller = Depends(signed),
    ) -> s.ApplicationsResponse:
        return s.page_out(
            service.list_applications(caller, instance_id, page_request(limit, marker))
        )

    @router.get(
        "/v1/instances/{instance_id}/applications/{application_instance_id}",
        response_model=s.ApplicationDto,
    )
    def describe_application(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        caller: Caller = Depends(signed),
    ) -> s.ApplicationDto:
        view = service.describe_application(caller, instance_id, application_instance_id)
        return s.application_out(view)

    return router
