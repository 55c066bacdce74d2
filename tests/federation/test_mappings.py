"""Mappings through python-keystoneclient: CRUD, the rules schema, and deletion while in use."""

from __future__ import annotations

import pytest
from keystoneauth1 import exceptions as ks

from tests.federation.conftest import http

RULES = [
    {
        "local": [{"user": {"name": "FederationUser"}}, {"group": {"name": "admin"}}],
        "remote": [{"type": "__NAMEID__"}, {"type": "orgUnit", "any_one_of": ["IT"]}],
    }
]


def test_a_mapping_goes_through_create_get_list_update_delete(server, keystone) -> None:
    mappings = keystone.federation.mappings
    created = mappings.create(mapping_id="mapping_ACME", rules=RULES)
    assert created.id == "mapping_ACME"
    assert created.rules == RULES
    assert created.links == {"self": f"{server.url}/v3/OS-FEDERATION/mappings/mapping_ACME"}
    assert mappings.get("mapping_ACME").rules == RULES
    assert [m.id for m in mappings.list()] == ["mapping_ACME"]
    new_rules = [{"local": [{"user": {"name": "{0}"}}], "remote": [{"type": "UserName"}]}]
    assert mappings.update("mapping_ACME", rules=new_rules).rules == new_rules
    assert mappings.get("mapping_ACME").rules == new_rules
    mappings.delete("mapping_ACME")
    with pytest.raises(ks.NotFound):
        mappings.get("mapping_ACME")


def test_a_mapping_id_exists_once_per_account(keystone) -> None:
    keystone.federation.mappings.create(mapping_id="m", rules=RULES)
    with pytest.raises(ks.Conflict):
        keystone.federation.mappings.create(mapping_id="m", rules=RULES)


@pytest.mark.parametrize(
    ("rules", "complaint"),
    [
        ([], "non-empty"),
        ([{"local": [{"user": {"name": "u"}}]}], "'remote' is a required property"),
        ([{"local": [{"user": {"name": "u"}}], "remote": []}], "must not be empty"),
        (
            [
                {
                    "local": [{"user": {"name": "u"}}],
                    "remote": [{"type": "a", "any_one_of": ["x"], "not_any_of": ["y"]}],
                }
            ],
            "cannot be used together",
        ),
        (
            [{"local": [{"user": {"name": "u"}}], "remote": [{"type": "a", "regex": True}]}],
            "applies only to any_one_of or not_any_of",
        ),
        (
            [
                {
                    "local": [{"user": {"name": "u"}}],
                    "remote": [{"type": "a", "any_one_of": ["x"], "regex": "yes"}],
                }
            ],
            "must be a boolean",
        ),
        (
            [
                {
                    "local": [{"user": {"name": "u"}}],
                    "remote": [{"type": "a", "any_one_of": ["(unclosed"], "regex": True}],
                }
            ],
            "not a valid regex",
        ),
        (
            [{"local": [{"robot": {}}], "remote": [{"type": "a"}]}],
            "'robot' is not an allowed property",
        ),
        ([{"local": [{"user": {"name": 3}}], "remote": [{"type": "a"}]}], "must be a string"),
        (
            [{"local": [{"user": {"name": "u"}}], "remote": [{"kind": "a"}]}],
            "'type' is a required property",
        ),
    ],
)
def test_malformed_rules_are_rejected_with_the_reason(server, root_token, rules, complaint) -> None:
    with http(server, root_token) as client:
        response = client.put("/v3/OS-FEDERATION/mappings/bad", json={"mapping": {"rules": rules}})
        missing = client.get("/v3/OS-FEDERATION/mappings/bad")
    assert response.status_code == 400
    assert complaint in response.json()["error_msg"]
    assert missing.status_code == 404


def test_regex_rules_are_accepted(keystone) -> None:
    rules = [
        {
            "local": [{"user": {"name": "{0}"}}, {"groups": "{1}"}],
            "remote": [
                {"type": "UserName"},
                {"type": "orgUnit", "not_any_of": ["^contractor-.*$"], "regex": True},
            ],
        }
    ]
    assert keystone.federation.mappings.create(mapping_id="re", rules=rules).rules == rules


def test_an_update_must_carry_valid_rules(keystone) -> None:
    keystone.federation.mappings.create(mapping_id="m", rules=RULES)
    with pytest.raises(ks.BadRequest):
        keystone.federation.mappings.update("m", rules=[{"local": [], "remote": []}])
    assert keystone.federation.mappings.get("m").rules == RULES


def test_a_mapping_used_by_a_protocol_cannot_be_deleted(keystone) -> None:
    keystone.federation.mappings.create(mapping_id="in-use", rules=RULES)
    keystone.federation.identity_providers.create("ACME")
    keystone.federation.protocols.create("saml", "ACME", "in-use")
    with pytest.raises(ks.Conflict):
        keystone.federation.mappings.delete("in-use")
    keystone.federation.protocols.delete("ACME", "saml")
    keystone.federation.mappings.delete("in-use")


def test_mappings_outlive_the_identity_providers_that_use_them(keystone) -> None:
    keystone.federation.mappings.create(mapping_id="mapping_ACME", rules=RULES)
    keystone.federation.identity_providers.create("ACME")
    keystone.federation.protocols.create("saml", "ACME", "mapping_ACME")
    keystone.federation.identity_providers.delete("ACME")
    assert keystone.federation.mappings.get("mapping_ACME").rules == RULES
    keystone.federation.mappings.delete("mapping_ACME")


def test_mapping_lists_are_paged(server, keystone, root_token) -> None:
    for number in range(5):
        keystone.federation.mappings.create(mapping_id=f"m{number}", rules=RULES)
    seen = []
    url = "/v3/OS-FEDERATION/mappings?limit=2"
    with http(server, root_token) as client:
        while url:
            page = client.get(url).json()
            seen += [m["id"] for m in page["mappings"]]
            url = page["links"].get("next")
    assert seen == [f"m{number}" for number in range(5)]
