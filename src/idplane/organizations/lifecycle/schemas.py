"""Wire models of account updates and closure, resource accounts, quotas and services."""

from __future__ import annotations

from pydantic import BaseModel, Field

from idplane.organizations.lifecycle.service import Quota
from idplane.organizations.schemas import Body, Tag
from idplane.organizations.tables import CloseAccountStatus
from idplane.platform.clock import iso_seconds_z


class UpdateAccountBody(Body):
    description: str | None = Field(default=None, max_length=255)


class CreateResourceAccountBody(Body):
    name: str = Field(min_length=1, max_length=64)
    agency_name: str | None = Field(default=None, min_length=1, max_length=64)
    description: str | None = Field(default=None, max_length=255)
    tags: list[Tag] | None = Field(default=None, max_length=20)


class CloseAccountStatusDto(BaseModel):
    account_id: str
    created_at: str
    updated_at: str
    organization_id: str
    state: str
    failure_reason: str | None = None


class CloseAccountStatusesResponse(BaseModel):
    close_account_statuses: list[CloseAccountStatusDto]


class QuotaDto(BaseModel):
    type: str
    quota: int
    min: int
    max: int
    used: int


class QuotasResourcesDto(BaseModel):
    resources: list[QuotaDto]


class QuotasResponse(BaseModel):
    quotas: QuotasResourcesDto


class ServicesResponse(BaseModel):
    services: list[str]


class TagPolicyServiceDto(BaseModel):
    service_name: str
    resource_types: list[str]
    support_all: bool


class TagPolicyServicesResponse(BaseModel):
    services: list[TagPolicyServiceDto]


def close_status_out(status: CloseAccountStatus) -> CloseAccountStatusDto:
    return CloseAccountStatusDto(
        account_id=status.account_id,
        created_at=iso_seconds_z(status.created_at),
        updated_at=iso_seconds_z(status.updated_at),
        organization_id=status.organization_id,
        state=status.state,
        failure_reason=status.failure_reason,
    )


def quotas_out(quotas: list[Quota]) -> QuotasResponse:
    rows = [QuotaDto(**quota.__dict__) for quota in quotas]
    return QuotasResponse(quotas=QuotasResourcesDto(resources=rows))
