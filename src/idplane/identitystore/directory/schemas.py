"""Wire models the directory's APIs share (names from the SDK's attribute maps)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from idplane.identitystore.directory.attributes import NO_NUL, Operation
from idplane.identitystore.directory.service import Summary
from idplane.platform.paging import Page

PrincipalId = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=NO_NUL)]
# Path and query parameters: checked like bodies, so a stray NUL is a 400, never a 500.
StoreId = Annotated[str, Path(min_length=1, max_length=64, pattern=NO_NUL)]
PathId = Annotated[str, Path(min_length=1, max_length=64, pattern=NO_NUL)]
QueryId = Annotated[str, Query(min_length=1, max_length=64, pattern=NO_NUL)]
NameFilter = Annotated[str | None, Query(max_length=1024, pattern=NO_NUL)]
Marker = Annotated[str | None, Query(max_length=64, pattern=NO_NUL)]


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PageInfo(BaseModel):
    next_marker: str | None = None
    current_count: int


class ExternalIdOut(BaseModel):
    id: str
    issuer: str


class MemberId(Body):
    user_id: PrincipalId


class AttributeOperationIn(Body):
    attribute_path: str = Field(min_length=1, max_length=255, pattern=NO_NUL)
    attribute_value: str | None = None


class UpdateBody(Body):
    """UpdateUserReqBody and UpdateGroupReqBody."""

    operations: list[AttributeOperationIn] = Field(min_length=1, max_length=100)

    def to_operations(self) -> list[Operation]:
        return [Operation(op.attribute_path, op.attribute_value) for op in self.operations]


class SummaryResponse(BaseModel):
    users: int
    users_quota: int
    groups: int
    groups_quota: int


def page_info(page: Page) -> PageInfo:
    return PageInfo(**page.page_info())


def external_ids_out(pairs: list[tuple[str, str]]) -> list[ExternalIdOut] | None:
    return [ExternalIdOut(issuer=issuer, id=value) for issuer, value in pairs] or None


def first_external_id(pairs: list[tuple[str, str]]) -> str | None:
    return pairs[0][1] if pairs else None


def summary_out(summary: Summary) -> SummaryResponse:
    return SummaryResponse(**summary.__dict__)
