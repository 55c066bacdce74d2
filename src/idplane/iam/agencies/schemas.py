"""Wire models of agencies (`/v3.0/OS-AGENCY`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from idplane.iam.schemas import Open


class AgencyFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str | None = None
    domain_id: str | None = None
    trust_domain_id: str | None = None
    trust_domain_name: str | None = None
    description: str | None = None
    duration: str | int | None = None


class AgencyBody(BaseModel):
    agency: AgencyFields


class AgencyOut(Open):
    id: str
    name: str
    domain_id: str
    trust_domain_id: str | None = None
    trust_domain_name: str | None = None
    description: str
    duration: str
    create_time: str
    expire_time: str | None = None
    agency_urn: str | None = None


class AgencyResponse(Open):
    agency: AgencyOut


class AgenciesResponse(Open):
    agencies: list[AgencyOut]


class AgencyV5Body(BaseModel):
    """IAM v5 update_agency_v5."""

    model_config = ConfigDict(extra="ignore")
    max_session_duration: int | None = None
    description: str | None = Field(default=None, max_length=1000)


class TrustPolicyBody(BaseModel):
    """IAM v5 update_trust_policy_v5: the trust policy as JSON text."""

    model_config = ConfigDict(extra="ignore")
    trust_policy: str = Field(min_length=1, max_length=6144)
