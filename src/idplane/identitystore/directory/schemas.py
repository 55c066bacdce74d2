"""Wire models the directory's APIs share (names from the SDK's attribute maps)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from idplane.identitystore.directory.attributes import Operation
from idplane.identitystore.directory.service import Summary
from idplane.instances.schemas import NO_NUL, Body, Id


class ExternalIdOut(BaseModel):
    id: str
    issuer: str


class MemberId(Body):
    user_id: Id


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


def external_ids_out(pairs: list[tuple[str, str]]) -> list[ExternalIdOut] | None:
    return [ExternalIdOut(issuer=issuer, id=value) for issuer, value in pairs] or None


def first_external_id(pairs: list[tuple[str, str]]) -> str | None:
    return pairs[0][1] if pairs else None


def summary_out(summary: Summary) -> SummaryResponse:
    return SummaryResponse(**summary.__dict__)
