"""POST/PUT bodies checked against the schema: typed, canonical, readOnly echoes dropped."""

import pytest

from idplane.scim.values import normalize_resource

from .expect import scim_error

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


@pytest.fixture
def body():
    return {
        "schemas": [USER],
        "userName": "bjensen",
        "name": {"familyName": "Jensen", "givenName": "Barbara"},
        "displayName": "Babs",
        "emails": [{"value": "b@example.com", "type": "work", "primary": True}],
        "active": True,
    }


def test_a_valid_body_comes_back_with_its_schemas(users, body):
    assert normalize_resource(body, users) == body


def test_read_only_attributes_a_client_echoes_are_dropped(users, body):
    body.update(id="client-chosen", meta={"created": "2020-01-01T00:00:00Z"})
    cleaned = normalize_resource(body, users)
    assert "id" not in cleaned and "meta" not in cleaned


def test_keys_are_written_in_the_schema_spelling(users, body):
    body["DisplayName"] = body.pop("displayName")
    body["ACTIVE"] = "True"
    cleaned = normalize_resource(body, users)
    assert cleaned["displayName"] == "Babs" and cleaned["active"] is True


def test_the_enterprise_extension_is_kept_and_listed(users, body):
    body[ENTERPRISE] = {"EmployeeNumber": "7", "manager": {"value": "boss"}}
    cleaned = normalize_resource(body, users)
    assert cleaned[ENTERPRISE] == {"employeeNumber": "7", "manager": {"value": "boss"}}
    assert cleaned["schemas"] == [USER, ENTERPRISE]


def test_a_group_body_with_members(groups):
    body = {"schemas": [GROUP], "displayName": "G", "members": [{"value": "u1", "type": "User"}]}
    assert normalize_resource(body, groups) == body


def test_a_body_that_is_not_an_object_is_invalid_syntax(users):
    with scim_error("invalidSyntax"):
        normalize_resource(["userName"], users)


def test_a_body_without_the_core_schema_is_invalid_syntax(users, body):
    body["schemas"] = [GROUP]
    with scim_error("invalidSyntax"):
        normalize_resource(body, users)


@pytest.mark.parametrize("missing", ["userName", "displayName", "name", "emails"])
def test_a_missing_required_attribute_is_invalid_value(users, body, missing):
    del body[missing]
    with scim_error("invalidValue"):
        normalize_resource(body, users)


def test_a_missing_required_sub_attribute_is_invalid_value(users, body):
    del body["name"]["givenName"]
    with scim_error("invalidValue"):
        normalize_resource(body, users)


def test_an_email_without_its_required_type_is_invalid_value(users, body):
    body["emails"] = [{"value": "b@example.com"}]
    with scim_error("invalidValue"):
        normalize_resource(body, users)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("favouriteColour", "red"),
        ("active", "maybe"),
        ("emails", "b@example.com"),
        (ENTERPRISE, "x"),
        (ENTERPRISE, {"nosuch": 1}),
        ("name", {"givenName": 5}),
    ],
)
def test_unknown_or_mistyped_attributes_are_invalid_value(users, body, key, value):
    body[key] = value
    with scim_error("invalidValue"):
        normalize_resource(body, users)
