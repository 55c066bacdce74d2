from dataclasses import replace

import pytest

from idplane.scim.projection import project
from idplane.scim.schemas import Attribute, ResourceSchema

from .expect import scim_error

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def test_without_parameters_everything_returned_by_default_is_shown(users, user):
    assert project(user, users) == user


def test_attributes_keeps_the_named_ones_and_those_always_returned(users, user):
    shown = project(user, users, attributes="userName,displayName")
    assert set(shown) == {"schemas", "id", "userName", "displayName"}


def test_attribute_names_are_case_insensitive(users, user):
    assert set(project(user, users, attributes="USERNAME")) == {"schemas", "id", "userName"}


def test_attributes_may_be_given_as_a_list(users, user):
    shown = project(user, users, attributes=["userName", "title, nickName"])
    assert set(shown) == {"schemas", "id", "userName", "title"}


def test_a_sub_attribute_keeps_only_that_part(users, user):
    shown = project(user, users, attributes="name.givenName,emails.value")
    assert shown["name"] == {"givenName": "Barbara"}
    assert shown["emails"] == [{"value": "bjensen@example.com"}, {"value": "babs@jensen.org"}]


def test_a_urn_qualified_extension_attribute_is_selected(users, user):
    shown = project(user, users, attributes=f"{ENTERPRISE}:employeeNumber")
    assert shown[ENTERPRISE] == {"employeeNumber": "701984"}


def test_a_whole_extension_is_selected_by_its_urn(users, user):
    assert project(user, users, attributes=ENTERPRISE)[ENTERPRISE] == user[ENTERPRISE]


def test_an_extension_is_absent_when_nothing_of_it_is_selected(users, user):
    assert ENTERPRISE not in project(user, users, attributes="userName")


def test_meta_is_shown_only_when_asked_for(users, user):
    assert "meta" not in project(user, users, attributes="userName")
    assert project(user, users, attributes="meta.created")["meta"] == {
        "created": user["meta"]["created"]
    }


def test_core_attributes_may_be_qualified_by_the_core_urn(users, user):
    shown = project(user, users, attributes="urn:ietf:params:scim:schemas:core:2.0:User:userName")
    assert "userName" in shown


def test_unknown_names_are_ignored(users, user):
    assert set(project(user, users, attributes="userName,nosuch,x.y")) == {
        "schemas",
        "id",
        "userName",
    }


def test_excluded_attributes_hides_the_named_ones(groups, group):
    shown = project(group, groups, excluded_attributes="members")
    assert "members" not in shown and shown["displayName"] == "Tour Guides"


def test_excluded_sub_attributes_are_removed_from_each_element(users, user):
    shown = project(user, users, excluded_attributes="emails.type,name.familyName")
    assert shown["emails"][0] == {"value": "bjensen@example.com", "primary": True}
    assert shown["name"] == {"givenName": "Barbara"}


def test_an_extension_can_be_excluded_whole(users, user):
    assert ENTERPRISE not in project(user, users, excluded_attributes=ENTERPRISE)


def test_an_excluded_extension_attribute_leaves_the_others(users, user):
    shown = project(user, users, excluded_attributes=f"{ENTERPRISE}:manager")
    assert "manager" not in shown[ENTERPRISE] and "employeeNumber" in shown[ENTERPRISE]


@pytest.mark.parametrize("name", ["id", "schemas", "ID"])
def test_attributes_returned_always_cannot_be_excluded(users, user, name):
    shown = project(user, users, excluded_attributes=name)
    assert "id" in shown and "schemas" in shown


def test_both_parameters_at_once_are_refused(users, user):
    with scim_error("invalidValue"):
        project(user, users, attributes="userName", excluded_attributes="title")


def test_empty_parameters_behave_as_absent(users, user):
    assert project(user, users, attributes="", excluded_attributes=" , ") == user


def _with_returned(schema: ResourceSchema, name: str, returned: str) -> ResourceSchema:
    attributes = dict(schema._attributes)
    core = dict(attributes[None])
    core[name.lower()] = replace(core[name.lower()], returned=returned)
    attributes[None] = core
    return replace(schema, _attributes=attributes)


def test_an_attribute_returned_never_is_never_shown(users, user):
    secret = dict(users._attributes)
    secret[None] = {**secret[None], "password": Attribute("password", "string", returned="never")}
    schema = replace(users, _attributes=secret)
    user["password"] = "s3cret"
    assert "password" not in project(user, schema)
    assert "password" not in project(user, schema, attributes="password")


def test_an_attribute_returned_on_request_is_shown_only_when_named(users, user):
    schema = _with_returned(users, "title", "request")
    assert "title" not in project(user, schema)
    assert "title" not in project(user, schema, excluded_attributes="nickName")
    assert project(user, schema, attributes="title")["title"] == "Tour Guide"
