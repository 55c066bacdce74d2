"""/Schemas, /ResourceTypes and /ServiceProviderConfig as data, read by real SCIM clients."""

import importlib

import pytest
from huaweicloudsdkcore.client import Client
from scim2_models import ResourceType, Schema, ScimProvider, ServiceProviderConfig

from idplane.scim.listing import list_response

from .expect import scim_error

BASE = "https://scim.example.com/0123456789abcdef/scim/v2/"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"


def test_three_schemas_are_published(catalog):
    assert [doc["id"] for doc in catalog.schema_documents(BASE)] == [USER, ENTERPRISE, GROUP]


def test_each_schema_is_located_under_the_base_url(catalog):
    doc = catalog.schema_document(USER, BASE)
    assert doc["meta"] == {"resourceType": "Schema", "location": BASE + "Schemas/" + USER}


def test_a_base_url_without_trailing_slash_gives_the_same_locations(catalog):
    assert catalog.schema_documents(BASE.rstrip("/")) == catalog.schema_documents(BASE)


def test_documents_handed_out_are_copies(catalog):
    catalog.schema_document(USER, BASE)["attributes"].clear()
    catalog.service_provider_config(BASE)["patch"]["supported"] = False
    assert catalog.schema_document(USER, BASE)["attributes"]
    assert catalog.service_provider_config(BASE)["patch"]["supported"] is True


def test_an_unknown_schema_is_not_found(catalog):
    with scim_error(None, status=404):
        catalog.schema_document("urn:nope", BASE)


def test_an_unknown_resource_type_is_not_found(catalog):
    with scim_error(None, status=404):
        catalog.resource_type_document("Device", BASE)


def test_the_user_resource_type_declares_the_optional_enterprise_extension(catalog):
    doc = catalog.resource_type_document("User", BASE)
    assert doc["endpoint"] == "/Users" and doc["schema"] == USER
    assert doc["schemaExtensions"] == [{"schema": ENTERPRISE, "required": False}]
    assert doc["meta"]["location"] == BASE + "ResourceTypes/User"


def test_the_service_provider_config_advertises_what_the_core_supports(catalog):
    doc = catalog.service_provider_config(BASE)
    assert doc["patch"] == {"supported": True}
    assert doc["bulk"]["supported"] is False
    assert doc["filter"] == {"supported": True, "maxResults": 50}
    assert doc["changePassword"] == {"supported": False}
    assert doc["sort"] == {"supported": True} and doc["etag"] == {"supported": True}
    assert doc["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    assert doc["authenticationSchemes"][0]["name"] == "Bearer Token"
    assert doc["meta"]["location"] == BASE + "ServiceProviderConfig"


@pytest.mark.parametrize(
    "name",
    [
        "userName",
        "name",
        "displayName",
        "nickName",
        "profileUrl",
        "emails",
        "addresses",
        "phoneNumbers",
        "userType",
        "title",
        "preferredLanguage",
        "locale",
        "timezone",
        "active",
        "externalId",
        "id",
        "meta",
    ],
)
def test_every_attribute_of_the_huawei_user_model_is_defined(users, name):
    assert users.attribute(name) is not None


@pytest.mark.parametrize(
    "name", ["costCenter", "department", "division", "employeeNumber", "organization", "manager"]
)
def test_every_enterprise_attribute_of_the_huawei_model_is_defined(users, name):
    assert users.attribute(name, ENTERPRISE) is not None


def test_the_case_rules_the_rfc_gives_are_in_the_data(users, groups):
    assert users.attribute("userName").case_exact is False
    assert groups.attribute("displayName").case_exact is False
    assert users.attribute("id").case_exact is True
    assert users.attribute("externalId").case_exact is True
    assert groups.attribute("members").sub("value").case_exact is True


def test_every_attribute_definition_carries_the_rfc_characteristics(catalog):
    def walk(attributes):
        for attribute in attributes:
            yield attribute
            yield from walk(attribute.get("subAttributes", []))

    required = {"name", "type", "multiValued", "required", "mutability", "returned", "uniqueness"}
    for doc in catalog.schema_documents(BASE):
        for attribute in walk(doc["attributes"]):
            assert required <= set(attribute), attribute["name"]
            if attribute["type"] in ("string", "reference", "binary"):
                assert "caseExact" in attribute, attribute["name"]


def test_scim2_models_reads_every_document(catalog):
    for doc in catalog.schema_documents(BASE):
        Schema.model_validate(doc)
    for doc in catalog.resource_type_documents(BASE):
        ResourceType.model_validate(doc)
    ServiceProviderConfig.model_validate(catalog.service_provider_config(BASE))


def test_a_scim_client_builds_user_and_group_models_from_discovery(catalog):
    provider = ScimProvider.from_discovery(
        [Schema.model_validate(d) for d in catalog.schema_documents(BASE)],
        [ResourceType.model_validate(d) for d in catalog.resource_type_documents(BASE)],
        ServiceProviderConfig.model_validate(catalog.service_provider_config(BASE)),
    )
    names = {rt.name for rt in provider.resource_types}
    assert names == {"User", "Group"}


def _huawei_sdk_reads(data, model):
    # The SDK's own deserializer, as its client applies it to a response body.
    client = Client.__new__(Client)
    client.model_package = importlib.import_module("huaweicloudsdkidentitycenterscim.v1.model")
    return client._deserialize(data, model)


def test_the_huawei_sdk_reads_the_service_provider_config(catalog):
    config = _huawei_sdk_reads(
        catalog.service_provider_config(BASE), "ServiceProviderConfigResponse"
    )
    assert config.patch.supported is True and config.filter.max_results == 50
    assert config.authentication_schemes[0].type == "oauthbearertoken"


def test_the_huawei_sdk_reads_a_list_response_with_integer_counts(user):
    body = list_response([user], total_results=1, start_index=1)
    listed = _huawei_sdk_reads(body, "ListUsersResponse")
    assert listed.total_results == 1 and listed.items_per_page == "1" and listed.start_index == "1"
    assert listed.resources[0].user_name == user["userName"]


def test_case_rules_are_read_from_the_documents_and_nowhere_else(catalog, user):
    import copy
    import json
    from importlib import resources

    from idplane.scim.filters import parse_filter
    from idplane.scim.matching import matches
    from idplane.scim.schemas import Catalog

    data = resources.files("idplane.scim") / "data"

    def read(name):
        return json.loads((data / name).read_text())

    schemas = copy.deepcopy(read("schemas.json"))
    schemas[0]["attributes"][0]["caseExact"] = True  # userName
    strict = Catalog(
        schemas,
        read("resource_types.json"),
        read("service_provider_config.json"),
        read("common.json")["attributes"],
    )
    text = 'userName eq "bjensen@example.com"'
    assert matches(parse_filter(text, catalog.resource("User")), user)
    assert not matches(parse_filter(text, strict.resource("User")), user)
