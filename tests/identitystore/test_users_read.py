"""Reading users: describe one, describe a batch, find one by user name or external id, and
list them page by page."""

from __future__ import annotations

import pytest
from huaweicloudsdkidentitycenterstore.v1 import model as ids

from idplane.identitystore.users.tables import UserExternalId
from tests.identitystore.builders import (
    create_user,
    describe_user,
    failure,
    new_directory,
    plain,
    unique,
)

BAD_REQUEST = (400, "IIC.400")
NOT_FOUND = (404, "IIC.404")


def _user_id(directory, **alternate):
    body = ids.GetUserIdReqBody(alternate_identifier=ids.AlternateIdentifierDto(**alternate))
    request = ids.GetUserIdRequest(identity_store_id=directory.identity_store_id, body=body)
    return directory.client().get_user_id(request)


def _by_name(directory, path: str, value: str):
    attribute = ids.UniqueAttributeDto(attribute_path=path, attribute_value=value)
    return _user_id(directory, unique_attribute=attribute)


def _list(directory, **query):
    request = ids.ListUsersRequest(identity_store_id=directory.identity_store_id, **query)
    return directory.client().list_users(request)


def test_describing_an_unknown_user_is_404(directory):
    assert failure(lambda: describe_user(directory, "no-such-user")) == NOT_FOUND


def test_a_batch_query_answers_the_known_users_in_the_order_asked(directory):
    first, second = create_user(directory), create_user(directory)
    body = ids.DescribeUsersRequestBody(user_ids=[second, "unknown", first, second])
    request = ids.DescribeUsersRequest(identity_store_id=directory.identity_store_id, body=body)
    users = directory.client().describe_users(request).users
    assert [user.user_id for user in users] == [second, first]
    assert users[0].emails[0].value.endswith("@example.com")


@pytest.mark.parametrize("user_ids", [[], [f"id-{n}" for n in range(101)], [""]])
def test_a_batch_query_of_no_ids_or_too_many_is_refused(directory, user_ids):
    body = ids.DescribeUsersRequestBody(user_ids=user_ids)
    request = ids.DescribeUsersRequest(identity_store_id=directory.identity_store_id, body=body)
    assert failure(lambda: directory.client().describe_users(request)) == BAD_REQUEST


def test_a_user_id_is_found_by_user_name_whatever_its_case(directory):
    name = unique("Find")
    user_id = create_user(directory, user_name=name)
    found = _by_name(directory, "user_name", name.upper())
    assert (found.user_id, found.identity_store_id) == (user_id, directory.identity_store_id)
    assert _by_name(directory, "userName", name).user_id == user_id


def test_a_user_id_is_found_by_external_id(server, directory):
    user_id = create_user(directory)
    with server.core.store.transaction() as session:
        session.add(
            UserExternalId(
                identity_store_id=directory.identity_store_id,
                user_id=user_id,
                issuer="scim",
                external_id="ext-1",
            )
        )
    found = _user_id(directory, external_id=ids.ExternalIdDto(issuer="scim", id="ext-1"))
    assert found.user_id == user_id
    described = describe_user(directory, user_id)
    assert described.external_id == "ext-1"
    assert plain(described.external_ids) == [{"id": "ext-1", "issuer": "scim"}]
    other_issuer = ids.ExternalIdDto(issuer="other", id="ext-1")
    assert failure(lambda: _user_id(directory, external_id=other_issuer)) == NOT_FOUND


def test_a_user_name_nobody_has_is_404(directory):
    assert failure(lambda: _by_name(directory, "user_name", unique("nobody"))) == NOT_FOUND


def test_a_lookup_must_name_exactly_one_identifier(directory):
    external = ids.ExternalIdDto(issuer="scim", id="x")
    attribute = ids.UniqueAttributeDto(attribute_path="user_name", attribute_value="x")
    both = {"external_id": external, "unique_attribute": attribute}
    assert failure(lambda: _user_id(directory, **both)) == BAD_REQUEST
    assert failure(lambda: _user_id(directory)) == BAD_REQUEST


def test_a_lookup_by_an_attribute_that_is_not_unique_is_refused(directory):
    assert failure(lambda: _by_name(directory, "display_name", "x")) == BAD_REQUEST


def test_listing_pages_through_every_user_once(server):
    directory = new_directory(server)  # a store of its own, so the count is exact
    created = [create_user(directory) for _ in range(7)]
    seen, marker, pages = [], None, 0
    while True:
        page = _list(directory, limit=3, marker=marker)
        pages += 1
        assert page.page_info.current_count == len(page.users) <= 3
        seen += [user.user_id for user in page.users]
        marker = page.page_info.next_marker
        if marker is None:
            break
        assert len(marker) == 24
    assert seen == created and pages == 3


def test_listing_filters_by_exact_user_name(directory):
    name = unique("Exact")
    user_id = create_user(directory, user_name=name)
    create_user(directory, user_name=name + "-longer")
    page = _list(directory, user_name=name.lower())
    assert [user.user_id for user in page.users] == [user_id]
    assert page.page_info.next_marker is None
    assert _list(directory, user_name=unique("none")).users == []


def test_a_listed_user_carries_the_whole_user(directory):
    name = unique("whole")
    create_user(directory, user_name=name, title="Boss")
    listed = _list(directory, user_name=name).users[0]
    assert (listed.title, listed.enabled, listed.name.given_name) == ("Boss", True, "Jane")


@pytest.mark.parametrize(
    "query",
    [{"limit": 0}, {"limit": 101}, {"marker": "short"}, {"marker": "Z" * 24}],
    ids=["limit0", "limit101", "short-marker", "bad-marker"],
)
def test_a_list_with_a_bad_limit_or_marker_is_refused(directory, query):
    assert failure(lambda: _list(directory, **query)) == BAD_REQUEST
