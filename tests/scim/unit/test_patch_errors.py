"""Every PATCH failure is a 400 with the RFC 7644 scimType, and nothing is half-applied."""

import copy

import pytest

from idplane.scim.patch import MAX_OPERATIONS, apply_patch, operations_of

from .expect import scim_error

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def patch(schema, resource, *operations):
    return apply_patch(resource, list(operations), schema)


@pytest.mark.parametrize("op", ["delete", "move", "", None, 3, "copy"])
def test_an_unknown_op_is_invalid_syntax(users, user, op):
    with scim_error("invalidSyntax"):
        patch(users, user, {"op": op, "path": "title", "value": "x"})


def test_an_operation_that_is_not_an_object_is_invalid_syntax(users, user):
    with scim_error("invalidSyntax"):
        patch(users, user, ["add", "title", "x"])


def test_remove_without_a_path_is_no_target(users, user):
    with scim_error("noTarget"):
        patch(users, user, {"op": "remove"})


def test_remove_without_a_path_is_no_target_even_with_a_value(groups, group):
    with scim_error("noTarget"):
        patch(groups, group, {"op": "remove", "value": {"members": [{"value": "x"}]}})


def test_replace_of_a_filter_matching_nothing_is_no_target(users, user):
    with scim_error("noTarget"):
        patch(users, user, {"op": "replace", "path": 'emails[type eq "other"].value', "value": "x"})


def test_replace_of_filtered_elements_matching_nothing_is_no_target(groups, group):
    with scim_error("noTarget"):
        patch(groups, group, {"op": "replace", "path": 'members[value eq "x"]', "value": {}})


def test_remove_of_a_filter_matching_nothing_is_no_target(groups, group):
    with scim_error("noTarget"):
        patch(groups, group, {"op": "remove", "path": 'members[value eq "nobody"]'})


def test_add_through_a_filter_that_does_not_describe_an_element_is_no_target(users, user):
    with scim_error("noTarget"):
        patch(users, user, {"op": "add", "path": 'emails[value co "zzz"].type', "value": "work"})


@pytest.mark.parametrize(
    "path",
    [
        "nosuch",
        "name.nosuch",
        "title.sub",
        "urn:example:Nope:attr",
        f"{ENTERPRISE}:nosuch",
        "employeeNumber",
        'emails[nosuch eq "x"]',
        'emails[type eq "work"].nosuch',
    ],
)
def test_an_unknown_attribute_is_invalid_path(users, user, path):
    with scim_error("invalidPath"):
        patch(users, user, {"op": "replace", "path": path, "value": "x"})


@pytest.mark.parametrize(
    "path",
    [
        'emails[type eq "work"',
        'emails[type "work"]',
        "emails..value",
        'title[value eq "x"]',
        'name[givenName eq "x"]',
        '"quoted"',
        "emails[]",
        5,
    ],
)
def test_a_malformed_path_is_invalid_path(users, user, path):
    with scim_error("invalidPath"):
        patch(users, user, {"op": "replace", "path": path, "value": "x"})


def test_an_unknown_key_in_a_pathless_value_is_invalid_path(users, user):
    with scim_error("invalidPath"):
        patch(users, user, {"op": "replace", "value": {"title": "x", "favouriteColour": "red"}})


def test_an_unknown_key_in_an_extension_object_is_invalid_path(users, user):
    with scim_error("invalidPath"):
        patch(users, user, {"op": "add", "path": ENTERPRISE, "value": {"nosuch": "x"}})


@pytest.mark.parametrize("path", ["id", "meta", "meta.created", "meta.lastModified", "schemas"])
def test_writing_a_read_only_attribute_is_mutability(users, user, path):
    with scim_error("mutability"):
        patch(users, user, {"op": "replace", "path": path, "value": "x"})


@pytest.mark.parametrize("path", ["id", "meta"])
def test_removing_a_read_only_attribute_is_mutability(users, user, path):
    with scim_error("mutability"):
        patch(users, user, {"op": "remove", "path": path})


def test_changing_the_id_through_a_pathless_value_is_mutability(groups, group):
    with scim_error("mutability"):
        patch(groups, group, {"op": "replace", "value": {"id": "another", "displayName": "x"}})


def test_changing_the_id_of_a_member_is_mutability(groups, group):
    path = 'members[value eq "2819c223-7f76-453a-919d-413861904646"].value'
    with scim_error("mutability"):
        patch(groups, group, {"op": "replace", "path": path, "value": "someone-else"})


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("active", "yes"),
        ("active", 1),
        ("title", 5),
        ("title", {"value": "x"}),
        ("title", ["a", "b"]),
        ("name", "Barbara"),
        ("name", [{"givenName": "x"}]),
        ("name.givenName", True),
        ("emails", [{"value": "x", "nosuch": 1}]),
        ("emails", ["a@b.c", 5]),
        ("emails", [{"value": "a", "primary": True}, {"value": "b", "primary": True}]),
        ('emails[type eq "work"].primary', "maybe"),
        (f"{ENTERPRISE}:manager", {"value": 7}),
        (ENTERPRISE, "not an object"),
    ],
)
def test_a_value_of_the_wrong_type_is_invalid_value(users, user, path, value):
    with scim_error("invalidValue"):
        patch(users, user, {"op": "replace", "path": path, "value": value})


def test_a_pathless_add_needs_an_object_value(users, user):
    with scim_error("invalidValue"):
        patch(users, user, {"op": "add", "value": "x"})


def test_add_with_a_path_needs_a_value(users, user):
    with scim_error("invalidValue"):
        patch(users, user, {"op": "add", "path": "title"})


@pytest.mark.parametrize("path", ["userName", "emails", "name", "displayName"])
def test_removing_a_required_attribute_is_invalid_value(users, user, path):
    with scim_error("invalidValue"):
        patch(users, user, {"op": "remove", "path": path})


def test_a_failing_operation_leaves_the_input_untouched(users, user):
    before = copy.deepcopy(user)
    with scim_error("mutability"):
        patch(
            users,
            user,
            {"op": "replace", "path": "title", "value": "T"},
            {"op": "remove", "path": "id"},
        )
    assert user == before


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        {"Operations": [{"op": "add"}]},
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Operations": [{}]},
        {"schemas": PATCH_OP, "Operations": [{"op": "add"}]},
        {"schemas": [PATCH_OP]},
        {"schemas": [PATCH_OP], "Operations": []},
        {"schemas": [PATCH_OP], "Operations": {"op": "add"}},
        {"schemas": [PATCH_OP], "Operations": [{"op": "add"}] * (MAX_OPERATIONS + 1)},
    ],
)
def test_a_malformed_patch_envelope_is_invalid_syntax(body):
    with scim_error("invalidSyntax"):
        operations_of(body)
