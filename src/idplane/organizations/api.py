"""HTTP routes of the Organizations API (`/v1/organizations...`), named after the SDK methods."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from idplane.organizations import schemas as s
from idplane.organizations.service import NewAccount, OrganizationService
from idplane.organizations.trusted import TrustService
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import OrganizationsEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty


def create_router(organizations: OrganizationService, trust: TrustService) -> APIRouter:
    router = api_router(
        envelope=OrganizationsEnvelope(),
        prefix="/v1/organizations",
        tags=["organizations"],
    )
    signed = authenticated(SIGNED)

    @router.post("", status_code=201, response_model=s.OrganizationResponse)
    def create_organization(caller: Caller = Depends(signed)) -> s.OrganizationResponse:
        return s.organization_out(organizations.create_organization(caller))

    @router.get("", response_model=s.OrganizationResponse)
    def show_organization(caller: Caller = Depends(signed)) -> s.OrganizationResponse:
        return s.organization_out(organizations.show_organization(caller))

    @router.delete("", status_code=204)
    def delete_organization(caller: Caller = Depends(signed)) -> Response:
        organizations.delete_organization(caller)
        return empty(204)

    @router.get("/roots", response_model=s.RootsResponse)
    def list_roots(
        limit: int | None = None, marker: str | None = None, caller: Caller = Depends(signed)
    ) -> s.RootsResponse:
        page = organizations.list_roots(
            caller, s.page_of(limit, marker, default=1000, maximum=1000)
        )
        roots = [s.root_out(*row) for row in page.rows]
        return s.RootsResponse(roots=roots, page_info=s.page_info(page))

    @router.post("/accounts", status_code=202, response_model=s.CreateAccountStatusResponse)
    def create_account(
        body: s.CreateAccountBody, caller: Caller = Depends(signed)
    ) -> s.CreateAccountStatusResponse:
        new = NewAccount(**body.model_dump(exclude={"tags"}), tags=_tags(body))
        status = organizations.create_account(caller, new)
        return s.CreateAccountStatusResponse(create_account_status=s.status_out(status))

    @router.get("/accounts", response_model=s.AccountsResponse)
    def list_accounts(
        parent_id: str | None = None,
        with_register_contact_info: bool = False,
        limit: int | None = None,
        marker: str | None = None,
        caller: Caller = Depends(signed),
    ) -> s.AccountsResponse:
        contact = with_register_contact_info
        page = organizations.list_accounts(
            caller,
            parent_id,
            contact,
            s.page_of(limit, marker, default=200, maximum=200 if contact else 2000),
        )
        accounts = [s.account_out(view, contact) for view in page.rows]
        return s.AccountsResponse(accounts=accounts, page_info=s.page_info(page))

    @router.get("/accounts/{account_id}", response_model=s.AccountResponse)
    def show_account(
        account_id: str, with_register_contact_info: bool = False, caller: Caller = Depends(signed)
    ) -> s.AccountResponse:
        view = organizations.show_account(caller, account_id)
        return s.AccountResponse(account=s.account_out(view, with_register_contact_info))

    @router.post("/accounts/{account_id}/remove")
    def remove_account(account_id: str, caller: Caller = Depends(signed)) -> Response:
        organizations.remove_account(caller, account_id)
        return empty(200)

    @router.get(
        "/accounts/{account_id}/delegated-services", response_model=s.DelegatedServicesResponse
    )
    def list_delegated_services(
        account_id: str,
        limit: int | None = None,
        marker: str | None = None,
        caller: Caller = Depends(signed),
    ) -> s.DelegatedServicesResponse:
        page = trust.list_delegated_services(
            caller, account_id, s.page_of(limit, marker, default=1000, maximum=1000)
        )
        services = [s.delegated_service_out(row) for row in page.rows]
        return s.DelegatedServicesResponse(delegated_services=services, page_info=s.page_info(page))

    @router.get("/create-account-status", response_model=s.CreateAccountStatusesResponse)
    def list_create_account_statuses(
        states: list[str] | None = Query(default=None),
        limit: int | None = None,
        marker: str | None = None,
        caller: Caller = Depends(signed),
    ) -> s.CreateAccountStatusesResponse:
        page = organizations.list_create_account_statuses(
            caller, states, s.page_of(limit, marker, default=1000, maximum=1000)
        )
        statuses = [s.status_out(row) for row in page.rows]
        return s.CreateAccountStatusesResponse(
            create_account_statuses=statuses, page_info=s.page_info(page)
        )

    @router.get(
        "/create-account-status/{create_account_status_id}",
        response_model=s.CreateAccountStatusResponse,
    )
    def show_create_account_status(
        create_account_status_id: str, caller: Caller = Depends(signed)
    ) -> s.CreateAccountStatusResponse:
        status = organizations.show_create_account_status(caller, create_account_status_id)
        return s.CreateAccountStatusResponse(create_account_status=s.status_out(status))

    @router.post("/trusted-services/enable")
    def enable_trusted_service(
        body: s.TrustedServiceBody, caller: Caller = Depends(signed)
    ) -> Response:
        trust.enable_trusted_service(caller, body.service_principal)
        return empty(200)

    @router.post("/trusted-services/disable")
    def disable_trusted_service(
        body: s.TrustedServiceBody, caller: Caller = Depends(signed)
    ) -> Response:
        trust.disable_trusted_service(caller, body.service_principal)
        return empty(200)

    @router.get("/trusted-services", response_model=s.TrustedServicesResponse)
    def list_trusted_services(
        limit: int | None = None, marker: str | None = None, caller: Caller = Depends(signed)
    ) -> s.TrustedServicesResponse:
        page = trust.list_trusted_services(
            caller, s.page_of(limit, marker, default=1000, maximum=1000)
        )
        services = [s.trusted_out(row) for row in page.rows]
        return s.TrustedServicesResponse(trusted_services=services, page_info=s.page_info(page))

    @router.post("/delegated-administrators/register", status_code=201)
    def register_delegated_administrator(
        body: s.DelegatedAdministratorBody, caller: Caller = Depends(signed)
    ) -> Response:
        trust.register_delegated_administrator(caller, body.service_principal, body.account_id)
        return empty(201)

    @router.post("/delegated-administrators/deregister")
    def deregister_delegated_administrator(
        body: s.DelegatedAdministratorBody, caller: Caller = Depends(signed)
    ) -> Response:
        trust.deregister_delegated_administrator(caller, body.service_principal, body.account_id)
        return empty(200)

    @router.get("/delegated-administrators", response_model=s.DelegatedAdministratorsResponse)
    def list_delegated_administrators(
        service_principal: str | None = None,
        limit: int | None = None,
        marker: str | None = None,
        caller: Caller = Depends(signed),
    ) -> s.DelegatedAdministratorsResponse:
        page = trust.list_delegated_administrators(
            caller, service_principal, s.page_of(limit, marker, default=1000, maximum=1000)
        )
        delegates = [s.delegate_out(view) for view in page.rows]
        return s.DelegatedAdministratorsResponse(
            delegated_administrators=delegates, page_info=s.page_info(page)
        )

    return router


def _tags(body: s.CreateAccountBody) -> list[dict] | None:
    return [tag.model_dump() for tag in body.tags] if body.tags is not None else None
