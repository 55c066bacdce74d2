"""Wire models of the group membership APIs (names from the SDK's attribute maps)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from idplane.identitystore.directory.schemas import MemberId
from idplane.identitystore.memberships.tables import GroupMembership
from idplane.instances.schemas import Body, Id, PageInfo, page_info
from idplane.platform.paging import Page


class CreateGroupMembershipBody(Body):
    group_id: Id
    member_id: MemberId


GetGroupMembershipIdBody = CreateGroupMembershipBody


class IsMemberInGroupsBody(Body):
    group_ids: list[Id] = Field(min_length=1, max_length=100)
    member_id: MemberId


class MembershipIdResponse(BaseModel):
    """CreateGroupMembershipResponse and GetGroupMembershipIdResponse."""

    identity_store_id: str
    membership_id: str


class MemberIdOut(BaseModel):
    user_id: str


class MembershipOut(BaseModel):
    """DescribeGroupMembershipResponse / GroupMembershipDto / GroupMembershipItem."""

    membership_id: str
    identity_store_id: str
    group_id: str
    member_id: MemberIdOut


class MembershipsResponse(BaseModel):
    group_memberships: list[MembershipOut]
    page_info: PageInfo


class ExistenceResult(BaseModel):
    group_id: str
    member_id: MemberIdOut
    membership_exists: bool


class IsMemberInGroupsResponse(BaseModel):
    results: list[ExistenceResult]


def membership_id_out(membership: GroupMembership) -> MembershipIdResponse:
    return MembershipIdResponse(
        identity_store_id=membership.identity_store_id, membership_id=membership.id
    )


def membership_out(membership: GroupMembership) -> MembershipOut:
    return MembershipOut(
        membership_id=membership.id,
        identity_store_id=membership.identity_store_id,
        group_id=membership.group_id,
        member_id=MemberIdOut(user_id=membership.user_id),
    )


def memberships_out(page: Page) -> MembershipsResponse:
    memberships = [membership_out(membership) for membership in page.rows]
    return MembershipsResponse(group_memberships=memberships, page_info=page_info(page))


def existence_out(user_id: str, results: list[tuple[str, bool]]) -> IsMemberInGroupsResponse:
    member = MemberIdOut(user_id=user_id)
    return IsMemberInGroupsResponse(
        results=[
            ExistenceResult(group_id=group_id, member_id=member, membership_exists=exists)
            for group_id, exists in results
        ]
    )
