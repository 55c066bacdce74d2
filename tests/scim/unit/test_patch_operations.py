"""RFC 7644 section 3.5.2 PATCH semantics over a resource dict."""

import copy

from idplane.scim.patch import apply_patch

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"


def patched(schema, resource, *operations):
    return apply_patch(resource, list(operations), schema)


def test_the_input_resource_is_never_mutated(users, user):
    before = copy.deepcopy(user)
    patched(
        users,
        user,
        {"op": "replace", "path": "name.givenName", "value": "Babs"},
        {"op": "remove", "path": "phoneNumbers"},
        {"op": "add", "path": "nickName", "value": "B"},
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "x@example.com"},
    )
    assert user == before


def test_replace_sets_a_simple_attribute(users, user):
    result = patched(users, user, {"op": "replace", "path": "title", "value": "Captain"})
    assert result.resource["title"] == "Captain"
    assert result.changed == {"title"}


def test_add_sets_a_simple_attribute_that_was_absent(users, user):
    result = patched(users, user, {"op": "add", "path": "nickName", "value": "Babs"})
    assert result.resource["nickName"] == "Babs"


def test_add_replaces_an_existing_single_value(users, user):
    result = patched(users, user, {"op": "add", "path": "title", "value": "Captain"})
    assert result.resource["title"] == "Captain"


def test_attribute_names_in_paths_are_case_insensitive_and_written_canonically(users, user):
    result = patched(users, user, {"op": "replace", "path": "NICKNAME", "value": "B"})
    assert result.resource["nickName"] == "B" and "NICKNAME" not in result.resource


def test_replace_of_a_sub_attribute_keeps_the_others(users, user):
    result = patched(users, user, {"op": "replace", "path": "name.givenName", "value": "Babs"})
    assert result.resource["name"] == {"familyName": "Jensen", "givenName": "Babs"}
    assert result.changed == {"name"}


def test_replace_of_a_complex_attribute_merges_the_given_sub_attributes(users, user):
    value = {"givenName": "Babs", "middleName": "J"}
    result = patched(users, user, {"op": "replace", "path": "name", "value": value})
    assert result.resource["name"] == {
        "familyName": "Jensen",
        "givenName": "Babs",
        "middleName": "J",
    }


def test_remove_of_a_sub_attribute_leaves_the_rest(users, user):
    result = patched(users, user, {"op": "remove", "path": "name.givenName"})
    assert result.resource["name"] == {"familyName": "Jensen"}


def test_remove_of_a_simple_attribute_unassigns_it(users, user):
    result = patched(users, user, {"op": "remove", "path": "title"})
    assert "title" not in result.resource
    assert result.changed == {"title"}


def test_remove_of_an_absent_attribute_changes_nothing(users, user):
    result = patched(users, user, {"op": "remove", "path": "nickName"})
    assert result.resource == user and result.changed == frozenset()


def test_replace_with_the_same_value_reports_no_change(users, user):
    result = patched(users, user, {"op": "replace", "path": "title", "value": "Tour Guide"})
    assert result.changed == frozenset()


def test_replace_with_null_unassigns(users, user):
    result = patched(users, user, {"op": "replace", "path": "title", "value": None})
    assert "title" not in result.resource


def test_add_to_a_multi_valued_attribute_appends(users, user):
    new = {"value": "b@work.example", "type": "other"}
    result = patched(users, user, {"op": "add", "path": "emails", "value": [new]})
    assert result.resource["emails"][-1] == new
    assert len(result.resource["emails"]) == 3


def test_add_of_an_existing_value_merges_instead_of_duplicating(users, user):
    again = {"value": "BJENSEN@example.com", "type": "work", "primary": True}
    result = patched(users, user, {"op": "add", "path": "emails", "value": [again]})
    assert len(result.resource["emails"]) == 2


def test_add_of_group_members_skips_those_already_members(groups, group):
    members = [{"value": "2819c223-7f76-453a-919d-413861904646"}, {"value": "new-user"}]
    result = patched(groups, group, {"op": "add", "path": "members", "value": members})
    assert [m["value"] for m in result.resource["members"]] == [
        "2819c223-7f76-453a-919d-413861904646",
        "902c246b-6245-4190-8e05-00816be7344a",
        "new-user",
    ]
    assert result.changed == {"members"}


def test_member_ids_are_case_exact_when_deduplicating(groups, group):
    upper = [{"value": "2819C223-7F76-453A-919D-413861904646"}]
    result = patched(groups, group, {"op": "add", "path": "members", "value": upper})
    assert len(result.resource["members"]) == 3


def test_replace_of_a_multi_valued_attribute_replaces_all_values(users, user):
    value = [{"value": "only@example.com", "type": "work", "primary": True}]
    result = patched(users, user, {"op": "replace", "path": "emails", "value": value})
    assert result.resource["emails"] == value


def test_replace_of_a_filtered_element_changes_only_that_element(users, user):
    op = {"op": "replace", "path": 'emails[type eq "home"]', "value": {"value": "new@jensen.org"}}
    emails = patched(users, user, op).resource["emails"]
    assert emails[1] == {"value": "new@jensen.org", "type": "home"}
    assert emails[0] == user["emails"][0]


def test_replace_of_a_filtered_sub_attribute(users, user):
    op = {"op": "replace", "path": 'emails[type eq "work"].value', "value": "babs@example.com"}
    emails = patched(users, user, op).resource["emails"]
    assert emails[0]["value"] == "babs@example.com" and emails[1] == user["emails"][1]


def test_remove_of_all_values_of_a_multi_valued_attribute(groups, group):
    result = patched(groups, group, {"op": "remove", "path": "members"})
    assert "members" not in result.resource
    assert result.changed == {"members"}


def test_remove_of_filtered_values(groups, group):
    op = {"op": "remove", "path": 'members[value eq "2819c223-7f76-453a-919d-413861904646"]'}
    result = patched(groups, group, op)
    assert result.resource["members"] == [group["members"][1]]


def test_removing_the_last_filtered_value_unassigns_the_attribute(users, user):
    result = patched(users, user, {"op": "remove", "path": 'phoneNumbers[type eq "work"]'})
    assert "phoneNumbers" not in result.resource


def test_remove_of_a_filtered_sub_attribute(users, user):
    result = patched(users, user, {"op": "remove", "path": 'emails[type eq "work"].primary'})
    assert result.resource["emails"][0] == {"value": "bjensen@example.com", "type": "work"}


def test_a_filter_may_combine_conditions(users, user):
    op = {"op": "remove", "path": 'emails[type eq "other" or value ew "JENSEN.ORG"]'}
    assert patched(users, user, op).resource["emails"] == [user["emails"][0]]


def test_a_sub_attribute_without_filter_applies_to_every_element(users, user):
    result = patched(users, user, {"op": "replace", "path": "emails.type", "value": "other"})
    assert [e["type"] for e in result.resource["emails"]] == ["other", "other"]


def test_setting_primary_on_one_value_clears_it_on_the_others(users, user):
    op = {"op": "replace", "path": 'emails[type eq "home"].primary', "value": True}
    emails = patched(users, user, op).resource["emails"]
    assert [e.get("primary") for e in emails] == [False, True]


def test_adding_a_primary_value_clears_primary_on_the_existing_ones(users, user):
    new = {"value": "new@example.com", "type": "other", "primary": True}
    emails = patched(users, user, {"op": "add", "path": "emails", "value": [new]}).resource[
        "emails"
    ]
    assert [e.get("primary") for e in emails] == [False, None, True]


def test_an_extension_attribute_is_addressed_by_its_urn(users, user):
    op = {"op": "replace", "path": f"{ENTERPRISE}:department", "value": "Sales"}
    result = patched(users, user, op)
    assert result.resource[ENTERPRISE]["department"] == "Sales"
    assert result.changed == {f"{ENTERPRISE}:department"}


def test_an_extension_sub_attribute_is_addressed_by_its_urn(users, user):
    op = {"op": "replace", "path": f"{ENTERPRISE}:manager.value", "value": "boss"}
    assert patched(users, user, op).resource[ENTERPRISE]["manager"] == {"value": "boss"}


def test_adding_an_extension_attribute_creates_the_extension_and_lists_its_schema(users, user):
    del user[ENTERPRISE]
    user["schemas"] = [CORE]
    op = {"op": "add", "path": f"{ENTERPRISE}:costCenter", "value": "4130"}
    result = patched(users, user, op).resource
    assert result[ENTERPRISE] == {"costCenter": "4130"}
    assert result["schemas"] == [CORE, ENTERPRISE]


def test_a_whole_extension_is_added_by_its_urn(users, user):
    op = {"op": "add", "path": ENTERPRISE, "value": {"division": "North", "costCenter": "1"}}
    ext = patched(users, user, op).resource[ENTERPRISE]
    assert ext["division"] == "North" and ext["employeeNumber"] == "701984"


def test_removing_a_whole_extension_drops_its_schema(users, user):
    result = patched(users, user, {"op": "remove", "path": ENTERPRISE}).resource
    assert ENTERPRISE not in result and result["schemas"] == [CORE]


def test_removing_the_last_extension_attribute_drops_the_extension(users, user):
    user[ENTERPRISE] = {"department": "x"}
    result = patched(users, user, {"op": "remove", "path": f"{ENTERPRISE}:department"}).resource
    assert ENTERPRISE not in result and result["schemas"] == [CORE]


def test_add_without_path_sets_each_attribute_of_the_value(users, user):
    value = {
        "nickName": "Babs",
        "name": {"middleName": "Q"},
        "emails": [{"value": "x@y.z", "type": "other"}],
    }
    result = patched(users, user, {"op": "add", "value": value})
    assert result.resource["nickName"] == "Babs"
    assert (
        result.resource["name"]["middleName"] == "Q"
        and result.resource["name"]["familyName"] == "Jensen"
    )
    assert len(result.resource["emails"]) == 3
    assert result.changed == {"nickName", "name", "emails"}


def test_replace_without_path_replaces_multi_valued_attributes_whole(users, user):
    value = {"emails": [{"value": "x@y.z", "type": "work"}]}
    result = patched(users, user, {"op": "replace", "value": value})
    assert result.resource["emails"] == [{"value": "x@y.z", "type": "work"}]


def test_operations_apply_in_order(users, user):
    result = patched(
        users,
        user,
        {"op": "replace", "path": "title", "value": "A"},
        {"op": "remove", "path": "title"},
        {"op": "add", "path": "title", "value": "B"},
    )
    assert result.resource["title"] == "B"


def test_group_display_name_is_replaced(groups, group):
    result = patched(groups, group, {"op": "replace", "path": "displayName", "value": "Guides"})
    assert result.resource["displayName"] == "Guides" and result.changed == {"displayName"}


def test_an_external_id_can_be_set(groups, group):
    result = patched(groups, group, {"op": "add", "path": "externalId", "value": "g-1"})
    assert result.resource["externalId"] == "g-1"
