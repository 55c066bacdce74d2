"""Identity providers, mappings and protocols through huaweicloudsdkiam, signed with AK/SK and
with an X-Auth-Token."""

from __future__ import annotations

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as m

RULES = [
    m.MappingRules(
        local=[
            m.RulesLocal(user=m.RulesLocalUser(name="FederationUser")),
            m.RulesLocal(group=m.RulesLocalGroup(name="admin")),
        ],
        remote=[
            m.RulesRemote(type="__NAMEID__"),
            m.RulesRemote(type="groups", any_one_of=["Admins"], regex=False),
        ],
    )
]


def create_idp(client, idp_id: str, **options):
    body = m.KeystoneCreateIdentityProviderRequestBody(
        identity_provider=m.IdentityproviderOption(**options)
    )
    request = m.KeystoneCreateIdentityProviderRequest(id=idp_id, body=body)
    return client.keystone_create_identity_provider(request).identity_provider


@pytest.fixture(params=["aksk", "token"])
def client(request, huawei, huawei_by_token):
    return huawei if request.param == "aksk" else huawei_by_token


def test_an_identity_provider_goes_through_its_whole_life(server, client) -> None:
    created = create_idp(client, "ACME", description="Stores ACME identities", enabled=True)
    assert (created.id, created.sso_type, created.enabled) == ("ACME", "virtual_user_sso", True)
    assert created.remote_ids == []
    assert created.links.protocols.endswith("/v3/OS-FEDERATION/identity_providers/ACME/protocols")
    shown = client.keystone_show_identity_provider(
        m.KeystoneShowIdentityProviderRequest(id="ACME")
    ).identity_provider
    assert shown.description == "Stores ACME identities"
    listed = client.keystone_list_identity_providers(m.KeystoneListIdentityProvidersRequest())
    assert [i.id for i in listed.identity_providers] == ["ACME"]
    assert listed.links._self.endswith("/v3/OS-FEDERATION/identity_providers")
    update = m.KeystoneUpdateIdentityProviderRequestBody(
        identity_provider=m.UpdateIdentityproviderOption(description="changed", enabled=False)
    )
    updated = client.keystone_update_identity_provider(
        m.KeystoneUpdateIdentityProviderRequest(id="ACME", body=update)
    ).identity_provider
    assert (updated.description, updated.enabled) == ("changed", False)
    deleted = client.keystone_delete_identity_provider(
        m.KeystoneDeleteIdentityProviderRequest(id="ACME")
    )
    assert deleted.status_code == 204
    with pytest.raises(ClientRequestException) as raised:
        client.keystone_show_identity_provider(m.KeystoneShowIdentityProviderRequest(id="ACME"))
    assert raised.value.status_code == 404
    assert raised.value.error_code == "IAM.0004"


def test_an_iam_user_sso_provider_is_created_with_the_huawei_sdk(client) -> None:
    created = create_idp(client, "SSO", sso_type="iam_user_sso")
    assert created.sso_type == "iam_user_sso"
    with pytest.raises(ClientRequestException) as raised:
        create_idp(client, "VIRTUAL", sso_type="virtual_user_sso")
    assert raised.value.status_code == 400


def test_a_mapping_goes_through_its_whole_life(client) -> None:
    body = m.KeystoneCreateMappingRequestBody(mapping=m.MappingOption(rules=RULES))
    created = client.keystone_create_mapping(
        m.KeystoneCreateMappingRequest(id="mapping_ACME", body=body)
    ).mapping
    assert created.id == "mapping_ACME"
    assert created.rules[0].local[0].user.name == "FederationUser"
    assert created.rules[0].remote[1].any_one_of == ["Admins"]
    listed = client.keystone_list_mappings(m.KeystoneListMappingsRequest()).mappings
    assert [x.id for x in listed] == ["mapping_ACME"]
    rules = [m.MappingRules(local=RULES[0].local[:1], remote=RULES[0].remote[:1])]
    update = m.KeystoneUpdateMappingRequestBody(mapping=m.MappingOption(rules=rules))
    updated = client.keystone_update_mapping(
        m.KeystoneUpdateMappingRequest(id="mapping_ACME", body=update)
    ).mapping
    assert len(updated.rules[0].remote) == 1
    shown = client.keystone_show_mapping(m.KeystoneShowMappingRequest(id="mapping_ACME")).mapping
    assert shown.rules[0].remote[0].type == "__NAMEID__"
    client.keystone_delete_mapping(m.KeystoneDeleteMappingRequest(id="mapping_ACME"))
    assert client.keystone_list_mappings(m.KeystoneListMappingsRequest()).mappings == []


def test_a_protocol_goes_through_its_whole_life(client) -> None:
    create_idp(client, "ACME")
    for mapping_id in ("mapping_ACME", "mapping_B"):
        body = m.KeystoneCreateMappingRequestBody(mapping=m.MappingOption(rules=RULES))
        client.keystone_create_mapping(m.KeystoneCreateMappingRequest(id=mapping_id, body=body))
    body = m.KeystoneCreateProtocolRequestBody(protocol=m.ProtocolOption(mapping_id="mapping_ACME"))
    created = client.keystone_create_protocol(
        m.KeystoneCreateProtocolRequest(idp_id="ACME", protocol_id="saml", body=body)
    ).protocol
    assert (created.id, created.mapping_id) == ("saml", "mapping_ACME")
    assert created.links.identity_provider.endswith("/identity_providers/ACME")
    listed = client.keystone_list_protocols(m.KeystoneListProtocolsRequest(idp_id="ACME"))
    assert [p.id for p in listed.protocols] == ["saml"]
    update = m.KeystoneUpdateProtocolRequestBody(protocol=m.ProtocolOption(mapping_id="mapping_B"))
    updated = client.keystone_update_protocol(
        m.KeystoneUpdateProtocolRequest(idp_id="ACME", protocol_id="saml", body=update)
    ).protocol
    assert updated.mapping_id == "mapping_B"
    shown = client.keystone_show_protocol(
        m.KeystoneShowProtocolRequest(idp_id="ACME", protocol_id="saml")
    ).protocol
    assert shown.mapping_id == "mapping_B"
    client.keystone_delete_protocol(
        m.KeystoneDeleteProtocolRequest(idp_id="ACME", protocol_id="saml")
    )
    listed = client.keystone_list_protocols(m.KeystoneListProtocolsRequest(idp_id="ACME"))
    assert listed.protocols == []


def test_federated_domains_and_projects_name_the_callers_account(client, account) -> None:
    domains = client.keystone_list_federation_domains(
        m.KeystoneListFederationDomainsRequest()
    ).domains
    assert [(d.id, d.name) for d in domains] == [(account.account_id, account.account_name)]
    projects = client.keystone_list_federation_projects(
        m.KeystoneListFederationProjectsRequest()
    ).projects
    assert [(p.id, p.domain_id) for p in projects] == [(account.project_id, account.account_id)]
