"""HTTP routes of the application assignment APIs, named after the SDK methods."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.identitycenter.applications.assignments import schemas as s
from idplane.identitycenter.applications.assignments.service import (
    ApplicationAssignmentService,
    Principal,
)
from idplane.identitycenter.applications.schemas import ApplicationInstanceId
from idplane.instances.schemas import InstanceId, Limit, Marker
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.paging import page_request
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty

APPLICATION = "/v1/instances/{instance_id}/applications/{application_instance_id}"


def create_router(service: ApplicationAssignmentService) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["identitycenter"])
    signed = authenticated(SIGNED)

    @router.post(APPLICATION + "/assignments/create", status_code=201)
    def create_application_assignment(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        body: s.PrincipalBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.create_application_assignment(
            caller, instance_id, application_instance_id, body.principal()
        )
        return empty(201)

    @router.post(APPLICATION + "/assignments/delete")
    def delete_application_assignment(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        body: s.PrincipalBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.delete_application_assignment(
            caller, instance_id, application_instance_id, body.principal()
        )
        return empty(200)

    @router.get(APPLICATION + "/assignments", response_model=s.AssignmentsResponse)
    def list_application_assignments(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        limit: Limit = None,
        marker: Marker = None,
        caller: Caller = Depends(signed),
    ) -> s.AssignmentsResponse:
        page = service.list_application_assignments(
            caller, instance_id, application_instance_id, page_request(limit, marker)
        )
        return s.page_out(page)

    @router.get(
        "/v1/instances/{instance_id}/application-assignments-for-principals",
        response_model=s.AssignmentsResponse,
    )
    def list_application_assignments_for_principal(
        instance_id: InstanceId,
        principal_id: s.PrincipalIdQuery,
        principal_type: s.PrincipalTypeQuery,
        limit: Limit = None,
        marker: Marker = None,
        caller: Caller = Depends(signed),
    ) -> s.AssignmentsResponse:
        principal = Principal(principal_type, principal_id)
        page = service.list_application_assignments_for_principal(
            caller, instance_id, principal, page_request(limit, marker)
        )
        return s.page_out(page)

    @router.get(
        APPLICATION + "/assignments-configuration",
        response_model=s.AssignmentConfigurationResponse,
    )
    def get_application_assignment_configuration(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        caller: Caller = Depends(signed),
    ) -> s.AssignmentConfigurationResponse:
        required = service.get_application_assignment_configuration(
            caller, instance_id, application_instance_id
        )
        return s.AssignmentConfigurationResponse(assignment_required=required)

    return router
