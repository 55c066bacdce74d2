"""HTTP routes of the application catalog, named after the SDK methods."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from idplane.identitycenter.applications.catalog import schemas as s
from idplane.identitycenter.applications.catalog.service import CatalogService
from idplane.instances.schemas import Limit, Marker
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.paging import page_request
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated


def create_router(service: CatalogService) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["identitycenter"])
    signed = authenticated(SIGNED)

    @router.get("/v1/application-providers", response_model=s.ApplicationProvidersResponse)
    def list_application_providers(
        limit: Limit = None, marker: Marker = None, caller: Caller = Depends(signed)
    ) -> s.ApplicationProvidersResponse:
        return s.providers_out(
            service.list_application_providers(caller, page_request(limit, marker))
        )

    @router.get(
        "/v1/application-providers/{application_provider_id}",
        response_model=s.ApplicationProviderDto,
    )
    def describe_application_provider(
        application_provider_id: s.ProviderId, caller: Caller = Depends(signed)
    ) -> s.ApplicationProviderDto:
        provider = service.describe_application_provider(caller, application_provider_id)
        return s.provider_out(provider)

    @router.get("/v1/catalog/applications", response_model=s.CatalogApplicationsResponse)
    def list_catalog_applications(
        limit: Limit = None, marker: Marker = None, caller: Caller = Depends(signed)
    ) -> s.CatalogApplicationsResponse:
        return s.applications_out(
            service.list_catalog_applications(caller, page_request(limit, marker))
        )

    @router.get("/v1/application-templates", response_model=s.ApplicationTemplatesResponse)
    def list_application_templates(
        application_id: s.CatalogApplicationId, caller: Caller = Depends(signed)
    ) -> s.ApplicationTemplatesResponse:
        return s.templates_out(service.list_application_templates(caller, application_id))

    return router
