"""Wire models of the Organizations API (names from the SDK's attribute maps) and the
functions that shape service results into them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from idplane.organizations.service import AccountView, OrganizationView
from idplane.organizations.tables import (
    CreateAccountRequest,
    DelegatedAdministrator,
    Organization,
    Root,
    TrustedService,
)
from idplane.organizations.trusted import DelegateView
from idplane.platform.clock import iso_seconds_z
from idplane.platform.paging import Page, PageRequest, page_request


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


# Requests -------------------------------------------------------------------------------------


class Tag(Body):
    key: str = Field(min_length=1, max_length=128)
    value: str = Field(max_length=255)


class CreateAccountBody(Body):
    name: str = Field(min_length=1, max_length=64)
    email: str | None = Field(default=None, max_length=255, pattern=r"^[^@\s]+@[^@\s]+$")
    phone: str | None = Field(default=None, max_length=32, pattern=r"^\+?[0-9-]{4,32}$")
    agency_name: str | None = Field(default=None, min_length=1, max_length=64)
    description: str | None = Field(default=None, max_length=255)
    tags: list[Tag] | None = Field(default=None, max_length=50)


class TrustedServiceBody(Body):
    service_principal: str = Field(min_length=1, max_length=100)


class DelegatedAdministratorBody(Body):
    service_principal: str = Field(min_length=1, max_length=100)
    account_id: str = Field(min_length=1, max_length=36)


# Responses ------------------------------------------------------------------------------------


class PageInfo(BaseModel):
    next_marker: str | None = None
    current_count: int


class OrganizationDto(BaseModel):
    id: str
    urn: str
    management_account_id: str
    management_account_name: str
    created_at: str


class OrganizationResponse(BaseModel):
    organization: OrganizationDto


class PolicyTypeSummary(BaseModel):
    status: str
    type: str


class RootDto(BaseModel):
    id: str
    urn: str
    name: str
    policy_types: list[PolicyTypeSummary]
    created_at: str


class RootsResponse(BaseModel):
    roots: list[RootDto]
    page_info: PageInfo


class AccountDto(BaseModel):
    id: str
    urn: str
    join_method: str
    status: str
    joined_at: str
    name: str
    mobile_phone: str | None = None
    intl_number_prefix: str | None = None
    email: str | None = None
    description: str | None = None


class AccountResponse(BaseModel):
    account: AccountDto


class AccountsResponse(BaseModel):
    accounts: list[AccountDto]
    page_info: PageInfo


class CreateAccountStatusDto(BaseModel):
    account_id: str | None = None
    account_name: str
    completed_at: str | None = None
    created_at: str
    id: str
    state: str
    failure_reason: str | None = None


class CreateAccountStatusResponse(BaseModel):
    create_account_status: CreateAccountStatusDto


class CreateAccountStatusesResponse(BaseModel):
    create_account_statuses: list[CreateAccountStatusDto]
    page_info: PageInfo


class TrustedServiceDto(BaseModel):
    service_principal: str
    enabled_at: str


class TrustedServicesResponse(BaseModel):
    trusted_services: list[TrustedServiceDto]
    page_info: PageInfo


class DelegatedAdministratorDto(BaseModel):
    delegation_enabled_at: str
    account_id: str
    account_urn: str
    join_method: str
    joined_at: str
    account_name: str


class DelegatedAdministratorsResponse(BaseModel):
    delegated_administrators: list[DelegatedAdministratorDto]
    page_info: PageInfo


class DelegatedServiceDto(BaseModel):
    service_principal: str
    delegation_enabled_at: str


class DelegatedServicesResponse(BaseModel):
    delegated_services: list[DelegatedServiceDto]
    page_info: PageInfo


# Shaping --------------------------------------------------------------------------------------


def _time(moment: datetime | None) -> str | None:
    return iso_seconds_z(moment) if moment is not None else None


def _urn(organization: Organization, kind: str, path: str) -> str:
    return f"organizations::{organization.management_account_id}:{kind}:{path}"


def page_info(page: Page) -> PageInfo:
    return PageInfo(**page.page_info())


def organization_out(view: OrganizationView) -> OrganizationResponse:
    organization = view.organization
    return OrganizationResponse(
        organization=OrganizationDto(
            id=organization.id,
            urn=_urn(organization, "organization", organization.id),
            management_account_id=organization.management_account_id,
            management_account_name=view.management_account_name,
            created_at=iso_seconds_z(organization.created_at),
        )
    )


def root_out(
    root: Root, organization: Organization, types: Sequence[tuple[str, str]] = ()
) -> RootDto:
    return RootDto(
        id=root.id,
        urn=_urn(organization, "root", f"{organization.id}/{root.id}"),
        name=root.name,
        policy_types=[PolicyTypeSummary(type=t, status=status) for t, status in types],
        created_at=iso_seconds_z(root.created_at),
    )


def account_urn(organization: Organization, account_id: str) -> str:
    return _urn(organization, "account", f"{organization.id}/{account_id}")


def account_out(view: AccountView, with_contact: bool = False) -> AccountDto:
    member = view.member
    return AccountDto(
        id=member.account_id,
        urn=account_urn(view.organization, member.account_id),
        join_method=member.join_method,
        status=member.status,
        joined_at=iso_seconds_z(member.joined_at),
        name=view.name,
        mobile_phone=member.mobile_phone if with_contact else None,
        intl_number_prefix=member.intl_number_prefix if with_contact else None,
        email=member.email if with_contact else None,
        description=member.description,
    )


def status_out(request: CreateAccountRequest) -> CreateAccountStatusDto:
    return CreateAccountStatusDto(
        account_id=request.account_id,
        account_name=request.account_name,
        completed_at=_time(request.completed_at),
        created_at=iso_seconds_z(request.created_at),
        id=request.id,
        state=request.state,
        failure_reason=request.failure_reason,
    )


def trusted_out(service: TrustedService) -> TrustedServiceDto:
    return TrustedServiceDto(
        service_principal=service.service_principal, enabled_at=iso_seconds_z(service.enabled_at)
    )


def delegate_out(view: DelegateView) -> DelegatedAdministratorDto:
    return DelegatedAdministratorDto(
        delegation_enabled_at=iso_seconds_z(view.delegation.delegation_enabled_at),
        account_id=view.member.account_id,
        account_urn=account_urn(view.organization, view.member.account_id),
        join_method=view.member.join_method,
        joined_at=iso_seconds_z(view.member.joined_at),
        account_name=view.account_name,
    )


def delegated_service_out(delegation: DelegatedAdministrator) -> DelegatedServiceDto:
    return DelegatedServiceDto(
        service_principal=delegation.service_principal,
        delegation_enabled_at=iso_seconds_z(delegation.delegation_enabled_at),
    )


def page_of(limit: int | None, marker: str | None, *, default: int, maximum: int) -> PageRequest:
    """`limit`/`marker` of a list operation, parsed once here; the bounds are the operation's."""
    return page_request(limit, marker, default=default, maximum=maximum)
