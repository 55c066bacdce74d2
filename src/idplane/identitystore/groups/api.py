"""HTTP routes of the group APIs, named after the SDK methods."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.identitystore.directory.schemas import UpdateBody
from idplane.identitystore.groups import schemas as s
from idplane.identitystore.groups.service import StoreGroupService
from idplane.instances.schemas import Marker, OptionalQuery, PathId, StoreId
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.paging import page_request
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty


def create_router(groups: StoreGroupService) -> APIRouter:
    router = api_router(
        envelope=IdentityCenterEnvelope(),
        prefix="/v1/identity-stores/{identity_store_id}/groups",
        tags=["groups"],
    )
    signed = authenticated(SIGNED)

    @router.post("", response_model=s.CreateGroupResponse)
    def create_group(
        identity_store_id: StoreId, body: s.CreateGroupBody, caller: Caller = Depends(signed)
    ) -> s.CreateGroupResponse:
        return s.created_out(groups.create_group(caller, identity_store_id, body))

    @router.get("", response_model=s.ListGroupsResponse)
    def list_groups(
        identity_store_id: StoreId,
        limit: int | None = None,
        marker: Marker = None,
        display_name: OptionalQuery = None,
        caller: Caller = Depends(signed),
    ) -> s.ListGroupsResponse:
        page = groups.list_groups(
            caller, identity_store_id, page_request(limit, marker), display_name
        )
        return s.group_page_out(page)

    @router.post("/batch-query", response_model=s.DescribeGroupsResponse)
    def describe_groups(
        identity_store_id: StoreId, body: s.DescribeGroupsBody, caller: Caller = Depends(signed)
    ) -> s.DescribeGroupsResponse:
        return s.groups_out(groups.describe_groups(caller, identity_store_id, body.group_ids))

    @router.post("/retrieve-group-id", response_model=s.GetGroupIdResponse)
    def get_group_id(
        identity_store_id: StoreId, body: s.GetGroupIdBody, caller: Caller = Depends(signed)
    ) -> s.GetGroupIdResponse:
        group_id = groups.get_group_id(caller, identity_store_id, body.alternate_identifier)
        return s.GetGroupIdResponse(identity_store_id=identity_store_id, group_id=group_id)

    @router.get("/{group_id}", response_model=s.GroupOut)
    def describe_group(
        identity_store_id: StoreId, group_id: PathId, caller: Caller = Depends(signed)
    ) -> s.GroupOut:
        return s.group_out(groups.describe_group(caller, identity_store_id, group_id))

    @router.put("/{group_id}")
    def update_group(
        identity_store_id: StoreId,
        group_id: PathId,
        body: UpdateBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        groups.update_group(caller, identity_store_id, group_id, body.to_operations())
        return empty(200)

    @router.delete("/{group_id}")
    def delete_group(
        identity_store_id: StoreId, group_id: PathId, caller: Caller = Depends(signed)
    ) -> Response:
        groups.delete_group(caller, identity_store_id, group_id)
        return empty(200)

    return router
