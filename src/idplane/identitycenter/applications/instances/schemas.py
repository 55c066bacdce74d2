"""Wire models of the application instance APIs (names from the SDK's attribute maps)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from idplane.identitycenter.applications.certificates.schemas import CertificateDto, certificate_out
from idplane.identitycenter.applications.instances.service import InstanceView
from idplane.identitycenter.applications.schemas import (
    ApplicationTemplateDto,
    DisplayDto,
    ResponseConfig,
    ResponseSchemaConfig,
    SecurityConfig,
    ServiceProviderConfig,
)
from idplane.instances.schemas import NO_NUL, Body, PageInfo, page_info
from idplane.platform.paging import Page

DisplayName = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=NO_NUL)]
Description = Annotated[str, StringConstraints(max_length=1024, pattern=NO_NUL)]


class CreateApplicationInstanceBody(Body):
    name: DisplayName
    template_id: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=NO_NUL)]


class DisplayDataBody(Body):
    description: Description
    display_name: DisplayName


class StatusBody(Body):
    status: Annotated[str, StringConstraints(min_length=1, max_length=16)]


class SecurityConfigBody(Body):
    security_config: SecurityConfig


class ServiceProviderConfigBody(Body):
    service_provider_config: ServiceProviderConfig


class ResponseConfigBody(Body):
    response_config: ResponseConfig


class ResponseSchemaConfigBody(Body):
    response_schema_config: ResponseSchemaConfig


class MetadataBody(Body):
    # The metadata parser caps the document at 512 KiB; this only bounds what is read.
    metadata: str = Field(min_length=1, max_length=1024 * 1024)


class IdentityProviderConfigDto(BaseModel):
    issuer_url: str
    metadata_url: str
    remote_login_url: str
    remote_logout_url: str


class ApplicationInstanceDto(BaseModel):
    active_certificate: CertificateDto | None = None
    display: DisplayDto
    identity_provider_config: IdentityProviderConfigDto
    application_instance_id: str
    name: str
    visible: bool
    response_config: ResponseConfig
    response_schema_config: ResponseSchemaConfig
    security_config: SecurityConfig
    status: str
    template: ApplicationTemplateDto
    service_provider_config: ServiceProviderConfig
    client_id: str | None = None
    end_user_visible: bool
    managed_account: str


class ApplicationInstanceResponse(BaseModel):
    application_instance: ApplicationInstanceDto


class ApplicationInstancesResponse(BaseModel):
    application_instances: list[ApplicationInstanceDto]
    page_info: PageInfo


def instance_out(view: InstanceView) -> ApplicationInstanceDto:
    application = view.application
    return ApplicationInstanceDto(
        active_certificate=certificate_out(view.certificate) if view.certificate else None,
        display=DisplayDto(
            description=application.description,
            display_name=application.display_name,
            icon=application.icon,
        ),
        identity_provider_config=IdentityProviderConfigDto(**view.identity_provider),
        application_instance_id=application.id,
        name=application.name,
        visible=application.visible,
        response_config=ResponseConfig(**application.response_config),
        response_schema_config=ResponseSchemaConfig(**application.response_schema_config),
        security_config=SecurityConfig(**application.security_config),
        status=application.status,
        template=ApplicationTemplateDto(**application.template),
        service_provider_config=ServiceProviderConfig(**application.service_provider_config),
        end_user_visible=application.end_user_visible,
        managed_account=application.account_id,
    )


def one_out(view: InstanceView) -> ApplicationInstanceResponse:
    return ApplicationInstanceResponse(application_instance=instance_out(view))


def page_out(page: Page) -> ApplicationInstancesResponse:
    return ApplicationInstancesResponse(
        application_instances=[instance_out(view) for view in page.rows],
        page_info=page_info(page),
    )
