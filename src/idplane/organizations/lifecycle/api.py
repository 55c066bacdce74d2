"""Routes of account updates and closure, leaving, resource accounts (v2), quotas and the
service lists."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from idplane.organizations import schemas as org
from idplane.organizations.lifecycle import schemas as s
from idplane.organizations.lifecycle.service import LifecycleService
from idplane.organizations.service import NewAccount
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import OrganizationsEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty


def create_router(lifecycle: LifecycleService) -> APIRouter:
    router = api_router(envelope=OrganizationsEnvelope(), tags=["organizations"])
    signed = authenticated(SIGNED)

    @router.patch("/v1/organizations/accounts/{account_id}", response_model=org.AccountResponse)
    def update_account(
        account_id: str, body: s.UpdateAccountBody, caller: Caller = Depends(signed)
    ) -> org.AccountResponse:
        view = lifecycle.update_account(caller, account_id, body.description)
        return org.AccountResponse(account=org.account_out(view))

    @router.post("/v1/organizations/accounts/{account_id}/close")
    def close_account(account_id: str, caller: Caller = Depends(signed)) -> Response:
        lifecycle.close_account(caller, account_id)
        return empty(200)

    @router.get(
        "/v1/organizations/close-account-status", response_model=s.CloseAccountStatusesResponse
    )
    def list_close_account_statuses(
        states: list[str] | None = Query(default=None), caller: Caller = Depends(signed)
    ) -> s.CloseAccountStatusesResponse:
        rows, _ = lifecycle.list_close_account_statuses(caller, states)
        return s.CloseAccountStatusesResponse(
            close_account_statuses=[s.close_status_out(row) for row in rows]
        )

    @router.post(
        "/v2/organizations/accounts",
        status_code=202,
        response_model=org.CreateAccountStatusResponse,
    )
    def create_resource_account(
        body: s.CreateResourceAccountBody, caller: Caller = Depends(signed)
    ) -> org.CreateAccountStatusResponse:
        tags = [tag.model_dump() for tag in body.tags] if body.tags is not None else None
        new = NewAccount(
            name=body.name, agency_name=body.agency_name, description=body.description, tags=tags
        )
        status = lifecycle.create_resource_account(caller, new)
        return org.CreateAccountStatusResponse(create_account_status=org.status_out(status))

    @router.post("/v1/organizations/leave")
    def leave_organization(caller: Caller = Depends(signed)) -> Response:
        lifecycle.leave_organization(caller)
        return empty(200)

    @router.get("/v1/organizations/quotas", response_model=s.QuotasResponse)
    def list_quotas(caller: Caller = Depends(signed)) -> s.QuotasResponse:
        return s.quotas_out(lifecycle.list_quotas(caller))

    @router.get("/v1/organizations/services", response_model=s.ServicesResponse)
    def list_services(caller: Caller = Depends(signed)) -> s.ServicesResponse:
        return s.ServicesResponse(services=list(lifecycle.list_services(caller)))

    @router.get("/v1/organizations/tag-policy-services", response_model=s.TagPolicyServicesResponse)
    def list_tag_policy_services(caller: Caller = Depends(signed)) -> s.TagPolicyServicesResponse:
        rows = [
            s.TagPolicyServiceDto(service_name=name, resource_types=list(types), support_all=all_)
            for name, types, all_ in lifecycle.list_tag_policy_services(caller)
        ]
        return s.TagPolicyServicesResponse(services=rows)

    return router
