"""HTTP routes of IAM users (Keystone `/v3/users` and Huawei `/v3.0/OS-USER/users`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from idplane.iam import render
from idplane.iam.groups.schemas import GroupsResponse
from idplane.iam.render import group_view, keystone_view, os_view, project_view
from idplane.iam.schemas import ProjectsResponse
from idplane.iam.users import schemas
from idplane.iam.users.service import UserFilter, UserService
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IamEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED_OR_TOKEN, authenticated, empty


def create_router(users: UserService, endpoint: str) -> APIRouter:
    router = api_router(envelope=IamEnvelope(), tags=["iam users"])
    caller_of = authenticated(SIGNED_OR_TOKEN)

    @router.post("/v3/users", status_code=201, response_model=schemas.KeystoneUserResponse)
    def keystone_create_user(body: schemas.UserBody, caller: Caller = Depends(caller_of)) -> dict:
        fields = body.user.model_dump(
            include={"name", "domain_id", "password", "enabled", "description"}, exclude_unset=True
        )
        return {"user": keystone_view(users.create_user(caller, fields), endpoint)}

    @router.get("/v3/users", response_model=schemas.KeystoneUsersResponse)
    def keystone_list_users(
        caller: Caller = Depends(caller_of),
        domain_id: str | None = None,
        name: str | None = None,
        enabled: bool | None = None,
    ) -> dict:
        found = users.list_users(caller, UserFilter(domain_id, name, enabled))
        return {
            "users": [keystone_view(u, endpoint, paged=True) for u in found],
            "links": render.links(endpoint, "/v3/users", paged=True),
        }

    @router.get("/v3/users/{user_id}", response_model=schemas.KeystoneUserResponse)
    def keystone_show_user(user_id: str, caller: Caller = Depends(caller_of)) -> dict:
        return {"user": keystone_view(users.show_user(caller, user_id), endpoint, paged=True)}

    @router.patch("/v3/users/{user_id}", response_model=schemas.KeystoneUserResponse)
    def keystone_update_user_by_admin(
        user_id: str, body: schemas.UserBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        fields = body.user.model_dump(
            include={"domain_id", "name", "password", "enabled", "description", "pwd_status"},
            exclude_unset=True,
        )
        return {"user": keystone_view(users.update_user(caller, user_id, fields), endpoint)}

    @router.delete("/v3/users/{user_id}", status_code=204)
    def keystone_delete_user(user_id: str, caller: Caller = Depends(caller_of)) -> Response:
        users.delete_user(caller, user_id)
        return empty(204)

    @router.get("/v3/users/{user_id}/groups", response_model=GroupsResponse)
    def keystone_list_groups_for_user(user_id: str, caller: Caller = Depends(caller_of)) -> dict:
        groups = users.list_groups_for_user(caller, user_id)
        return {
            "groups": [group_view(g, endpoint, paged=True) for g in groups],
            "links": render.links(endpoint, f"/v3/users/{user_id}/groups", paged=True),
        }

    @router.get("/v3/users/{user_id}/projects", response_model=ProjectsResponse)
    def keystone_list_projects_for_user(user_id: str, caller: Caller = Depends(caller_of)) -> dict:
        projects = users.list_projects_for_user(caller, user_id)
        return {
            "projects": [project_view(p, endpoint) for p in projects],
            "links": render.links(endpoint, f"/v3/users/{user_id}/projects", paged=True),
        }

    @router.post("/v3/users/{user_id}/password", status_code=204)
    def keystone_update_user_password(
        user_id: str, body: schemas.PasswordBody, caller: Caller = Depends(caller_of)
    ) -> Response:
        users.update_user_password(caller, user_id, body.user.original_password, body.user.password)
        return empty(204)

    @router.post("/v3.0/OS-USER/users", status_code=201, response_model=schemas.OsUserResponse)
    def create_user(body: schemas.UserBody, caller: Caller = Depends(caller_of)) -> dict:
        fields = body.user.model_dump(exclude_unset=True)
        return {"user": os_view(users.create_user(caller, fields), endpoint)}

    @router.get("/v3.0/OS-USER/users/{user_id}", response_model=schemas.OsUserResponse)
    def show_user(user_id: str, caller: Caller = Depends(caller_of)) -> dict:
        return {"user": os_view(users.show_user(caller, user_id), endpoint, paged=True)}

    @router.put("/v3.0/OS-USER/users/{user_id}", response_model=schemas.OsUserResponse)
    def update_user(
        user_id: str, body: schemas.UserBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        fields = body.user.model_dump(exclude_unset=True, exclude={"domain_id"})
        return {"user": os_view(users.update_user(caller, user_id, fields), endpoint)}

    @router.put("/v3.0/OS-USER/users/{user_id}/info", status_code=204)
    def update_user_information(
        user_id: str, body: schemas.InformationBody, caller: Caller = Depends(caller_of)
    ) -> Response:
        users.update_user_information(caller, user_id, body.user.email, body.user.mobile)
        return empty(204)

    return router
