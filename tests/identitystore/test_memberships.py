"""Group memberships: create, describe, look up, ask, list both ways, delete; uniqueness and
what deleting a user or a group does to its memberships."""

from __future__ import annotations

import pytest
from huaweicloudsdkidentitycenterstore.v1 import model as ids
from sqlalchemy import func, select

from idplane.identitystore.memberships.tables import GroupMembership
from tests.identitystore.builders import add_member, create_group, create_user, failure

BAD_REQUEST = (400, "IIC.400")
NOT_FOUND = (404, "IIC.404")


def _store(directory) -> dict:
    return {"identity_store_id": directory.identity_store_id}


def _describe(directory, membership_id):
    request = ids.DescribeGroupMembershipRequest(**_store(directory), membership_id=membership_id)
    return directory.client().describe_group_membership(request)


def _membership_id(directory, group_id, user_id):
    body = ids.GetGroupMembershipIdReqBody(
        group_id=group_id, member_id=ids.MemberIdDto(user_id=user_id)
    )
    request = ids.GetGroupMembershipIdRequest(**_store(directory), body=body)
    return directory.client().get_group_membership_id(request)


def _is_member(directory, user_id, group_ids):
    body = ids.IsMemberInGroupsReqBody(
        group_ids=group_ids, member_id=ids.MemberIdDto(user_id=user_id)
    )
    request = ids.IsMemberInGroupsRequest(**_store(directory), body=body)
    return directory.client().is_member_in_groups(request).results


def _of_group(directory, group_id, **query):
    request = ids.ListGroupMembershipsRequest(**_store(directory), group_id=group_id, **query)
    return directory.client().list_group_memberships(request)


def _of_member(directory, user_id, **query):
    request = ids.ListGroupMembershipsForMemberRequest(
        **_store(directory), user_id=user_id, **query
    )
    return directory.client().list_group_memberships_for_member(request)


def _delete(directory, membership_id):
    request = ids.DeleteGroupMembershipRequest(**_store(directory), membership_id=membership_id)
    return directory.client().delete_group_membership(request)


def _delete_principal(directory, kind, principal_id):
    if kind == "user":
        request = ids.DeleteUserRequest(**_store(directory), user_id=principal_id)
        return directory.client().delete_user(request)
    request = ids.DeleteGroupRequest(**_store(directory), group_id=principal_id)
    return directory.client().delete_group(request)


def _rows(server, **where) -> int:
    with server.core.store.read() as session:
        stmt = select(func.count()).select_from(GroupMembership)
        for column, value in where.items():
            stmt = stmt.where(getattr(GroupMembership, column) == value)
        return session.scalar(stmt)


def test_a_membership_is_created_described_and_looked_up(directory):
    group_id, user_id = create_group(directory), create_user(directory)
    membership_id = add_member(directory, group_id, user_id)
    described = _describe(directory, membership_id)
    assert (described.membership_id, described.group_id) == (membership_id, group_id)
    assert described.member_id.user_id == user_id
    assert described.identity_store_id == directory.identity_store_id
    found = _membership_id(directory, group_id, user_id)
    assert (found.membership_id, found.identity_store_id) == (
        membership_id,
        directory.identity_store_id,
    )


def test_a_user_is_in_a_group_at_most_once(server, directory):
    group_id, user_id = create_group(directory), create_user(directory)
    add_member(directory, group_id, user_id)
    assert failure(lambda: add_member(directory, group_id, user_id)) == (409, "IIC.1257")
    assert _rows(server, group_id=group_id) == 1


@pytest.mark.parametrize("missing", ["group", "user"])
def test_a_membership_needs_an_existing_group_and_user(directory, missing):
    group_id = "no-such-group" if missing == "group" else create_group(directory)
    user_id = "no-such-user" if missing == "user" else create_user(directory)
    assert failure(lambda: add_member(directory, group_id, user_id)) == NOT_FOUND


def test_asking_about_memberships_that_do_not_exist_is_404(directory):
    group_id, user_id = create_group(directory), create_user(directory)
    assert failure(lambda: _membership_id(directory, group_id, user_id)) == NOT_FOUND
    assert failure(lambda: _describe(directory, "no-such-membership")) == NOT_FOUND
    assert failure(lambda: _delete(directory, "no-such-membership")) == NOT_FOUND


def test_is_member_in_groups_answers_each_group_once_in_order(directory):
    user_id = create_user(directory)
    member_of, not_member_of = create_group(directory), create_group(directory)
    add_member(directory, member_of, user_id)
    results = _is_member(directory, user_id, [not_member_of, member_of, "unknown", member_of])
    answers = [(r.group_id, r.membership_exists, r.member_id.user_id) for r in results]
    assert answers == [
        (not_member_of, False, user_id),
        (member_of, True, user_id),
        ("unknown", False, user_id),
    ]


def test_is_member_in_groups_takes_one_to_a_hundred_groups_of_a_known_user(directory):
    user_id = create_user(directory)
    assert failure(lambda: _is_member(directory, user_id, [])) == BAD_REQUEST
    too_many = [f"g{n}" for n in range(101)]
    assert failure(lambda: _is_member(directory, user_id, too_many)) == BAD_REQUEST
    assert len(_is_member(directory, user_id, too_many[:100])) == 100
    assert failure(lambda: _is_member(directory, "nobody", ["g"])) == NOT_FOUND


def test_a_groups_members_are_listed_page_by_page(directory):
    group_id = create_group(directory)
    users = [create_user(directory) for _ in range(5)]
    memberships = [add_member(directory, group_id, user_id) for user_id in users]
    first = _of_group(directory, group_id, limit=2)
    assert first.page_info.current_count == 2
    second = _of_group(directory, group_id, limit=2, marker=first.page_info.next_marker)
    third = _of_group(directory, group_id, limit=2, marker=second.page_info.next_marker)
    listed = first.group_memberships + second.group_memberships + third.group_memberships
    assert [m.membership_id for m in listed] == memberships
    assert [m.member_id.user_id for m in listed] == users
    assert {m.group_id for m in listed} == {group_id}
    assert third.page_info.next_marker is None


def test_a_users_groups_are_listed_page_by_page(directory):
    user_id = create_user(directory)
    groups = [create_group(directory) for _ in range(3)]
    for group_id in groups:
        add_member(directory, group_id, user_id)
    first = _of_member(directory, user_id, limit=2)
    rest = _of_member(directory, user_id, limit=2, marker=first.page_info.next_marker)
    listed = first.group_memberships + rest.group_memberships
    assert [m.group_id for m in listed] == groups
    assert all(m.identity_store_id == directory.identity_store_id for m in listed)
    assert rest.page_info.next_marker is None


def test_listing_the_members_of_an_unknown_group_or_user_is_404(directory):
    assert failure(lambda: _of_group(directory, "no-such-group")) == NOT_FOUND
    assert failure(lambda: _of_member(directory, "no-such-user")) == NOT_FOUND
    group_id = create_group(directory)
    assert failure(lambda: _of_group(directory, group_id, limit=101)) == BAD_REQUEST


def test_a_deleted_membership_is_gone(directory):
    group_id, user_id = create_group(directory), create_user(directory)
    membership_id = add_member(directory, group_id, user_id)
    _delete(directory, membership_id)
    assert failure(lambda: _describe(directory, membership_id)) == NOT_FOUND
    assert _is_member(directory, user_id, [group_id])[0].membership_exists is False
    assert add_member(directory, group_id, user_id) != membership_id


@pytest.mark.parametrize("deleted", ["user", "group"])
def test_deleting_a_principal_deletes_its_memberships(server, directory, deleted):
    user_id, group_id = create_user(directory), create_group(directory)
    other_user, other_group = create_user(directory), create_group(directory)
    doomed = add_member(directory, group_id, user_id)
    kept_by_user = add_member(directory, other_group, user_id)
    kept_by_group = add_member(directory, group_id, other_user)
    _delete_principal(directory, deleted, user_id if deleted == "user" else group_id)
    assert failure(lambda: _describe(directory, doomed)) == NOT_FOUND
    column, gone = ("user_id", user_id) if deleted == "user" else ("group_id", group_id)
    assert _rows(server, **{column: gone}) == 0
    survivor = kept_by_group if deleted == "user" else kept_by_user
    assert _describe(directory, survivor).membership_id == survivor
