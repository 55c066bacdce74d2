"""HTTP routes of the user APIs, named after the SDK methods."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.identitystore.directory.schemas import UpdateBody
from idplane.identitystore.users import schemas as s
from idplane.identitystore.users.service import StoreUserService
from idplane.instances.schemas import Marker, OptionalQuery, PathId, StoreId
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.paging import page_request
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty


def create_router(users: StoreUserService) -> APIRouter:
    router = api_router(
        envelope=IdentityCenterEnvelope(),
        prefix="/v1/identity-stores/{identity_store_id}/users",
        tags=["users"],
    )
    signed = authenticated(SIGNED)

    @router.post("", response_model=s.CreateUserResponse)
    def create_user(
        identity_store_id: StoreId, body: s.CreateUserBody, caller: Caller = Depends(signed)
    ) -> s.CreateUserResponse:
        return s.created_out(users.create_user(caller, identity_store_id, body))

    @router.get("", response_model=s.ListUsersResponse)
    def list_users(
        identity_store_id: StoreId,
        limit: int | None = None,
        marker: Marker = None,
        user_name: OptionalQuery = None,
        caller: Caller = Depends(signed),
    ) -> s.ListUsersResponse:
        page = users.list_users(caller, identity_store_id, page_request(limit, marker), user_name)
        return s.user_page_out(page)

    @router.post("/batch-query", response_model=s.DescribeUsersResponse)
    def describe_users(
        identity_store_id: StoreId, body: s.DescribeUsersBody, caller: Caller = Depends(signed)
    ) -> s.DescribeUsersResponse:
        return s.users_out(users.describe_users(caller, identity_store_id, body.user_ids))

    @router.post("/retrieve-user-id", response_model=s.GetUserIdResponse)
    def get_user_id(
        identity_store_id: StoreId, body: s.GetUserIdBody, caller: Caller = Depends(signed)
    ) -> s.GetUserIdResponse:
        user_id = users.get_user_id(caller, identity_store_id, body.alternate_identifier)
        return s.GetUserIdResponse(identity_store_id=identity_store_id, user_id=user_id)

    @router.get("/{user_id}", response_model=s.UserOut)
    def describe_user(
        identity_store_id: StoreId, user_id: PathId, caller: Caller = Depends(signed)
    ) -> s.UserOut:
        return s.user_out(users.describe_user(caller, identity_store_id, user_id))

    @router.put("/{user_id}")
    def update_user(
        identity_store_id: StoreId,
        user_id: PathId,
        body: UpdateBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        users.update_user(caller, identity_store_id, user_id, body.to_operations())
        return empty(200)

    @router.delete("/{user_id}")
    def delete_user(
        identity_store_id: StoreId, user_id: PathId, caller: Caller = Depends(signed)
    ) -> Response:
        users.delete_user(caller, identity_store_id, user_id)
        return empty(200)

    @router.post("/{user_id}/enable")
    def enable_user(
        identity_store_id: StoreId, user_id: PathId, caller: Caller = Depends(signed)
    ) -> Response:
        users.enable_user(caller, identity_store_id, user_id)
        return empty(200)

    @router.post("/{user_id}/disable")
    def disable_user(
        identity_store_id: StoreId, user_id: PathId, caller: Caller = Depends(signed)
    ) -> Response:
        users.disable_user(caller, identity_store_id, user_id)
        return empty(200)

    return router
