"""HTTP routes of the group membership APIs, named after the SDK methods."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.identitystore.memberships import schemas as s
from idplane.identitystore.memberships.service import MembershipService
from idplane.instances.schemas import Marker, PathId, QueryId, StoreId
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.paging import page_request
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty


def create_router(memberships: MembershipService) -> APIRouter:
    router = api_router(
        envelope=IdentityCenterEnvelope(),
        prefix="/v1/identity-stores/{identity_store_id}",
        tags=["memberships"],
    )
    signed = authenticated(SIGNED)

    @router.post("/group-memberships", response_model=s.MembershipIdResponse)
    def create_group_membership(
        identity_store_id: StoreId,
        body: s.CreateGroupMembershipBody,
        caller: Caller = Depends(signed),
    ) -> s.MembershipIdResponse:
        membership = memberships.create_group_membership(
            caller, identity_store_id, body.group_id, body.member_id.user_id
        )
        return s.membership_id_out(membership)

    @router.get("/group-memberships", response_model=s.MembershipsResponse)
    def list_group_memberships(
        identity_store_id: StoreId,
        group_id: QueryId,
        limit: int | None = None,
        marker: Marker = None,
        caller: Caller = Depends(signed),
    ) -> s.MembershipsResponse:
        page = memberships.list_group_memberships(
            caller, identity_store_id, group_id, page_request(limit, marker)
        )
        return s.memberships_out(page)

    @router.get("/group-memberships-for-member", response_model=s.MembershipsResponse)
    def list_group_memberships_for_member(
        identity_store_id: StoreId,
        user_id: QueryId,
        limit: int | None = None,
        marker: Marker = None,
        caller: Caller = Depends(signed),
    ) -> s.MembershipsResponse:
        page = memberships.list_group_memberships_for_member(
            caller, identity_store_id, user_id, page_request(limit, marker)
        )
        return s.memberships_out(page)

    @router.post(
        "/group-memberships/retrieve-group-membership-id", response_model=s.MembershipIdResponse
    )
    def get_group_membership_id(
        identity_store_id: StoreId,
        body: s.GetGroupMembershipIdBody,
        caller: Caller = Depends(signed),
    ) -> s.MembershipIdResponse:
        membership_id = memberships.get_group_membership_id(
            caller, identity_store_id, body.group_id, body.member_id.user_id
        )
        return s.MembershipIdResponse(
            identity_store_id=identity_store_id, membership_id=membership_id
        )

    @router.get("/group-memberships/{membership_id}", response_model=s.MembershipOut)
    def describe_group_membership(
        identity_store_id: StoreId, membership_id: PathId, caller: Caller = Depends(signed)
    ) -> s.MembershipOut:
        membership = memberships.describe_group_membership(caller, identity_store_id, membership_id)
        return s.membership_out(membership)

    @router.delete("/group-memberships/{membership_id}")
    def delete_group_membership(
        identity_store_id: StoreId, membership_id: PathId, caller: Caller = Depends(signed)
    ) -> Response:
        memberships.delete_group_membership(caller, identity_store_id, membership_id)
        return empty(200)

    @router.post("/is-member-in-groups", response_model=s.IsMemberInGroupsResponse)
    def is_member_in_groups(
        identity_store_id: StoreId, body: s.IsMemberInGroupsBody, caller: Caller = Depends(signed)
    ) -> s.IsMemberInGroupsResponse:
        user_id = body.member_id.user_id
        results = memberships.is_member_in_groups(
            caller, identity_store_id, user_id, body.group_ids
        )
        return s.existence_out(user_id, results)

    return router
