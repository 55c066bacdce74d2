"""Wire models of the tag APIs."""

from __future__ import annotations

from pydantic import BaseModel, Field

from idplane.organizations.schemas import Body, PageInfo, Tag


class TagsBody(Body):
    tags: list[Tag] = Field(min_length=1, max_length=20)


class UntagBody(Body):
    tag_keys: list[str] = Field(min_length=1, max_length=20)


class TagValues(Body):
    key: str = Field(min_length=1, max_length=127)
    values: list[str] = Field(default_factory=list, max_length=20)


class Match(Body):
    key: str = Field(min_length=1, max_length=64)
    value: str = Field(max_length=255)


class ResourceInstanceBody(Body):
    without_any_tag: bool | None = None
    tags: list[TagValues] | None = Field(default=None, max_length=20)
    matches: list[Match] | None = Field(default=None, max_length=5)


class TagDto(BaseModel):
    key: str
    value: str


class TagsResponse(BaseModel):
    tags: list[TagDto]
    page_info: PageInfo


class TagValuesDto(BaseModel):
    key: str
    values: list[str]


class ResourceTagsResponse(BaseModel):
    tags: list[TagValuesDto]


class ResourceDto(BaseModel):
    resource_id: str
    resource_name: str | None = None
    tags: list[TagDto]


class ResourceInstancesResponse(BaseModel):
    resources: list[ResourceDto]
    total_count: int


class CountResponse(BaseModel):
    total_count: int
