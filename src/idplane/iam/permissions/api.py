"""HTTP routes of group grants: on the account, on a project, inherited by all projects."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from idplane.iam import render
from idplane.iam.permissions.service import GrantService, Target
from idplane.iam.render import role_view
from idplane.iam.roles.schemas import GrantedRoles
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IamEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED_OR_TOKEN, authenticated, empty

DOMAIN = "/v3/domains/{domain_id}/groups/{group_id}/roles"
PROJECT = "/v3/projects/{project_id}/groups/{group_id}/roles"
INHERIT = "/v3/OS-INHERIT/domains/{domain_id}/groups/{group_id}/roles"


def create_router(grants: GrantService, endpoint: str) -> APIRouter:
    router = api_router(envelope=IamEnvelope(), tags=["iam group permissions"])
    caller_of = authenticated(SIGNED_OR_TOKEN)

    def listing(group_id: str, target: Target, caller: Caller, path: str) -> dict:
        roles = grants.list_permissions_for_group(caller, group_id, target)
        return {
            "roles": [role_view(r, endpoint) for r in roles],
            "links": render.links(endpoint, path, paged=True),
        }

    def check(group_id: str, role_id: str, target: Target, caller: Caller) -> Response:
        grants.check_permission_for_group(caller, group_id, role_id, target)
        return empty(204)

    def grant(group_id: str, role_id: str, target: Target, caller: Caller) -> Response:
        grants.grant_to_group(caller, group_id, role_id, target)
        return empty(204)

    def revoke(group_id: str, role_id: str, target: Target, caller: Caller) -> Response:
        grants.revoke_from_group(caller, group_id, role_id, target)
        return empty(204)

    # On the account (global services) -------------------------------------------------------

    @router.get(DOMAIN, response_model=GrantedRoles)
    def keystone_list_domain_permissions_for_group(
        domain_id: str, group_id: str, caller: Caller = Depends(caller_of)
    ) -> dict:
        path = f"/v3/domains/{domain_id}/groups/{group_id}/roles"
        return listing(group_id, Target.domain(domain_id), caller, path)

    @router.head(DOMAIN + "/{role_id}", status_code=204)
    def keystone_check_domain_permission_for_group(
        domain_id: str, group_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        return check(group_id, role_id, Target.domain(domain_id), caller)

    @router.put(DOMAIN + "/{role_id}", status_code=204)
    def keystone_associate_group_with_domain_permission(
        domain_id: str, group_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        return grant(group_id, role_id, Target.domain(domain_id), caller)

    @router.delete(DOMAIN + "/{role_id}", status_code=204)
    def keystone_remove_domain_permission_from_group(
        domain_id: str, group_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        return revoke(group_id, role_id, Target.domain(domain_id), caller)

    # On one project ---------------------------------------------------------------------------

    @router.get(PROJECT, response_model=GrantedRoles)
    def keystone_list_project_permissions_for_group(
        project_id: str, group_id: str, caller: Caller = Depends(caller_of)
    ) -> dict:
        path = f"/v3/projects/{project_id}/groups/{group_id}/roles"
        return listing(group_id, Target.project(project_id), caller, path)

    @router.head(PROJECT + "/{role_id}", status_code=204)
    def keystone_check_project_permission_for_group(
        project_id: str, group_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        return check(group_id, role_id, Target.project(project_id), caller)

    @router.put(PROJECT + "/{role_id}", status_code=204)
    def keystone_associate_group_with_project_permission(
        project_id: str, group_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        return grant(group_id, role_id, Target.project(project_id), caller)

    @router.delete(PROJECT + "/{role_id}", status_code=204)
    def keystone_remove_project_permission_from_group(
        project_id: str, group_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        return revoke(group_id, role_id, Target.project(project_id), caller)

    # Inherited by every project of the account (OS-INHERIT) ---------------------------------

    @router.get(INHERIT + "/inherited_to_projects", response_model=GrantedRoles)
    def keystone_list_all_project_permissions_for_group(
        domain_id: str, group_id: str, caller: Caller = Depends(caller_of)
    ) -> dict:
        path = f"/v3/OS-INHERIT/domains/{domain_id}/groups/{group_id}/roles/inherited_to_projects"
        return listing(group_id, Target.inherited(domain_id), caller, path)

    @router.head(INHERIT + "/{role_id}/inherited_to_projects", status_code=204)
    def keystone_checkrole_for_group(
        domain_id: str, group_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        return check(group_id, role_id, Target.inherited(domain_id), caller)

    @router.put(INHERIT + "/{role_id}/inherited_to_projects", status_code=204)
    def update_domain_group_inherit_role(
        domain_id: str, group_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        return grant(group_id, role_id, Target.inherited(domain_id), caller)

    @router.delete(INHERIT + "/{role_id}/inherited_to_projects", status_code=204)
    def delete_domain_group_inherited_role(
        domain_id: str, group_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        return revoke(group_id, role_id, Target.inherited(domain_id), caller)

    return router
