"""The mapping engine on Keystone's documented examples (mapping_combinations.rst and
keystone.tests.mapping_fixtures): same rules, same assertion, same result."""

from __future__ import annotations

import pytest

from idplane.federation.engine import evaluate
from idplane.platform.errors import Unauthenticated

TESTER = {
    "UserName": "testacct",
    "FirstName": "Test",
    "LastName": "Account",
    "Email": "testacct@example.com",
    "orgPersonType": "Tester",
}


def test_a_captured_name_and_a_group_id_when_not_any_of_holds() -> None:
    rules = [
        {
            "local": [{"user": {"name": "{0}"}}, {"group": {"id": "0cd5e9"}}],
            "remote": [
                {"type": "UserName"},
                {"type": "orgPersonType", "not_any_of": ["Contractor", "Guest"]},
            ],
        }
    ]
    mapped = evaluate(rules, TESTER)
    assert mapped.user == {"name": "testacct"}
    assert mapped.user_type == "ephemeral"
    assert mapped.group_ids == ["0cd5e9"]
    with pytest.raises(Unauthenticated):
        evaluate(rules, {**TESTER, "orgPersonType": "Contractor"})


def test_several_captures_fill_several_placeholders() -> None:
    rules = [
        {
            "local": [{"user": {"name": "{0} {1}", "email": "{2}"}}],
            "remote": [{"type": "FirstName"}, {"type": "LastName"}, {"type": "Email"}],
        }
    ]
    assert evaluate(rules, TESTER).user == {
        "name": "Test Account",
        "email": "testacct@example.com",
    }


def test_any_one_of_with_a_regex_matches_part_of_a_multi_valued_attribute() -> None:
    rules = [
        {
            "local": [{"user": {"name": "{0}"}}, {"group": {"id": "admins"}}],
            "remote": [
                {"type": "UserName"},
                {"type": "groups", "any_one_of": [".*Admin.*"], "regex": True},
            ],
        }
    ]
    assert evaluate(rules, {**TESTER, "groups": "Dev;CloudAdmins"}).group_ids == ["admins"]
    with pytest.raises(Unauthenticated):
        evaluate(rules, {**TESTER, "groups": "Dev;Ops"})
    exact = [{**rules[0], "remote": [{"type": "groups", "any_one_of": [".*Admin.*"]}]}]
    with pytest.raises(Unauthenticated):  # without regex the value must be equal
        evaluate(exact, {**TESTER, "groups": "CloudAdmins"})


def test_a_whitelist_keeps_only_listed_values_for_the_groups_local() -> None:
    rules = [
        {
            "local": [
                {"user": {"name": "{0}"}},
                {"groups": "{1}", "domain": {"name": "Default"}},
            ],
            "remote": [
                {"type": "UserName"},
                {"type": "orgPersonType", "whitelist": ["Developer", "Contractor"]},
            ],
        }
    ]
    mapped = evaluate(rules, {**TESTER, "orgPersonType": "Developer;Manager;Contractor"})
    assert mapped.group_names == [
        {"name": "Developer", "domain": {"name": "Default"}},
        {"name": "Contractor", "domain": {"name": "Default"}},
    ]


def test_a_blacklist_drops_listed_values() -> None:
    rules = [
        {
            "local": [{"user": {"name": "{0}"}}, {"groups": "{1}", "domain": {"id": "d1"}}],
            "remote": [
                {"type": "UserName"},
                {"type": "orgPersonType", "blacklist": ["Manager"]},
            ],
        }
    ]
    mapped = evaluate(rules, {**TESTER, "orgPersonType": "Developer;Manager"})
    assert [g["name"] for g in mapped.group_names] == ["Developer"]


def test_group_ids_from_a_whitelist_as_keystone_tempest_maps_them() -> None:
    rules = [
        {
            "local": [{"user": {"name": "{0}"}}, {"group_ids": "{1}"}],
            "remote": [
                {"type": "openstack_username"},
                {"type": "group_ids", "whitelist": ["abc", "123"]},
            ],
        }
    ]
    mapped = evaluate(rules, {"openstack_username": "bob", "group_ids": "abc;123;zzz"})
    assert mapped.user == {"name": "bob"}
    assert sorted(mapped.group_ids) == ["123", "abc"]


def test_every_applying_rule_adds_groups_and_the_first_user_wins() -> None:
    rules = [
        {"local": [{"user": {"name": "{0}", "type": "local"}}], "remote": [{"type": "Email"}]},
        {"local": [{"user": {"name": "other"}}], "remote": [{"type": "UserName"}]},
        {
            "local": [{"group": {"name": "testers", "domain": {"name": "acme"}}}],
            "remote": [{"type": "orgPersonType", "any_one_of": ["Tester"]}],
        },
        {
            "local": [{"group": {"id": "never"}}],
            "remote": [{"type": "orgPersonType", "any_one_of": ["Guest"]}],
        },
    ]
    mapped = evaluate(rules, TESTER)
    assert mapped.user == {"name": "testacct@example.com", "type": "local"}
    assert mapped.user_type == "local"
    assert mapped.group_names == [{"name": "testers", "domain": {"name": "acme"}}]
    assert mapped.group_ids == []


def test_a_missing_attribute_makes_its_rule_not_apply() -> None:
    rules = [{"local": [{"user": {"name": "{0}"}}], "remote": [{"type": "nickname"}]}]
    with pytest.raises(Unauthenticated):
        evaluate(rules, TESTER)


def test_claims_that_are_lists_or_numbers_are_values_too() -> None:
    rules = [
        {
            "local": [{"user": {"name": "{0}"}}, {"groups": "{1}", "domain": {"name": "x"}}],
            "remote": [{"type": "sub"}, {"type": "roles"}],
        }
    ]
    mapped = evaluate(rules, {"sub": 42, "roles": ["a", "b"]})
    assert mapped.user == {"name": "42"}
    assert [g["name"] for g in mapped.group_names] == ["a", "b"]


def test_a_placeholder_without_a_capture_fails_the_sign_in() -> None:
    rules = [{"local": [{"user": {"name": "{3}"}}], "remote": [{"type": "UserName"}]}]
    with pytest.raises(Unauthenticated):
        evaluate(rules, TESTER)


def test_placeholders_are_positional_only() -> None:
    rules = [{"local": [{"user": {"name": "{0.__class__}"}}], "remote": [{"type": "UserName"}]}]
    with pytest.raises(Unauthenticated):
        evaluate(rules, TESTER)
    escaped = [{"local": [{"user": {"name": "{{{0}}}"}}], "remote": [{"type": "UserName"}]}]
    assert evaluate(escaped, TESTER).user == {"name": "{testacct}"}
