"""HTTP routes of permissions (`/v3/roles`) and custom policies (`/v3.0/OS-ROLE/roles`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Response

from idplane.iam import render
from idplane.iam.render import role_view
from idplane.iam.roles import schemas
from idplane.iam.roles.service import PermissionFilter, PolicySpec, RoleService
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IamEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED_OR_TOKEN, authenticated, empty

CUSTOM = "/v3.0/OS-ROLE/roles"


def create_router(roles: RoleService, endpoint: str) -> APIRouter:
    router = api_router(envelope=IamEnvelope(), tags=["iam permissions"])
    caller_of = authenticated(SIGNED_OR_TOKEN)

    @router.get("/v3/roles", response_model=schemas.RolesResponse)
    def keystone_list_permissions(
        caller: Caller = Depends(caller_of),
        name: str | None = None,
        domain_id: str | None = None,
        page: int | None = None,
        per_page: int | None = None,
        permission_type: str | None = None,
        display_name: str | None = None,
        type: str | None = None,
        catalog: str | None = None,
    ) -> dict:
        query = PermissionFilter(name, domain_id, display_name, permission_type, type, catalog)
        found = roles.list_permissions(caller, query)
        return {
            "roles": [role_view(r, endpoint) for r in render.page_of(found, page, per_page, 300)],
            "links": render.links(endpoint, "/v3/roles", paged=True),
            "total_number": len(found),
        }

    @router.get("/v3/roles/{role_id}", response_model=schemas.RoleResponse)
    def keystone_show_permission(role_id: str, caller: Caller = Depends(caller_of)) -> dict:
        return {"role": role_view(roles.show_permission(caller, role_id), endpoint)}

    @router.post(CUSTOM, status_code=201, response_model=schemas.RoleResponse)
    def create_cloud_service_custom_policy(
        body: schemas.PolicyBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        policy = roles.create_custom_policy(caller, _spec(body))
        return {"role": role_view(policy, endpoint, custom=True)}

    @router.get(CUSTOM, response_model=schemas.RolesResponse)
    def list_custom_policies(
        caller: Caller = Depends(caller_of),
        page: int | None = Query(None),
        per_page: int | None = Query(None),
    ) -> dict:
        found = roles.list_custom_policies(caller)
        shown = render.page_of(found, page, per_page, 300)
        return {
            "roles": [role_view(p, endpoint, custom=True) for p in shown],
            "links": render.links(endpoint, CUSTOM, paged=True),
            "total_number": len(found),
        }

    @router.get(CUSTOM + "/{role_id}", response_model=schemas.RoleResponse)
    def show_custom_policy(role_id: str, caller: Caller = Depends(caller_of)) -> dict:
        policy, references = roles.show_custom_policy(caller, role_id)
        return {"role": {**role_view(policy, endpoint, custom=True), "references": references}}

    @router.patch(CUSTOM + "/{role_id}", response_model=schemas.RoleResponse)
    def update_cloud_service_custom_policy(
        role_id: str, body: schemas.PolicyBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        policy = roles.update_custom_policy(caller, role_id, _spec(body))
        return {"role": role_view(policy, endpoint, custom=True)}

    @router.delete(CUSTOM + "/{role_id}", status_code=200)
    def delete_custom_policy(role_id: str, caller: Caller = Depends(caller_of)) -> Response:
        roles.delete_custom_policy(caller, role_id)
        return empty(200)

    return router


def _spec(body: schemas.PolicyBody) -> PolicySpec:
    role = body.role
    return PolicySpec(
        role.display_name, role.type, role.description, role.description_cn, role.policy
    )
