"""Routes of the Identity Center portal API; callers authenticate with the `access-token`
header (an OIDC access token), errors in the Identity Center envelope."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from idplane.identitycenter.permission_sets.agencies import agency_name, agency_urn
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import empty
from idplane.signin.portal import schemas as s
from idplane.signin.portal.service import PortalService


def create_router(portal: PortalService) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["portal"])

    @router.get("/v1/assigned-accounts", response_model=s.ListAccountsResponse)
    def list_accounts(
        access_token: s.AccessToken, limit: s.Limit = None, marker: s.Marker = None
    ) -> s.ListAccountsResponse:
        page = portal.list_accounts(access_token, limit, marker)
        accounts = [
            s.AccountInfo(
                account_id=g.account_id, account_name=g.account_name, email_address=g.email_address
            )
            for g in page.items
        ]
        info = s.PageInfo(next_marker=page.next_marker, current_count=len(accounts))
        return s.ListAccountsResponse(account_list=accounts, page_info=info)

    @router.get("/v1/assigned-agencies", response_model=s.ListAccountAgenciesResponse)
    def list_account_agencies(
        access_token: s.AccessToken,
        account_id: Annotated[str, Query(min_length=1, max_length=64)],
        limit: s.Limit = None,
        marker: s.Marker = None,
    ) -> s.ListAccountAgenciesResponse:
        page = portal.list_account_agencies(access_token, account_id, limit, marker)
        agencies = [
            s.AgencyInfo(
                account_id=g.account_id,
                agency_name=agency_name(g.permission_set_name),
                permission_set_name=g.permission_set_name,
                agency_urn=agency_urn(g.account_id, g.permission_set_name),
                description=g.description,
            )
            for g in page.items
        ]
        info = s.PageInfo(next_marker=page.next_marker, current_count=len(agencies))
        return s.ListAccountAgenciesResponse(agency_list=agencies, page_info=info)

    @router.get("/v1/credentials", response_model=s.GetAgencyCredentialsResponse)
    def get_agency_credentials(
        access_token: s.AccessToken,
        target_account_id: Annotated[str, Query(min_length=1, max_length=64)],
        agency_urn: Annotated[str, Query(min_length=1, max_length=1500)],
    ) -> s.GetAgencyCredentialsResponse:
        issued = portal.get_agency_credentials(access_token, target_account_id, agency_urn)
        return s.GetAgencyCredentialsResponse(agency_credentials=s.AgencyCredentials(**issued))

    @router.post("/v1/logout")
    def logout(access_token: s.AccessToken) -> Response:
        portal.logout(access_token)
        return empty()

    return router
