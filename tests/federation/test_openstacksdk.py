"""Identity providers, mappings, protocols and domains through openstacksdk (admin token)."""

from __future__ import annotations

import pytest
from openstack import exceptions as os_errors

from tests.federation.conftest import remote_id

RULES = [{"local": [{"user": {"name": "{0}"}}], "remote": [{"type": "UserName"}]}]


def test_openstacksdk_talks_to_our_identity_endpoint(server, openstack) -> None:
    openstack.identity.create_identity_provider(id="probe")
    assert [i.id for i in openstack.identity.identity_providers()] == ["probe"]
    assert openstack.identity.get_endpoint_data().url.startswith(server.url)


def test_an_identity_provider_goes_through_its_whole_life(openstack, account) -> None:
    identity = openstack.identity
    acme = remote_id("acme")
    created = identity.create_identity_provider(
        id="ACME", description="Stores ACME identities", is_enabled=True, remote_ids=[acme]
    )
    assert (created.id, created.is_enabled, created.remote_ids) == ("ACME", True, [acme])
    assert created.domain_id not in (None, account.account_id)  # a domain of its own
    assert identity.get_identity_provider("ACME").description == "Stores ACME identities"
    assert [i.id for i in identity.identity_providers(is_enabled=True)] == ["ACME"]
    assert list(identity.identity_providers(is_enabled=False)) == []
    assert [i.id for i in identity.identity_providers(id="ACME")] == ["ACME"]
    updated = identity.update_identity_provider("ACME", is_enabled=False, remote_ids=[])
    assert (updated.is_enabled, updated.remote_ids) == (False, [])
    identity.delete_identity_provider("ACME")
    with pytest.raises(os_errors.NotFoundException):
        identity.get_identity_provider("ACME")


def test_a_mapping_and_a_protocol_go_through_their_whole_life(openstack) -> None:
    identity = openstack.identity
    identity.create_identity_provider(id="ACME")
    mapping = identity.create_mapping(id="mapping_ACME", rules=RULES)
    assert (mapping.id, mapping.rules) == ("mapping_ACME", RULES)
    assert [x.id for x in identity.mappings()] == ["mapping_ACME"]
    rules = [{"local": [{"group": {"name": "admin"}}], "remote": [{"type": "orgUnit"}]}]
    assert identity.update_mapping("mapping_ACME", rules=rules).rules == rules
    protocol = identity.create_federation_protocol("ACME", id="oidc", mapping_id="mapping_ACME")
    assert (protocol.id, protocol.mapping_id) == ("oidc", "mapping_ACME")
    assert [p.id for p in identity.federation_protocols("ACME")] == ["oidc"]
    assert identity.get_federation_protocol("ACME", "oidc").mapping_id == "mapping_ACME"
    with pytest.raises(os_errors.ConflictException):
        identity.delete_mapping("mapping_ACME")
    identity.delete_federation_protocol("ACME", "oidc")
    identity.delete_mapping("mapping_ACME")
    assert list(identity.mappings()) == []
    identity.delete_identity_provider("ACME")


def test_the_only_domain_is_the_callers_account(openstack, account) -> None:
    domains = list(openstack.identity.domains())
    assert [(d.id, d.name) for d in domains] == [(account.account_id, account.account_name)]
    assert openstack.identity.get_domain(account.account_id).is_enabled is True
