"""Wire models the application APIs share (names from the SDK's attribute maps): path and
query parameters, page info, display data and the four SAML settings of an application
instance. Shapes and sizes are checked here; the SAML rules live in `configuration.py`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path
from pydantic import BaseModel, Field, StringConstraints

from idplane.instances.schemas import NO_NUL, Body

APPLICATION_INSTANCE_ID = r"^app-ins-[0-9a-f]{16}$"

ApplicationInstanceId = Annotated[str, Path(pattern=APPLICATION_INSTANCE_ID)]
ProfileId = Annotated[str, Path(pattern=r"^p-[0-9a-f]{16}$")]
CertificateId = Annotated[
    str, Path(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
]

Text = Annotated[str, StringConstraints(max_length=1024, pattern=NO_NUL)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=256, pattern=NO_NUL)]


class DisplayDto(BaseModel):
    description: str
    display_name: str
    icon: str | None = None


# The SAML settings: request bodies and responses alike -------------------------------------


class Consumer(Body):
    binding: Text
    default_value: bool
    location: Text


class ServiceProviderConfig(Body):
    audience: Text
    require_request_signature: bool | None = None
    consumers: list[Consumer] = Field(max_length=20)
    start_url: Text | None = None


class SecurityConfig(Body):
    ttl: Annotated[str, StringConstraints(max_length=32)]


class ResponseSource(Body):
    source: list[Text] = Field(max_length=10)


class ResponseConfig(Body):
    properties: dict[Name, ResponseSource] | None = Field(default=None, max_length=50)
    subject: ResponseSource | None = None
    relay_state: Text | None = None
    ttl: Annotated[str, StringConstraints(max_length=32)]


class ResponseSchemaProperty(Body):
    attr_name_format: Text
    include: Annotated[str, StringConstraints(max_length=16)]


class ResponseSchemaSubject(Body):
    name_id_format: Text
    include: Annotated[str, StringConstraints(max_length=16)]


class ResponseSchemaConfig(Body):
    properties: dict[Name, ResponseSchemaProperty] | None = Field(default=None, max_length=50)
    subject: ResponseSchemaSubject
    supported_name_id_formats: list[Text] | None = Field(default=None, max_length=10)


def plain(model: BaseModel) -> dict[str, Any]:
    """A request model as the plain data services take (absent optional fields left out)."""
    return model.model_dump(exclude_none=True)


class ApplicationTemplateDisplayDto(BaseModel):
    application_id: str
    display: DisplayDto
    application_type: str | None = None


class ApplicationTemplateDto(BaseModel):
    application: ApplicationTemplateDisplayDto
    response_config: ResponseConfig
    response_schema_config: ResponseSchemaConfig
    sso_protocol: str
    security_config: SecurityConfig
    service_provider_config: ServiceProviderConfig
    template_id: str
    template_version: str
