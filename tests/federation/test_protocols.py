"""Protocols of an identity provider through python-keystoneclient."""

from __future__ import annotations

import pytest
from keystoneauth1 import exceptions as ks

from tests.federation.conftest import http

RULES = [{"local": [{"user": {"name": "FederationUser"}}], "remote": [{"type": "__NAMEID__"}]}]


@pytest.fixture
def acme(keystone):
    keystone.federation.mappings.create(mapping_id="mapping_ACME", rules=RULES)
    keystone.federation.mappings.create(mapping_id="mapping_other", rules=RULES)
    return keystone.federation.identity_providers.create("ACME", enabled=True)


def test_a_protocol_goes_through_create_get_list_update_delete(server, keystone, acme) -> None:
    protocols = keystone.federation.protocols
    created = protocols.create("saml", "ACME", "mapping_ACME")
    assert (created.id, created.mapping_id) == ("saml", "mapping_ACME")
    provider = f"{server.url}/v3/OS-FEDERATION/identity_providers/ACME"
    assert created.links == {"self": f"{provider}/protocols/saml", "identity_provider": provider}
    assert protocols.get("ACME", "saml").mapping_id == "mapping_ACME"
    assert [p.id for p in protocols.list("ACME")] == ["saml"]
    assert protocols.update("ACME", "saml", "mapping_other").mapping_id == "mapping_other"
    assert protocols.get("ACME", "saml").mapping_id == "mapping_other"
    protocols.delete("ACME", "saml")
    with pytest.raises(ks.NotFound):
        protocols.get("ACME", "saml")


def test_saml_oidc_and_keystone_free_form_protocol_ids_are_accepted(keystone, acme) -> None:
    for protocol_id in ("saml", "oidc", "mapped", "saml2"):
        keystone.federation.protocols.create(protocol_id, "ACME", "mapping_ACME")
    listed = sorted(p.id for p in keystone.federation.protocols.list("ACME"))
    assert listed == ["mapped", "oidc", "saml", "saml2"]


def test_a_protocol_exists_once_per_identity_provider(keystone, acme) -> None:
    keystone.federation.protocols.create("saml", "ACME", "mapping_ACME")
    with pytest.raises(ks.Conflict):
        keystone.federation.protocols.create("saml", "ACME", "mapping_ACME")


def test_the_mapping_must_be_one_of_the_account(server, keystone, acme) -> None:
    with pytest.raises(ks.BadRequest):
        keystone.federation.protocols.create("saml", "ACME", "no-such-mapping")
    keystone.federation.protocols.create("saml", "ACME", "mapping_ACME")
    with pytest.raises(ks.BadRequest):
        keystone.federation.protocols.update("ACME", "saml", "no-such-mapping")
    assert keystone.federation.protocols.get("ACME", "saml").mapping_id == "mapping_ACME"


def test_another_accounts_mapping_cannot_be_used(server, keystone, acme) -> None:
    from tests import clients
    from tests.federation.conftest import password_token

    other = server.new_account()
    token = password_token(server, other.account_name, other.user_name, other.password)
    clients.keystone(server.url, token).federation.mappings.create(mapping_id="theirs", rules=RULES)
    with pytest.raises(ks.BadRequest):
        keystone.federation.protocols.create("saml", "ACME", "theirs")


def test_a_virtual_user_sso_protocol_needs_a_mapping(server, root_token, acme) -> None:
    with http(server, root_token) as client:
        response = client.put(
            "/v3/OS-FEDERATION/identity_providers/ACME/protocols/saml", json={"protocol": {}}
        )
    assert response.status_code == 400
    assert "mapping_id" in response.json()["error_msg"]


def test_an_iam_user_sso_protocol_may_go_without_a_mapping(server, root_token) -> None:
    base = "/v3/OS-FEDERATION/identity_providers/SSO"
    with http(server, root_token) as client:
        client.put(base, json={"identity_provider": {"sso_type": "iam_user_sso"}})
        response = client.put(f"{base}/protocols/saml", json={"protocol": {}})
        shown = client.get(f"{base}/protocols/saml")
    assert response.status_code == 201
    assert "mapping_id" not in shown.json()["protocol"]


def test_protocols_of_an_unknown_identity_provider_are_404_but_its_list_is_empty(
    keystone, acme
) -> None:
    with pytest.raises(ks.NotFound):
        keystone.federation.protocols.create("saml", "nobody", "mapping_ACME")
    # Keystone 30 lists the protocols of an unknown provider as an empty collection.
    assert keystone.federation.protocols.list("nobody") == []
    with pytest.raises(ks.NotFound):
        keystone.federation.protocols.get("ACME", "oidc")
    with pytest.raises(ks.NotFound):
        keystone.federation.protocols.delete("ACME", "oidc")
