"""Wire models of Keystone groups."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from idplane.iam.schemas import Link, Open


class GroupFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str | None = None
    # Documented: "at most 255 bytes"; counted in characters, as both stores' VARCHAR(255) do.
    description: str | None = Field(None, max_length=255)
    domain_id: str | None = None


class GroupBody(BaseModel):
    group: GroupFields


class GroupOut(Open):
    id: str
    name: str
    domain_id: str
    description: str
    create_time: int
    links: Link


class GroupResponse(Open):
    group: GroupOut


class GroupsResponse(Open):
    groups: list[GroupOut]
    links: Link
