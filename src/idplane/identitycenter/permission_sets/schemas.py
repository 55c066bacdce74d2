"""Wire models of the permission set APIs (names from the SDK's attribute maps), and the
ISO-8601 durations they and the SSO configuration carry."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from idplane.identitycenter.permission_sets.tables import (
    AttachedPolicy,
    PermissionSet,
    ProvisioningStatus,
)
from idplane.instances.schemas import NO_NUL, Body, Id, PageInfo, page_info
from idplane.platform.clock import epoch_ms
from idplane.platform.paging import Page

# Permission set names: letters, digits and + = , . @ _ - (as AWS documents; Huawei is silent).
NAME = r"^[\w+=,.@-]+$"
_DURATION = re.compile(
    r"^P(?:(?P<d>\d{1,4})D)?(?:T(?:(?P<h>\d{1,5})H)?(?:(?P<m>\d{1,6})M)?(?:(?P<s>\d{1,7})S)?)?$"
)
MIN_SESSION, MAX_SESSION = 3600, 12 * 3600
DEFAULT_SESSION = "PT1H"


def duration_seconds(text: str) -> int | None:
    """`PT1H`, `PT90M`, `P1DT2H` -> seconds; None for anything that is not such a duration."""
    match = _DURATION.match(text)
    if match is None or text in ("P", "PT") or text.endswith("T"):
        return None
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    return (
        parts.get("d", 0) * 86400 + parts.get("h", 0) * 3600 + parts.get("m", 0) * 60
    ) + parts.get("s", 0)


def session_duration(value: str) -> str:
    seconds = duration_seconds(value)
    if seconds is None or not MIN_SESSION <= seconds <= MAX_SESSION:
        raise ValueError("must be an ISO-8601 duration from PT1H to PT12H")
    return value


class TagIn(Body):
    key: str = Field(min_length=1, max_length=128, pattern=NO_NUL)
    value: str = Field(max_length=255, pattern=NO_NUL)


class TagKeyIn(Body):
    key: str = Field(min_length=1, max_length=128, pattern=NO_NUL)
    value: str | None = Field(default=None, max_length=255, pattern=NO_NUL)


class CreatePermissionSetBody(Body):
    name: str = Field(min_length=1, max_length=32, pattern=NAME)
    description: str | None = Field(default=None, min_length=1, max_length=700, pattern=NO_NUL)
    relay_state: str | None = Field(default=None, min_length=1, max_length=240, pattern=NO_NUL)
    session_duration: str = Field(default=DEFAULT_SESSION, max_length=100)
    tags: list[TagIn] = Field(default_factory=list, max_length=20)

    @field_validator("session_duration")
    @classmethod
    def _duration(cls, value: str) -> str:
        return session_duration(value)


class UpdatePermissionSetBody(Body):
    """Absent fields stay; an empty description or relay state removes it."""

    description: str | None = Field(default=None, max_length=700, pattern=NO_NUL)
    relay_state: str | None = Field(default=None, max_length=240, pattern=NO_NUL)
    session_duration: str | None = Field(default=None, max_length=100)

    @field_validator("session_duration")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        return None if value is None else session_duration(value)


class TagsBody(Body):
    tags: list[TagIn] = Field(min_length=1, max_length=20)


class DeleteTagsBody(Body):
    tags: list[TagKeyIn] = Field(min_length=1, max_length=20)


class AttachPolicyBody(Body):
    managed_policy_id: Id
    managed_policy_name: str | None = Field(default=None, min_length=1, max_length=128)


class AttachRoleBody(Body):
    managed_role_id: Id
    managed_role_name: str | None = Field(default=None, min_length=1, max_length=128)


class DetachPolicyBody(Body):
    managed_policy_id: Id


class DetachRoleBody(Body):
    managed_role_id: Id


class CustomPolicyBody(Body):
    custom_policy: str = Field(min_length=1, max_length=131072)


class CustomRoleBody(Body):
    custom_role: str = Field(min_length=1, max_length=131072)


class PermissionSetOut(BaseModel):
    created_date: int
    description: str | None = None
    name: str
    permission_set_id: str
    relay_state: str | None = None
    session_duration: str
    permission_urn: str


class PermissionSetResponse(BaseModel):
    permission_set: PermissionSetOut


class PermissionSetsResponse(BaseModel):
    permission_sets: list[PermissionSetOut]
    page_info: PageInfo


class SummaryResponse(BaseModel):
    permission_sets: int
    permission_sets_quota: int
    permission_policy_count_quota: int
    permission_policy_quota: int


class TagOut(BaseModel):
    key: str
    value: str


class TagsResponse(BaseModel):
    tags: list[TagOut]
    page_info: PageInfo


class ManagedPolicyOut(BaseModel):
    policy_id: str
    policy_name: str


class ManagedPoliciesResponse(BaseModel):
    attached_managed_policies: list[ManagedPolicyOut]
    page_info: PageInfo


class ManagedRoleOut(BaseModel):
    role_id: str
    role_name: str


class ManagedRolesResponse(BaseModel):
    attached_managed_roles: list[ManagedRoleOut]
    page_info: PageInfo


class CustomPolicyResponse(BaseModel):
    custom_policy: str | None = None


class CustomRoleResponse(BaseModel):
    custom_role: str | None = None


def permission_set_out(ps: PermissionSet) -> PermissionSetOut:
    return PermissionSetOut(
        created_date=epoch_ms(ps.created_at),
        description=ps.description,
        name=ps.name,
        permission_set_id=ps.id,
        relay_state=ps.relay_state,
        session_duration=ps.session_duration,
        permission_urn=ps.urn,
    )


def one_out(ps: PermissionSet) -> PermissionSetResponse:
    return PermissionSetResponse(permission_set=permission_set_out(ps))


def page_out(page: Page) -> PermissionSetsResponse:
    return PermissionSetsResponse(
        permission_sets=[permission_set_out(ps) for ps in page.rows], page_info=page_info(page)
    )


def tags_out(page: Page) -> TagsResponse:
    tags = [TagOut(key=tag.key, value=tag.value) for tag in page.rows]
    return TagsResponse(tags=tags, page_info=page_info(page))


def managed_policies_out(page: Page) -> ManagedPoliciesResponse:
    rows: list[AttachedPolicy] = page.rows
    return ManagedPoliciesResponse(
        attached_managed_policies=[
            ManagedPolicyOut(policy_id=row.policy_id, policy_name=row.policy_name) for row in rows
        ],
        page_info=page_info(page),
    )


def managed_roles_out(page: Page) -> ManagedRolesResponse:
    rows: list[AttachedPolicy] = page.rows
    return ManagedRolesResponse(
        attached_managed_roles=[
            ManagedRoleOut(role_id=row.policy_id, role_name=row.policy_name) for row in rows
        ],
        page_info=page_info(page),
    )


# Provisioning -------------------------------------------------------------------------------


class ProvisionBody(Body):
    target_type: Literal["ACCOUNT", "ALL_PROVISIONED_ACCOUNTS"]
    target_id: Id | None = None


class ProvisioningStatusOut(BaseModel):
    account_id: str | None = None
    created_date: int
    failure_reason: str | None = None
    permission_set_id: str
    request_id: str
    status: str


class ProvisioningStatusResponse(BaseModel):
    permission_set_provisioning_status: ProvisioningStatusOut


class StatusMetadataOut(BaseModel):
    created_date: int
    request_id: str
    status: str


class ProvisioningStatusesResponse(BaseModel):
    permission_sets_provisioning_status: list[StatusMetadataOut]
    page_info: PageInfo


class AccountIdsResponse(BaseModel):
    account_ids: list[str]
    page_info: PageInfo


class ProvisionedPermissionSetsResponse(BaseModel):
    permission_sets: list[str]
    page_info: PageInfo


def provisioning_status_out(status: ProvisioningStatus) -> ProvisioningStatusResponse:
    return ProvisioningStatusResponse(
        permission_set_provisioning_status=ProvisioningStatusOut(
            account_id=status.account_id,
            created_date=epoch_ms(status.created_at),
            failure_reason=status.failure_reason,
            permission_set_id=status.permission_set_id,
            request_id=status.id,
            status=status.status,
        )
    )


def provisioning_statuses_out(page: Page) -> ProvisioningStatusesResponse:
    return ProvisioningStatusesResponse(
        permission_sets_provisioning_status=[
            StatusMetadataOut(
                created_date=epoch_ms(row.created_at), request_id=row.id, status=row.status
            )
            for row in page.rows
        ],
        page_info=page_info(page),
    )


def account_ids_out(page: Page) -> AccountIdsResponse:
    return AccountIdsResponse(
        account_ids=[row.account_id for row in page.rows], page_info=page_info(page)
    )


def provisioned_sets_out(page: Page) -> ProvisionedPermissionSetsResponse:
    return ProvisionedPermissionSetsResponse(
        permission_sets=[row.permission_set_id for row in page.rows], page_info=page_info(page)
    )
