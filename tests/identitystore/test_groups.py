"""Groups: create, describe, batch query, find by display name or external id, list with the
display-name prefix filter, update by attribute operations, delete."""

from __future__ import annotations

import pytest
from huaweicloudsdkidentitycenterstore.v1 import model as ids

from idplane.identitystore.groups.tables import GroupExternalId
from tests.identitystore.builders import create_group, failure, new_directory, plain, unique

BAD_REQUEST = (400, "IIC.400")
NOT_FOUND = (404, "IIC.404")
DUPLICATE = (409, "IIC.1257")


def _describe(directory, group_id):
    request = ids.DescribeGroupRequest(
        identity_store_id=directory.identity_store_id, group_id=group_id
    )
    return directory.client().describe_group(request)


def _list(directory, **query):
    request = ids.ListGroupsRequest(identity_store_id=directory.identity_store_id, **query)
    return directory.client().list_groups(request)


def _update(directory, group_id, *operations):
    body = ids.UpdateGroupReqBody(
        operations=[
            ids.AttributeOperationDto(attribute_path=p, attribute_value=v) for p, v in operations
        ]
    )
    request = ids.UpdateGroupRequest(
        identity_store_id=directory.identity_store_id, group_id=group_id, body=body
    )
    return directory.client().update_group(request)


def _delete(directory, group_id):
    request = ids.DeleteGroupRequest(
        identity_store_id=directory.identity_store_id, group_id=group_id
    )
    return directory.client().delete_group(request)


def _group_id(directory, **alternate):
    body = ids.GetGroupIdReqBody(alternate_identifier=ids.AlternateIdentifierDto(**alternate))
    request = ids.GetGroupIdRequest(identity_store_id=directory.identity_store_id, body=body)
    return directory.client().get_group_id(request)


def test_a_created_group_is_described_back(directory):
    name = unique("Team")
    group_id = create_group(directory, display_name=name, description="The team")
    group = _describe(directory, group_id)
    assert (group.group_id, group.identity_store_id) == (group_id, directory.identity_store_id)
    assert (group.display_name, group.description) == (name, "The team")
    assert group.created_at == group.updated_at > 1_600_000_000_000
    assert group.created_by == directory.management.user_id
    assert group.external_ids is None


@pytest.mark.parametrize(
    "body",
    [
        {"display_name": ""},
        {"display_name": "g" * 1025},
        {"description": "d" * 1025},
        {"display_name": "nul\x00"},
        {},
    ],
    ids=["empty", "long-name", "long-description", "nul", "no-name"],
)
def test_a_group_outside_the_documented_limits_is_refused(directory, body):
    request = ids.CreateGroupRequest(
        identity_store_id=directory.identity_store_id, body=ids.CreateGroupReqBody(**body)
    )
    assert failure(lambda: directory.client().create_group(request)) == BAD_REQUEST


def test_a_display_name_is_unique_in_the_store_whatever_its_case(directory):
    name = unique("Unique")
    create_group(directory, display_name=name)
    assert failure(lambda: create_group(directory, display_name=name)) == DUPLICATE
    assert failure(lambda: create_group(directory, display_name=name.lower())) == DUPLICATE


def test_a_long_multibyte_display_name_is_stored_and_still_unique(directory):
    name = "群" * 1000 + unique("x")[:24]
    group_id = create_group(directory, display_name=name)
    assert _describe(directory, group_id).display_name == name
    assert failure(lambda: create_group(directory, display_name=name)) == DUPLICATE
    assert [g.group_id for g in _list(directory, display_name=name).groups] == [group_id]


def test_a_batch_query_answers_the_known_groups_in_the_order_asked(directory):
    first, second = create_group(directory), create_group(directory)
    body = ids.DescribeGroupsRequestBody(group_ids=[second, "unknown", first])
    request = ids.DescribeGroupsRequest(identity_store_id=directory.identity_store_id, body=body)
    groups = directory.client().describe_groups(request).groups
    assert [group.group_id for group in groups] == [second, first]


def test_a_group_id_is_found_by_display_name_or_external_id(server, directory):
    name = unique("Lookup")
    group_id = create_group(directory, display_name=name)
    attribute = ids.UniqueAttributeDto(attribute_path="display_name", attribute_value=name.upper())
    assert _group_id(directory, unique_attribute=attribute).group_id == group_id
    with server.core.store.transaction() as session:
        session.add(
            GroupExternalId(
                identity_store_id=directory.identity_store_id,
                group_id=group_id,
                issuer="scim",
                external_id="g-ext",
            )
        )
    external = ids.ExternalIdDto(issuer="scim", id="g-ext")
    assert _group_id(directory, external_id=external).group_id == group_id
    assert plain(_describe(directory, group_id).external_ids) == [{"id": "g-ext", "issuer": "scim"}]


def test_a_group_lookup_that_finds_nothing_or_asks_wrongly_fails(directory):
    missing = ids.UniqueAttributeDto(attribute_path="displayName", attribute_value=unique("none"))
    assert failure(lambda: _group_id(directory, unique_attribute=missing)) == NOT_FOUND
    wrong = ids.UniqueAttributeDto(attribute_path="description", attribute_value="x")
    assert failure(lambda: _group_id(directory, unique_attribute=wrong)) == BAD_REQUEST
    assert failure(lambda: _group_id(directory)) == BAD_REQUEST


def test_the_display_name_filter_is_a_case_insensitive_prefix_match(server):
    directory = new_directory(server)
    engineering = create_group(directory, display_name="Engineering")
    eng_ops = create_group(directory, display_name="eng-ops")
    create_group(directory, display_name="Sales")
    create_group(directory, display_name="Reengineering")
    assert [g.group_id for g in _list(directory, display_name="ENG").groups] == [
        engineering,
        eng_ops,
    ]
    assert [g.group_id for g in _list(directory, display_name="engineering").groups] == [
        engineering
    ]
    assert _list(directory, display_name="Engineers").groups == []


def test_listing_pages_through_every_group_once(server):
    directory = new_directory(server)
    created = [create_group(directory, display_name=f"paged-{n}") for n in range(5)]
    first = _list(directory, limit=2)
    second = _list(directory, limit=2, marker=first.page_info.next_marker)
    third = _list(directory, limit=2, marker=second.page_info.next_marker)
    seen = [g.group_id for page in (first, second, third) for g in page.groups]
    assert seen == created and third.page_info.next_marker is None
    filtered = _list(directory, display_name="paged-", limit=4)
    rest = _list(directory, display_name="paged-", marker=filtered.page_info.next_marker)
    assert [g.group_id for g in filtered.groups + rest.groups] == created


def test_display_name_and_description_are_updated(directory):
    group_id = create_group(directory, description="old")
    renamed = unique("Renamed")
    _update(directory, group_id, ("display_name", renamed), ("description", "new"))
    group = _describe(directory, group_id)
    assert (group.display_name, group.description) == (renamed, "new")
    assert group.updated_at >= group.created_at
    _update(directory, group_id, ("description", ""))
    assert _describe(directory, group_id).description is None


@pytest.mark.parametrize(
    ("path", "value"),
    [("display_name", None), ("display_name", ""), ("members", "[]"), ("colour", "red")],
)
def test_an_invalid_group_update_is_refused(directory, path, value):
    group_id = create_group(directory, description="kept")
    operations = [("description", "changed"), (path, value)]
    assert failure(lambda: _update(directory, group_id, *operations)) == BAD_REQUEST
    assert _describe(directory, group_id).description == "kept"


def test_renaming_a_group_to_a_taken_name_is_a_conflict(directory):
    taken = unique("Taken")
    create_group(directory, display_name=taken)
    group_id = create_group(directory)
    assert failure(lambda: _update(directory, group_id, ("displayName", taken))) == DUPLICATE


def test_a_deleted_group_is_gone(directory):
    group_id = create_group(directory)
    _delete(directory, group_id)
    assert failure(lambda: _describe(directory, group_id)) == NOT_FOUND
    assert failure(lambda: _delete(directory, group_id)) == NOT_FOUND
    assert failure(lambda: _update(directory, group_id, ("description", "x"))) == NOT_FOUND
