"""HTTP routes of Keystone groups and group membership."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Response

from idplane.iam import render
from idplane.iam.groups import schemas
from idplane.iam.groups.service import GroupService
from idplane.iam.render import group_view, keystone_view
from idplane.iam.users.schemas import KeystoneUsersResponse
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IamEnvelope, Invalid
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED_OR_TOKEN, authenticated, empty


def create_router(groups: GroupService, endpoint: str) -> APIRouter:

    router = api_router(envelope=IamEnvelope(), tags=["iam groups"])
    caller_of = authenticated(SIGNED_OR_TOKEN)

    @router.post("/v3/groups", status_code=201, response_model=schemas.GroupResponse)
    def keystone_create_group(body: schemas.GroupBody, caller: Caller = Depends(caller_of)) -> dict:
        fields = body.group
        if fields.name is None:
            raise Invalid("'name' is a required property.", "IAM.0072")
        group = groups.create_group(caller, fields.name, fields.description, fields.domain_id)
        return {"group": group_view(group, endpoint)}

    @router.get("/v3/groups", response_model=schemas.GroupsResponse)
    def keystone_list_groups(
        caller: Caller = Depends(caller_of),
        domain_id: str | None = None,
        name: str | None = Query(None, max_length=128),
    ) -> dict:
        found = groups.list_groups(caller, domain_id, name)
        return {
            "groups": [group_view(g, endpoint, paged=True) for g in found],
            "links": render.links(endpoint, "/v3/groups", paged=True),
        }

    @router.get("/v3/groups/{group_id}", response_model=schemas.GroupResponse)
    def keystone_show_group(group_id: str, caller: Caller = Depends(caller_of)) -> dict:
        return {"group": group_view(groups.show_group(caller, group_id), endpoint, paged=True)}

    @router.patch("/v3/groups/{group_id}", response_model=schemas.GroupResponse)
    def keystone_update_group(
        group_id: str, body: schemas.GroupBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        changes = body.group.model_dump(exclude_unset=True)
        return {"group": group_view(groups.update_group(caller, group_id, changes), endpoint)}

    @router.delete("/v3/groups/{group_id}", status_code=204)
    def keystone_delete_group(group_id: str, caller: Caller = Depends(caller_of)) -> Response:
        groups.delete_group(caller, group_id)
        return empty(204)

    @router.get("/v3/groups/{group_id}/users", response_model=KeystoneUsersResponse)
    def keystone_list_users_for_group_by_admin(
        group_id: str, caller: Caller = Depends(caller_of)
    ) -> dict:
        users = groups.list_users_for_group(caller, group_id)
        return {
            "users": [keystone_view(u, endpoint, paged=True) for u in users],
            "links": render.links(endpoint, f"/v3/groups/{group_id}/users", paged=True),
        }

    @router.head("/v3/groups/{group_id}/users/{user_id}", status_code=204)
    def keystone_check_user_in_group(
        group_id: str, user_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        groups.check_user_in_group(caller, group_id, user_id)
        return empty(204)

    @router.put("/v3/groups/{group_id}/users/{user_id}", status_code=204)
    def keystone_add_user_to_group(
        group_id: str, user_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        groups.add_user_to_group(caller, group_id, user_id)
        return empty(204)

    @router.delete("/v3/groups/{group_id}/users/{user_id}", status_code=204)
    def keystone_remove_user_from_group(
        group_id: str, user_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        groups.remove_user_from_group(caller, group_id, user_id)
        return empty(204)

    return router
