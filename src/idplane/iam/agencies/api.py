"""HTTP routes of agencies and their grants."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Response

from idplane.iam import render
from idplane.iam.agencies import schemas
from idplane.iam.agencies.service import AgencyFilter, AgencyService, AgencySpec
from idplane.iam.permissions.service import Target
from idplane.iam.render import agency_view, role_view
from idplane.iam.roles.schemas import GrantedRoles
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IamEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED_OR_TOKEN, authenticated, empty

BASE = "/v3.0/OS-AGENCY/agencies"
DOMAIN = "/v3.0/OS-AGENCY/domains/{domain_id}/agencies/{agency_id}/roles"
PROJECT = "/v3.0/OS-AGENCY/projects/{project_id}/agencies/{agency_id}/roles"


def create_router(agencies: AgencyService, endpoint: str) -> APIRouter:
    router = api_router(envelope=IamEnvelope(), tags=["iam agencies"])
    caller_of = authenticated(SIGNED_OR_TOKEN)

    @router.post(BASE, status_code=201, response_model=schemas.AgencyResponse)
    def create_agency(body: schemas.AgencyBody, caller: Caller = Depends(caller_of)) -> dict:
        spec = AgencySpec(**body.agency.model_dump())
        return {"agency": agency_view(agencies.create_agency(caller, spec))}

    @router.get(BASE, response_model=schemas.AgenciesResponse)
    def list_agencies(
        caller: Caller = Depends(caller_of),
        domain_id: str = Query(),
        trust_domain_id: str | None = None,
        name: str | None = None,
        page: int | None = None,
        per_page: int | None = None,
    ) -> dict:
        found = agencies.list_agencies(caller, AgencyFilter(domain_id, trust_domain_id, name))
        return {"agencies": [agency_view(a) for a in render.page_of(found, page, per_page, 500)]}

    @router.get(BASE + "/{agency_id}", response_model=schemas.AgencyResponse)
    def show_agency(agency_id: str, caller: Caller = Depends(caller_of)) -> dict:
        return {"agency": agency_view(agencies.show_agency(caller, agency_id))}

    @router.put(BASE + "/{agency_id}", response_model=schemas.AgencyResponse)
    def update_agency(
        agency_id: str, body: schemas.AgencyBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        spec = AgencySpec(**body.agency.model_dump(exclude={"name", "domain_id"}))
        return {"agency": agency_view(agencies.update_agency(caller, agency_id, spec))}

    @router.put("/v5/agencies/{agency_id}", status_code=204)
    def update_agency_v5(
        agency_id: str, body: schemas.AgencyV5Body, caller: Caller = Depends(caller_of)
    ) -> Response:
        agencies.update_agency_v5(caller, agency_id, body.max_session_duration, body.description)
        return empty(204)

    @router.put("/v5/agencies/{agency_id}/trust-policy", status_code=204)
    def update_trust_policy_v5(
        agency_id: str, body: schemas.TrustPolicyBody, caller: Caller = Depends(caller_of)
    ) -> Response:
        agencies.update_trust_policy_v5(caller, agency_id, body.trust_policy)
        return empty(204)

    @router.delete(BASE + "/{agency_id}", status_code=204)
    def delete_agency(agency_id: str, caller: Caller = Depends(caller_of)) -> Response:
        agencies.delete_agency(caller, agency_id)
        return empty(204)

    def listing(agency_id: str, target: Target, caller: Caller, path: str) -> dict:
        roles = agencies.list_permissions_for_agency(caller, agency_id, target)
        return {
            "roles": [role_view(r, endpoint) for r in roles],
            "links": render.links(endpoint, path, paged=True),
        }

    @router.get(DOMAIN, response_model=GrantedRoles)
    def list_domain_permissions_for_agency(
        domain_id: str, agency_id: str, caller: Caller = Depends(caller_of)
    ) -> dict:
        path = f"/v3.0/OS-AGENCY/domains/{domain_id}/agencies/{agency_id}/roles"
        return listing(agency_id, Target.domain(domain_id), caller, path)

    @router.head(DOMAIN + "/{role_id}", status_code=204)
    def check_domain_permission_for_agency(
        domain_id: str, agency_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        agencies.check_permission_for_agency(caller, agency_id, role_id, Target.domain(domain_id))
        return empty(204)

    @router.put(DOMAIN + "/{role_id}", status_code=204)
    def associate_agency_with_domain_permission(
        domain_id: str, agency_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        agencies.grant_to_agency(caller, agency_id, role_id, Target.domain(domain_id))
        return empty(204)

    @router.delete(DOMAIN + "/{role_id}", status_code=204)
    def remove_domain_permission_from_agency(
        domain_id: str, agency_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        agencies.revoke_from_agency(caller, agency_id, role_id, Target.domain(domain_id))
        return empty(204)

    @router.get(PROJECT, response_model=GrantedRoles)
    def list_project_permissions_for_agency(
        project_id: str, agency_id: str, caller: Caller = Depends(caller_of)
    ) -> dict:
        path = f"/v3.0/OS-AGENCY/projects/{project_id}/agencies/{agency_id}/roles"
        return listing(agency_id, Target.project(project_id), caller, path)

    @router.head(PROJECT + "/{role_id}", status_code=204)
    def check_project_permission_for_agency(
        project_id: str, agency_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        target = Target.project(project_id)
        agencies.check_permission_for_agency(caller, agency_id, role_id, target)
        return empty(204)

    @router.put(PROJECT + "/{role_id}", status_code=204)
    def associate_agency_with_project_permission(
        project_id: str, agency_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        agencies.grant_to_agency(caller, agency_id, role_id, Target.project(project_id))
        return empty(204)

    @router.delete(PROJECT + "/{role_id}", status_code=204)
    def remove_project_permission_from_agency(
        project_id: str, agency_id: str, role_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        agencies.revoke_from_agency(caller, agency_id, role_id, Target.project(project_id))
        return empty(204)

    return router
