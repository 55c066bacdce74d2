"""Wire models of the group APIs (names from the SDK's attribute maps)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from idplane.identitystore.directory.attributes import AlternateIdentifier
from idplane.identitystore.directory.schemas import (
    ExternalIdOut,
    external_ids_out,
    first_external_id,
)
from idplane.identitystore.groups.attributes import NewGroup
from idplane.identitystore.groups.service import GroupView
from idplane.identitystore.groups.tables import Group
from idplane.instances.schemas import Body, Id, PageInfo, page_info
from idplane.platform.clock import as_utc, epoch_ms
from idplane.platform.paging import Page

CreateGroupBody = NewGroup


class DescribeGroupsBody(Body):
    group_ids: list[Id] = Field(min_length=1, max_length=100)


class GetGroupIdBody(Body):
    alternate_identifier: AlternateIdentifier


class CreateGroupResponse(BaseModel):
    group_id: str
    identity_store_id: str


class GetGroupIdResponse(BaseModel):
    group_id: str
    identity_store_id: str


class GroupOut(BaseModel):
    """DescribeGroupResponse / DescribeGroupResp / GroupDto."""

    group_id: str
    identity_store_id: str
    display_name: str
    description: str | None = None
    external_id: str | None = None
    external_ids: list[ExternalIdOut] | None = None
    created_at: int
    created_by: str
    updated_at: int
    updated_by: str


class DescribeGroupsResponse(BaseModel):
    groups: list[GroupOut]


class ListGroupsResponse(BaseModel):
    groups: list[GroupOut]
    page_info: PageInfo


def created_out(group: Group) -> CreateGroupResponse:
    return CreateGroupResponse(group_id=group.id, identity_store_id=group.identity_store_id)


def group_out(view: GroupView) -> GroupOut:
    group = view.group
    return GroupOut(
        group_id=group.id,
        identity_store_id=group.identity_store_id,
        display_name=group.display_name,
        description=group.description,
        external_id=first_external_id(view.external_ids),
        external_ids=external_ids_out(view.external_ids),
        created_at=epoch_ms(as_utc(group.created_at)),
        created_by=group.created_by,
        updated_at=epoch_ms(as_utc(group.updated_at)),
        updated_by=group.updated_by,
    )


def groups_out(views: list[GroupView]) -> DescribeGroupsResponse:
    return DescribeGroupsResponse(groups=[group_out(view) for view in views])


def group_page_out(page: Page) -> ListGroupsResponse:
    return ListGroupsResponse(groups=[group_out(v) for v in page.rows], page_info=page_info(page))
