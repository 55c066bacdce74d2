"""The pure checks behind the federation APIs: mapping rules, SAML metadata, OIDC fields."""

from __future__ import annotations

import pytest

from idplane.federation import oidc
from idplane.federation.rules import validate_rules
from idplane.federation.saml import parse_idp_metadata
from idplane.platform.errors import Invalid
from tests.federation.saml_samples import idp_metadata
from tests.federation.test_oidc_config import CONSOLE, PROGRAM


def test_huaweis_default_mapping_is_valid() -> None:
    rules = [{"local": [{"user": {"name": "FederationUser"}}], "remote": [{"type": "__NAMEID__"}]}]
    assert validate_rules(rules) == rules


def test_keystones_richer_local_rules_are_valid() -> None:
    rules = [
        {
            "local": [
                {"user": {"name": "{0}", "email": "{1}", "type": "ephemeral"}},
                {"group": {"id": "0cd5e9"}},
                {"group": {"name": "devs", "domain": {"name": "Default"}}},
                {"projects": [{"name": "p", "roles": [{"name": "member"}]}]},
                {"group_ids": "{2}"},
            ],
            "remote": [
                {"type": "UserName"},
                {"type": "Email"},
                {"type": "orgPersonType", "blacklist": ["Contractor"]},
            ],
        }
    ]
    assert validate_rules(rules) == rules


@pytest.mark.parametrize(
    "local",
    [
        {"group": {"id": "x", "name": "y"}},
        {"group": {"domain": {"name": "d"}}},
        {"user": {"type": "robot"}},
        {"projects": [{"name": "p"}]},
        {},
    ],
)
def test_malformed_local_elements_are_invalid(local) -> None:
    with pytest.raises(Invalid):
        validate_rules([{"local": [local], "remote": [{"type": "a"}]}])


def test_whitelist_and_blacklist_take_no_regex() -> None:
    with pytest.raises(Invalid, match="applies only to"):
        validate_rules(
            [
                {
                    "local": [{"user": {"name": "u"}}],
                    "remote": [{"type": "a", "whitelist": ["x"], "regex": True}],
                }
            ]
        )


def test_metadata_yields_its_entity_id_and_certificates() -> None:
    parsed = parse_idp_metadata(idp_metadata("urn:example:idp"))
    assert (parsed.entity_id, parsed.certificates) == ("urn:example:idp", 1)


def test_an_entities_descriptor_is_not_one_identity_provider() -> None:
    document = (
        '<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">'
        "</md:EntitiesDescriptor>"
    )
    with pytest.raises(Invalid, match="root element"):
        parse_idp_metadata(document)


def test_an_external_dtd_is_never_fetched() -> None:
    document = (
        '<!DOCTYPE x SYSTEM "http://127.0.0.1:9/evil.dtd">'
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="e"/>'
    )
    with pytest.raises(Invalid, match="DTD"):
        parse_idp_metadata(document)


def test_an_oidc_update_keeps_what_it_does_not_name() -> None:
    stored = oidc.check_create(CONSOLE)
    assert oidc.check_update(stored, {"client_id": "another-client"}) == {
        **CONSOLE,
        "client_id": "another-client",
    }


def test_a_program_configuration_stores_no_console_fields() -> None:
    stored = oidc.check_create(PROGRAM)
    assert {key: stored[key] for key in oidc.CONSOLE_FIELDS} == dict.fromkeys(oidc.CONSOLE_FIELDS)
