"""Wire models of policies, policy types, attachments, effective policies and dry-run."""

from __future__ import annotations

from pydantic import BaseModel, Field

from idplane.organizations.policies.effective import EffectivePolicy
from idplane.organizations.policies.service import PolicyView
from idplane.organizations.policies.types import RootView
from idplane.organizations.schemas import Body, PageInfo, PolicyTypeSummary, RootDto, Tag, _urn
from idplane.organizations.tables import DryRunConfig
from idplane.organizations.units.schemas import EntityDto
from idplane.platform.clock import iso_seconds_z


class CreatePolicyBody(Body):
    content: str = Field(min_length=1, max_length=10000)
    description: str = Field(max_length=512)
    name: str = Field(min_length=1, max_length=64)
    type: str = Field(min_length=1, max_length=32)
    tags: list[Tag] | None = Field(default=None, max_length=20)


class UpdatePolicyBody(Body):
    content: str | None = Field(default=None, min_length=1, max_length=10000)
    description: str | None = Field(default=None, max_length=512)
    name: str | None = Field(default=None, min_length=1, max_length=64)


class PolicyTypeBody(Body):
    policy_type: str = Field(min_length=1, max_length=32)
    root_id: str = Field(min_length=1, max_length=64)


class EntityBody(Body):
    entity_id: str = Field(min_length=1, max_length=64)


class PolicySummaryDto(BaseModel):
    is_builtin: bool
    description: str
    id: str
    urn: str
    name: str
    type: str


class PolicyDto(BaseModel):
    content: str
    policy_summary: PolicySummaryDto


class PolicyResponse(BaseModel):
    policy: PolicyDto


class PoliciesResponse(BaseModel):
    policies: list[PolicySummaryDto]
    page_info: PageInfo


class RootResponse(BaseModel):
    root: RootDto


class EffectivePoliciesResponse(BaseModel):
    last_updated_at: str | None = None
    policy_content: str
    policy_type: str
    entity_id: str


def summary_out(view: PolicyView) -> PolicySummaryDto:
    policy, organization = view.policy, view.organization
    if policy.is_builtin:
        urn = f"organizations::system:policy:{policy.type}/{policy.id}"
    else:
        urn = _urn(organization, "policy", f"{organization.id}/{policy.type}/{policy.id}")
    return PolicySummaryDto(
        is_builtin=policy.is_builtin,
        description=policy.description,
        id=policy.id,
        urn=urn,
        name=policy.name,
        type=policy.type,
    )


def policy_out(view: PolicyView) -> PolicyResponse:
    return PolicyResponse(
        policy=PolicyDto(content=view.policy.content, policy_summary=summary_out(view))
    )


def root_dto(view: RootView) -> RootDto:
    root, organization = view.root, view.organization
    return RootDto(
        id=root.id,
        urn=_urn(organization, "root", f"{organization.id}/{root.id}"),
        name=root.name,
        policy_types=[PolicyTypeSummary(type=t, status=status) for t, status in view.policy_types],
        created_at=iso_seconds_z(root.created_at),
    )


def effective_out(effective: EffectivePolicy) -> EffectivePoliciesResponse:
    updated = effective.last_updated_at
    return EffectivePoliciesResponse(
        last_updated_at=iso_seconds_z(updated) if updated else None,
        policy_content=effective.content,
        policy_type=effective.policy_type,
        entity_id=effective.entity_id,
    )


class AttachedEntitiesResponse(BaseModel):
    attached_entities: list[EntityDto]
    page_info: PageInfo


class DryRunConfigBody(Body):
    policy_type: str = Field(min_length=1, max_length=32)
    root_id: str = Field(min_length=1, max_length=64)
    status: str | None = Field(default=None, max_length=16)
    bucket_name: str | None = Field(default=None, max_length=64)
    region_id: str | None = Field(default=None, max_length=64)
    bucket_prefix: str | None = Field(default=None, max_length=256)
    agency_name: str | None = Field(default=None, max_length=64)


class DryRunConfigDto(BaseModel):
    root_id: str
    status: str
    bucket_name: str | None = None
    region_id: str | None = None
    bucket_prefix: str | None = None
    agency_name: str | None = None
    policy_type: str
    created_at: str
    updated_at: str


class DryRunConfigResponse(BaseModel):
    root: DryRunConfigDto


def config_out(config: DryRunConfig) -> DryRunConfigDto:
    return DryRunConfigDto(
        root_id=config.root_id,
        status=config.status,
        bucket_name=config.bucket_name,
        region_id=config.region_id,
        bucket_prefix=config.bucket_prefix,
        agency_name=config.agency_name,
        policy_type=config.policy_type,
        created_at=iso_seconds_z(config.created_at),
        updated_at=iso_seconds_z(config.updated_at),
    )
