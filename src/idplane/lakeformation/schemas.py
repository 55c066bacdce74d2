"""Wire models of LakeFormation's agreement, agency and access-service APIs (names from the
SDK's attribute maps) and the functions that shape service results into them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from idplane.lakeformation.catalog import AgreementRule
from idplane.lakeformation.service import (
    AccessServiceDecision,
    AccessServiceView,
    AgencyCredential,
    AgencyView,
    AgreementView,
    TenantAgreement,
)

# TABLE_SERVICE_TRUST is the agency show_agency_credential serves; Huawei documents no way to
# create it, so /v2/agency creates it as it creates the other two.
AgencyType = Literal["JOB_TRUST", "ADMIN_TRUST", "TABLE_SERVICE_TRUST"]
CredentialAgencyType = Literal["TABLE_SERVICE_TRUST"]
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # as IAM spells a token's expires_at


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


# Requests -------------------------------------------------------------------------------------


class TenantAgreementIn(Body):
    agreement_name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    agreement_version: str = Field(pattern=r"^[A-Za-z0-9]{1,32}$")


class TenantAgreementBody(Body):
    agreements: list[TenantAgreementIn] | None = None

    def to_service(self) -> list[TenantAgreement]:
        return [
            TenantAgreement(a.agreement_name, a.agreement_version) for a in self.agreements or []
        ]


class AgencyRequestBody(Body):
    agency_type: AgencyType


class AccessServiceInfo(Body):
    name: str = Field(min_length=1, max_length=20)
    description: str | None = Field(None, max_length=500)  # the catalog's own is shown
    grant: bool = True  # absent: the call authorizes


class GrantAccessServiceRequestBody(Body):
    access_services: list[AccessServiceInfo]

    def to_service(self) -> list[AccessServiceDecision]:
        return [AccessServiceDecision(s.name, s.grant) for s in self.access_services]


# Responses ------------------------------------------------------------------------------------


class TenantAgreementOut(BaseModel):
    agreement_name: str
    agreement_version: str


class ShowAgreementResponse(BaseModel):
    agreements: list[TenantAgreementOut]
    is_agency: bool | None = None  # v1 only


class AgreementRuleOut(BaseModel):
    agreement_name: str
    agreement_display_name: str
    agreement_version: str
    agreement_url: str


class ShowAgreementRuleResponse(BaseModel):
    agreement_rules: list[AgreementRuleOut]


class ShowAgencyResponse(BaseModel):
    agency_type: str
    agency_value: list[str]
    # v2 (ShowAgencyV2): whether the agency exists and allows every action the service needs.
    agency_name: str | None = None
    authorized: bool | None = None
    missing_action: list[str] | None = None


class ShowAgencyCredentialResponse(BaseModel):
    agency_type: str
    agency_name: str
    security_token: str
    expires_at: str
    issued_at: str
    access: str
    secret: str


class AccessServiceOut(BaseModel):
    name: str
    description: str
    grant: bool


class ShowAccessServiceResponse(BaseModel):
    access_services: list[AccessServiceOut]


def credential_out(credential: AgencyCredential) -> ShowAgencyCredentialResponse:
    issued = credential.issued
    return ShowAgencyCredentialResponse(
        agency_type=credential.kind.agency_type,
        agency_name=credential.kind.agency_name,
        security_token=issued.security_token,
        expires_at=issued.expires_at.strftime(TIME_FORMAT),
        issued_at=credential.issued_at.strftime(TIME_FORMAT),
        access=issued.access,
        secret=issued.secret,
    )


def access_services_out(views: list[AccessServiceView]) -> ShowAccessServiceResponse:
    services = [
        AccessServiceOut(name=v.service.name, description=v.service.description, grant=v.grant)
        for v in views
    ]
    return ShowAccessServiceResponse(access_services=services)


def agreements_out(view: AgreementView, v1: bool) -> ShowAgreementResponse:
    agreements = [TenantAgreementOut(**vars(a)) for a in view.agreements]
    return ShowAgreementResponse(agreements=agreements, is_agency=view.is_agency if v1 else None)


def rules_out(rules: tuple[AgreementRule, ...]) -> ShowAgreementRuleResponse:
    return ShowAgreementRuleResponse(agreement_rules=[AgreementRuleOut(**vars(r)) for r in rules])


def agency_out(view: AgencyView, v1: bool) -> ShowAgencyResponse:
    shown = ShowAgencyResponse(agency_type=view.kind.agency_type, agency_value=list(view.granted))
    if not v1:
        shown.agency_name = view.kind.agency_name
        shown.authorized = view.authorized
        shown.missing_action = list(view.missing)
    return shown
