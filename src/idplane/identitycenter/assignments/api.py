"""HTTP routes of account assignments and disassociate-profile, named after the SDK methods."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from idplane.identitycenter.assignments import schemas as s
from idplane.identitycenter.assignments.service import AssignmentService
from idplane.instances.schemas import Marker, OptionalQuery, PathId, QueryId
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.paging import page_request
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty

PREFIX = "/v1/instances/{instance_id}"
PrincipalTypeQuery = Annotated[str, Query(pattern=r"^(USER|GROUP)$")]


def create_router(service: AssignmentService) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["account-assignments"])
    signed = authenticated(SIGNED)

    @router.post(PREFIX + "/account-assignments/create", response_model=s.CreationStatusResponse)
    def create_account_assignment(
        instance_id: PathId, body: s.AssignmentBody, caller: Caller = Depends(signed)
    ) -> s.CreationStatusResponse:
        return s.creation_out(service.create_account_assignment(caller, instance_id, body.grant()))

    @router.post(PREFIX + "/account-assignments/delete", response_model=s.DeletionStatusResponse)
    def delete_account_assignment(
        instance_id: PathId, body: s.AssignmentBody, caller: Caller = Depends(signed)
    ) -> s.DeletionStatusResponse:
        return s.deletion_out(service.delete_account_assignment(caller, instance_id, body.grant()))

    @router.get(
        PREFIX + "/account-assignments/creation-status/{request_id}",
        response_model=s.CreationStatusResponse,
    )
    def describe_account_assignment_creation_status(
        instance_id: PathId, request_id: PathId, caller: Caller = Depends(signed)
    ) -> s.CreationStatusResponse:
        record = service.describe_account_assignment_creation_status(
            caller, instance_id, request_id
        )
        return s.creation_out(record)

    @router.get(
        PREFIX + "/account-assignments/deletion-status/{request_id}",
        response_model=s.DeletionStatusResponse,
    )
    def describe_account_assignment_deletion_status(
        instance_id: PathId, request_id: PathId, caller: Caller = Depends(signed)
    ) -> s.DeletionStatusResponse:
        record = service.describe_account_assignment_deletion_status(
            caller, instance_id, request_id
        )
        return s.deletion_out(record)

    @router.get(
        PREFIX + "/account-assignments/creation-statuses",
        response_model=s.CreationStatusesResponse,
    )
    def list_account_assignment_creation_status(
        instance_id: PathId,
        limit: int | None = None,
        marker: Marker = None,
        status: OptionalQuery = None,
        caller: Caller = Depends(signed),
    ) -> s.CreationStatusesResponse:
        page = service.list_account_assignment_creation_status(
            caller, instance_id, page_request(limit, marker), status
        )
        return s.creations_out(page)

    @router.get(
        PREFIX + "/account-assignments/deletion-statuses",
        response_model=s.DeletionStatusesResponse,
    )
    def list_account_assignment_deletion_status(
        instance_id: PathId,
        limit: int | None = None,
        marker: Marker = None,
        status: OptionalQuery = None,
        caller: Caller = Depends(signed),
    ) -> s.DeletionStatusesResponse:
        page = service.list_account_assignment_deletion_status(
            caller, instance_id, page_request(limit, marker), status
        )
        return s.deletions_out(page)

    @router.get(PREFIX + "/account-assignments", response_model=s.AssignmentsResponse)
    def list_account_assignments(
        instance_id: PathId,
        account_id: QueryId,
        permission_set_id: OptionalQuery = None,
        limit: int | None = None,
        marker: Marker = None,
        caller: Caller = Depends(signed),
    ) -> s.AssignmentsResponse:
        page = service.list_account_assignments(
            caller, instance_id, account_id, permission_set_id, page_request(limit, marker)
        )
        return s.assignments_out(page)

    @router.get(
        PREFIX + "/account-assignments-for-principals", response_model=s.AssignmentsResponse
    )
    def list_account_assignments_for_principal(
        instance_id: PathId,
        principal_id: QueryId,
        principal_type: PrincipalTypeQuery,
        account_id: OptionalQuery = None,
        limit: int | None = None,
        marker: Marker = None,
        caller: Caller = Depends(signed),
    ) -> s.AssignmentsResponse:
        page = service.list_account_assignments_for_principal(
            caller,
            instance_id,
            principal_type,
            principal_id,
            account_id,
            page_request(limit, marker),
        )
        return s.assignments_out(page)

    @router.post(PREFIX + "/disassociate-profile")
    def disassociate_profile(
        instance_id: PathId, body: s.DisassociateProfileBody, caller: Caller = Depends(signed)
    ) -> Response:
        service.disassociate_profile(
            caller, instance_id, body.accessor_type, body.id, body.identity_store_id
        )
        return empty(200)

    return router
