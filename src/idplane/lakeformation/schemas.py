"""Wire models of LakeFormation's agreement and agency APIs (names from the SDK's attribute
maps) and the functions that shape service results into them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from idplane.lakeformation.catalog import AgreementRule
from idplane.lakeformation.service import AgencyView, AgreementView, TenantAgreement

AgencyType = Literal["JOB_TRUST", "ADMIN_TRUST"]


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
