"""Wire models of Keystone groups."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from idplane.iam.schemas import Link, Open


class GroupFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str | None = None
    description: str | None = None
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
