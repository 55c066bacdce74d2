"""Wire models of the catalog APIs (names from the SDK's attribute maps)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import BaseModel

from idplane.identitycenter.applications.catalog.service import Provider, Template
from idplane.identitycenter.applications.schemas import (
    ApplicationTemplateDisplayDto,
    ApplicationTemplateDto,
)
from idplane.instances.schemas import PageInfo, page_info
from idplane.platform.paging import Page

ProviderId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
CatalogApplicationId = Annotated[
    str, Query(min_length=5, max_length=64, pattern=r"^app-[0-9a-f]+$")
]


class DisplayDataDto(BaseModel):
    description: str
    display_name: str
    icon_url: str | None = None


class ApplicationProviderDto(BaseModel):
    application_provider_urn: str
    display_data: DisplayDataDto
    federation_protocol: str
    application_provider_id: str


class ApplicationProvidersResponse(BaseModel):
    application_providers: list[ApplicationProviderDto]
    page_info: PageInfo


class CatalogApplicationsResponse(BaseModel):
    applications: list[ApplicationTemplateDisplayDto]
    page_info: PageInfo


class ApplicationTemplatesResponse(BaseModel):
    application_templates: list[ApplicationTemplateDto]


def provider_out(provider: Provider) -> ApplicationProviderDto:
    return ApplicationProviderDto(
        application_provider_urn=provider.urn,
        display_data=DisplayDataDto(
            description=provider.description,
            display_name=provider.display_name,
            icon_url=provider.icon_url,
        ),
        federation_protocol=provider.federation_protocol,
        application_provider_id=provider.application_provider_id,
    )


def providers_out(page: Page) -> ApplicationProvidersResponse:
    return ApplicationProvidersResponse(
        application_providers=[provider_out(p) for p in page.rows], page_info=page_info(page)
    )


def applications_out(page: Page) -> CatalogApplicationsResponse:
    applications = [ApplicationTemplateDisplayDto(**a.display()) for a in page.rows]
    return CatalogApplicationsResponse(applications=applications, page_info=page_info(page))


def templates_out(templates: list[Template]) -> ApplicationTemplatesResponse:
    return ApplicationTemplatesResponse(
        application_templates=[ApplicationTemplateDto(**t.document()) for t in templates]
    )
