"""The PATCH forms Azure AD / Entra ID, Okta and other IdPs really send."""

import pytest

from idplane.scim.patch import apply_patch, operations_of

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def patched(schema, resource, *operations):
    return apply_patch(resource, list(operations), schema)


@pytest.mark.parametrize("op", ["Add", "REPLACE", "Replace", " replace "])
def test_capitalised_op_values_are_accepted(users, user, op):
    assert patched(users, user, {"op": op, "path": "title", "value": "X"}).resource["title"] == "X"


def test_capitalised_remove_is_accepted(users, user):
    assert "title" not in patched(users, user, {"op": "Remove", "path": "title"}).resource


@pytest.mark.parametrize(("text", "expected"), [("False", False), ("true", True), ("TRUE", True)])
def test_azure_sends_booleans_as_strings(users, user, text, expected):
    result = patched(users, user, {"op": "Replace", "path": "active", "value": text})
    assert result.resource["active"] is expected


def test_boolean_strings_are_converted_inside_objects_too(users, user):
    value = [{"value": "n@example.com", "type": "other", "primary": "True"}]
    emails = patched(users, user, {"op": "Add", "path": "emails", "value": value}).resource[
        "emails"
    ]
    assert emails[-1]["primary"] is True and emails[0]["primary"] is False


def test_okta_deactivates_with_a_pathless_replace(users, user):
    result = patched(users, user, {"op": "replace", "value": {"active": False}})
    assert result.resource["active"] is False
    assert result.changed == {"active"}


def test_okta_renames_a_group_with_its_id_echoed_in_the_value(groups, group):
    value = {"id": group["id"], "displayName": "Renamed"}
    result = patched(groups, group, {"op": "replace", "value": value})
    assert result.resource["displayName"] == "Renamed" and result.resource["id"] == group["id"]


def test_okta_member_display_names_are_accepted_and_not_stored(groups, group):
    value = [{"value": "u-3", "display": "Third User"}]
    result = patched(groups, group, {"op": "add", "path": "members", "value": value})
    assert result.resource["members"][-1] == {"value": "u-3"}


def test_azure_removes_members_by_listing_them_under_the_members_path(groups, group):
    value = [{"value": "2819c223-7f76-453a-919d-413861904646"}]
    result = patched(groups, group, {"op": "Remove", "path": "members", "value": value})
    assert result.resource["members"] == [group["members"][1]]
    assert result.changed == {"members"}


def test_azure_removing_a_member_that_is_not_there_changes_nothing(groups, group):
    result = patched(
        groups, group, {"op": "Remove", "path": "members", "value": [{"value": "gone"}]}
    )
    assert result.resource == group and result.changed == frozenset()


def test_azure_adds_members_with_capitalised_op(groups, group):
    result = patched(groups, group, {"op": "Add", "path": "members", "value": [{"value": "u-9"}]})
    assert result.resource["members"][-1] == {"value": "u-9"}


def test_azure_replaces_the_work_email_through_a_filtered_path(users, user):
    op = {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "new@example.com"}
    assert patched(users, user, op).resource["emails"][0]["value"] == "new@example.com"


def test_azure_adding_a_filtered_sub_attribute_creates_the_missing_element(users, user):
    op = {"op": "Add", "path": 'addresses[type eq "work"].streetAddress', "value": "1 Main St"}
    result = patched(users, user, op)
    assert result.resource["addresses"] == [{"type": "work", "streetAddress": "1 Main St"}]


def test_azure_adding_a_second_filtered_sub_attribute_fills_the_same_element(users, user):
    result = patched(
        users,
        user,
        {"op": "Add", "path": 'addresses[type eq "work"].streetAddress', "value": "1 Main St"},
        {"op": "Add", "path": 'addresses[type eq "work"].locality', "value": "Springfield"},
    )
    assert result.resource["addresses"] == [
        {"type": "work", "streetAddress": "1 Main St", "locality": "Springfield"}
    ]


def test_azure_adds_a_mobile_phone_number_by_filtered_path(users, user):
    op = {"op": "Add", "path": 'phoneNumbers[type eq "mobile"].value', "value": "555-0100"}
    phones = patched(users, user, op).resource["phoneNumbers"]
    assert phones[-1] == {"type": "mobile", "value": "555-0100"} and len(phones) == 2


def test_azure_sends_enterprise_attributes_as_urn_qualified_paths(users, user):
    op = {"op": "Add", "path": f"{ENTERPRISE}:employeeNumber", "value": "42"}
    assert patched(users, user, op).resource[ENTERPRISE]["employeeNumber"] == "42"


def test_azure_sends_the_manager_as_a_bare_id(users, user):
    op = {"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": "boss-id"}
    assert patched(users, user, op).resource[ENTERPRISE]["manager"] == {"value": "boss-id"}


def test_azure_removes_the_manager(users, user):
    result = patched(users, user, {"op": "Remove", "path": f"{ENTERPRISE}:manager"})
    assert "manager" not in result.resource[ENTERPRISE]


def test_a_pathless_value_may_carry_urn_qualified_keys(users, user):
    value = {f"{ENTERPRISE}:department": "Sales", "title": "Rep"}
    result = patched(users, user, {"op": "Replace", "value": value})
    assert (
        result.resource[ENTERPRISE]["department"] == "Sales" and result.resource["title"] == "Rep"
    )


def test_a_pathless_value_may_carry_an_extension_object(users, user):
    value = {ENTERPRISE: {"costCenter": "9"}, "displayName": "B"}
    result = patched(users, user, {"op": "replace", "value": value})
    assert result.resource[ENTERPRISE]["costCenter"] == "9"
    assert result.resource[ENTERPRISE]["employeeNumber"] == "701984"


def test_a_pathless_value_may_carry_dotted_sub_attribute_keys(users, user):
    value = {"name.givenName": "Babs", "name.familyName": "J"}
    result = patched(users, user, {"op": "replace", "value": value})
    assert result.resource["name"] == {"givenName": "Babs", "familyName": "J"}


def test_a_pathless_value_may_nest_core_attributes_under_the_core_urn(users, user):
    value = {"urn:ietf:params:scim:schemas:core:2.0:User": {"nickName": "B"}}
    assert patched(users, user, {"op": "add", "value": value}).resource["nickName"] == "B"


def test_a_pathless_value_ignores_the_schemas_key(users, user):
    value = {"schemas": ["whatever"], "nickName": "B"}
    result = patched(users, user, {"op": "add", "value": value})
    assert result.resource["schemas"] == user["schemas"]


def test_pathless_value_keys_are_case_insensitive(users, user):
    result = patched(
        users, user, {"op": "replace", "value": {"Active": "False", "DISPLAYNAME": "B"}}
    )
    assert result.resource["active"] is False and result.resource["displayName"] == "B"


def test_an_empty_path_is_treated_as_no_path(users, user):
    result = patched(users, user, {"op": "replace", "path": "", "value": {"title": "T"}})
    assert result.resource["title"] == "T"


def test_operation_keys_are_read_in_any_case(users, user):
    result = patched(users, user, {"Op": "replace", "Path": "title", "Value": "T"})
    assert result.resource["title"] == "T"


def test_a_single_object_is_accepted_where_a_list_is_expected(groups, group):
    result = patched(groups, group, {"op": "add", "path": "members", "value": {"value": "u-7"}})
    assert result.resource["members"][-1] == {"value": "u-7"}


def test_the_patch_envelope_is_read_in_any_key_case():
    body = {"schemas": [PATCH_OP.upper()], "operations": [{"op": "add"}]}
    assert operations_of(body) == [{"op": "add"}]
