"""Wire models of permissions: system roles/policies and custom policies."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from idplane.iam.schemas import Link, Open

MAX_DESCRIPTION = 256


class PolicyFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    display_name: str
    type: str
    # Undocumented in the API reference; the console caps descriptions at 256 characters.
    description: str = Field(max_length=MAX_DESCRIPTION)
    description_cn: str | None = Field(None, max_length=MAX_DESCRIPTION)
    policy: dict[str, Any]


class PolicyBody(BaseModel):
    role: PolicyFields


class RoleOut(Open):
    id: str
    name: str
    display_name: str | None = None
    type: str
    catalog: str | None = None
    description: str | None = None
    description_cn: str | None = None
    domain_id: str | None = None
    flag: str | None = None
    policy: dict[str, Any]
    created_time: str | None = None
    updated_time: str | None = None
    references: int | None = None
    links: Link


class RoleResponse(Open):
    role: RoleOut


class RolesResponse(Open):
    roles: list[RoleOut]
    links: Link
    total_number: int


class GrantedRoles(Open):
    """The roles granted to a group or an agency on a target."""

    roles: list[RoleOut]
    links: Link
