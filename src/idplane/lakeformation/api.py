"""HTTP routes of LakeFormation's service authorization: `/v2/agreement`, `/v2/agency` (the
current SDK), their v1 forms under `/v1/{project_id}/` (token only), the system agreement
list `/v1/{project_id}/agreement-rule`, the agency credentials `/v1/agency/credential` and the
access services `/v1/{project_id}/access-service`. Route functions carry the SDK method names."""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import Response

from idplane.lakeformation import schemas as s
from idplane.lakeformation.service import LakeFormationService
from idplane.lakeformation.tenants import v1_tenant, v2_tenant
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import LakeFormationEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED_OR_TOKEN, audited, authenticated, empty


def create_router(service: LakeFormationService) -> APIRouter:
    router = api_router(envelope=LakeFormationEnvelope(), tags=["lakeformation"])
    caller_of = authenticated(SIGNED_OR_TOKEN)
    _v2_routes(router, service, caller_of)
    _v1_routes(router, service, caller_of)
    _access_routes(router, service, caller_of)
    return router


def _access_routes(router: APIRouter, service: LakeFormationService, caller_of) -> None:
    # Issuing credentials is audited although it is a GET, as STS's assume_agency is.
    @router.get(
        "/v1/agency/credential",
        response_model=s.ShowAgencyCredentialResponse,
        dependencies=[Depends(audited)],
    )
    def show_agency_credential(
        agency_type: s.CredentialAgencyType = Query("TABLE_SERVICE_TRUST"),
        caller: Caller = Depends(caller_of),
    ) -> s.ShowAgencyCredentialResponse:
        return s.credential_out(service.show_agency_credential(caller, agency_type))

    @router.get("/v1/{project_id}/access-service", response_model=s.ShowAccessServiceResponse)
    def show_access_service(
        project_id: str, caller: Caller = Depends(caller_of)
    ) -> s.ShowAccessServiceResponse:
        tenant = v1_tenant(caller, project_id, token_required=False)
        return s.access_services_out(service.show_access_service(caller, tenant))

    @router.post("/v1/{project_id}/access-service")
    def authorize_access_service(
        project_id: str,
        body: s.GrantAccessServiceRequestBody,
        caller: Caller = Depends(caller_of),
    ) -> Response:
        tenant = v1_tenant(caller, project_id, token_required=False)
        service.authorize_access_service(caller, tenant, body.to_service())
        return empty(200)


def _v2_routes(router: APIRouter, service: LakeFormationService, caller_of) -> None:
    @router.post("/v2/agreement")
    def create_agreement(
        body: s.TenantAgreementBody | None = Body(None), caller: Caller = Depends(caller_of)
    ) -> Response:
        service.create_agreement(caller, v2_tenant(caller), _agreements(body))
        return empty(200)

    @router.get("/v2/agreement", response_model=s.ShowAgreementResponse)
    def show_agreement(caller: Caller = Depends(caller_of)) -> s.ShowAgreementResponse:
        return s.agreements_out(service.show_agreement(caller, v2_tenant(caller)), v1=False)

    @router.delete("/v2/agreement", status_code=204)
    def delete_agreement(caller: Caller = Depends(caller_of)) -> Response:
        service.delete_agreement(caller, v2_tenant(caller))
        return empty(204)

    @router.post("/v2/agency")
    def create_agency(body: s.AgencyRequestBody, caller: Caller = Depends(caller_of)) -> Response:
        service.create_agency(caller, v2_tenant(caller), body.agency_type)
        return empty(200)

    @router.get("/v2/agency", response_model=s.ShowAgencyResponse)
    def show_agency(
        agency_type: s.AgencyType = Query(), caller: Caller = Depends(caller_of)
    ) -> s.ShowAgencyResponse:
        return s.agency_out(service.show_agency(caller, v2_tenant(caller), agency_type), v1=False)

    @router.delete("/v2/agency")
    def delete_agency(body: s.AgencyRequestBody, caller: Caller = Depends(caller_of)) -> Response:
        service.delete_agency(caller, v2_tenant(caller), body.agency_type)
        return empty(200)


def _v1_routes(router: APIRouter, service: LakeFormationService, caller_of) -> None:
    @router.get("/v1/{project_id}/agreement-rule", response_model=s.ShowAgreementRuleResponse)
    def show_agreement_rule(
        project_id: str, caller: Caller = Depends(caller_of)
    ) -> s.ShowAgreementRuleResponse:
        # The current SDK signs this v1 call with AK/SK, so a token is not required here.
        tenant = v1_tenant(caller, project_id, token_required=False)
        return s.rules_out(service.show_agreement_rule(caller, tenant))

    @router.post("/v1/{project_id}/agreement")
    def create_agreement_v1(
        project_id: str,
        body: s.TenantAgreementBody | None = Body(None),
        caller: Caller = Depends(caller_of),
    ) -> Response:
        tenant = v1_tenant(caller, project_id)
        service.create_agreement(caller, tenant, _agreements(body), with_agency=True)
        return empty(200)

    @router.get("/v1/{project_id}/agreement", response_model=s.ShowAgreementResponse)
    def show_agreement_v1(
        project_id: str, caller: Caller = Depends(caller_of)
    ) -> s.ShowAgreementResponse:
        view = service.show_agreement(caller, v1_tenant(caller, project_id))
        return s.agreements_out(view, v1=True)

    @router.delete("/v1/{project_id}/agreement", status_code=204)
    def delete_agreement_v1(project_id: str, caller: Caller = Depends(caller_of)) -> Response:
        service.delete_agreement(caller, v1_tenant(caller, project_id), with_agency=True)
        return empty(204)

    @router.post("/v1/{project_id}/agency")
    def create_agency_v1(
        project_id: str, body: s.AgencyRequestBody, caller: Caller = Depends(caller_of)
    ) -> Response:
        service.create_agency(caller, v1_tenant(caller, project_id), body.agency_type)
        return empty(200)

    @router.get("/v1/{project_id}/agency", response_model=s.ShowAgencyResponse)
    def show_agency_v1(
        project_id: str, agency_type: s.AgencyType = Query(), caller: Caller = Depends(caller_of)
    ) -> s.ShowAgencyResponse:
        tenant = v1_tenant(caller, project_id)
        view = service.show_agency(caller, tenant, agency_type, must_exist=True)
        return s.agency_out(view, v1=True)

    @router.delete("/v1/{project_id}/agency")
    def delete_agency_v1(
        project_id: str, body: s.AgencyRequestBody, caller: Caller = Depends(caller_of)
    ) -> Response:
        service.delete_agency(caller, v1_tenant(caller, project_id), body.agency_type)
        return empty(200)


def _agreements(body: s.TenantAgreementBody | None):
    return body.to_service() if body is not None else []
