import pytest

from idplane.scim.schemas import Catalog, ResourceSchema

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture(scope="session")
def users(catalog: Catalog) -> ResourceSchema:
    return catalog.resource("User")


@pytest.fixture(scope="session")
def groups(catalog: Catalog) -> ResourceSchema:
    return catalog.resource("Group")


@pytest.fixture
def user() -> dict:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "Ext-1",
        "userName": "BJensen@example.com",
        "name": {"familyName": "Jensen", "givenName": "Barbara"},
        "displayName": "Babs Jensen",
        "title": "Tour Guide",
        "active": True,
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": True},
            {"value": "babs@jensen.org", "type": "home"},
        ],
        "phoneNumbers": [{"value": "555-555-8377", "type": "work"}],
        ENTERPRISE: {
            "employeeNumber": "701984",
            "department": "Tour Operations",
            "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d"},
        },
        "meta": {
            "resourceType": "User",
            "created": "2010-01-23T04:56:22Z",
            "lastModified": "2011-05-13T04:42:34Z",
            "location": "https://example.com/t/scim/v2/Users/2819c223-7f76-453a-919d-413861904646",
        },
    }


@pytest.fixture
def group() -> dict:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": "e9e30dba-f08f-4109-8486-d5c6a331660a",
        "displayName": "Tour Guides",
        "members": [
            {"value": "2819c223-7f76-453a-919d-413861904646", "type": "User"},
            {"value": "902c246b-6245-4190-8e05-00816be7344a", "type": "User"},
        ],
        "meta": {"resourceType": "Group", "created": "2010-01-23T04:56:22Z"},
    }
