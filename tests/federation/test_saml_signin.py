"""Signing in through a real SAML IdP (pysaml2 + xmlsec1): the account imports the IdP's
metadata with the Huawei SDK and posts its signed IdP-initiated response to
`/v3.0/OS-FEDERATION/tokens`; idplane verifies the XML signature against the metadata, the
audience, the recipient, the time window, and uses each assertion once."""

from __future__ import annotations

import httpx
import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as m

from tests import clients
from tests.federation.saml_idp import SamlIdp
from tests.federation.signin_setup import configure_provider, create_group, list_users

RULES = [
    m.MappingRules(
        local=[m.RulesLocal(user=m.RulesLocalUser(name="{0}"))],
        remote=[m.RulesRemote(type="__NAMEID__")],
    ),
    m.MappingRules(
        local=[m.RulesLocal(group=m.RulesLocalGroup(name="admin"))],
        remote=[m.RulesRemote(type="groups", any_one_of=["cloud-admins"])],
    ),
    m.MappingRules(
        local=[m.RulesLocal(group=m.RulesLocalGroup(name="readers"))],
        remote=[m.RulesRemote(type="groups", any_one_of=["staff"])],
    ),
]


def sp_entity_id(server) -> str:
    return f"{server.url}/"


def acs(server) -> str:
    return f"{server.url}/v3.0/OS-FEDERATION/tokens"


def make_idp(server, tmp_path, lifetime_minutes: int = 5) -> SamlIdp:
    keystone_acs = f"{server.url}/v3/OS-FEDERATION/identity_providers/corp/protocols/saml/auth"
    return SamlIdp(tmp_path, sp_entity_id(server), [acs(server), keystone_acs], lifetime_minutes)


def import_metadata(client, idp: SamlIdp, account) -> None:
    body = m.CreateMetadataRequestBody(
        domain_id=account.account_id, xaccount_type="", metadata=idp.metadata()
    )
    client.create_metadata(m.CreateMetadataRequest(idp_id="corp", protocol_id="saml", body=body))


@pytest.fixture
def idp(server, huawei, account, tmp_path) -> SamlIdp:
    create_group(huawei, "readers")
    configure_provider(huawei, "corp", "saml", RULES)
    made = make_idp(server, tmp_path)
    import_metadata(huawei, made, account)
    return made


def post_response(server, saml_response: str, idp_id: str = "corp") -> httpx.Response:
    return httpx.post(
        acs(server), headers={"X-Idp-Id": idp_id}, data={"SAMLResponse": saml_response}, timeout=30
    )


def test_a_federated_admin_signs_in_with_a_signed_saml_response_and_uses_the_token(
    server, huawei, idp, account
) -> None:
    saml_response = idp.response("alice", {"groups": ["cloud-admins"]}, acs(server))
    request = m.CreateUnscopeTokenByIdpInitiatedRequest(
        x_idp_id="corp",
        body=m.CreateUnscopeTokenByIdpInitiatedRequestBody(saml_response=saml_response),
    )
    answer = huawei.create_unscope_token_by_idp_initiated(request)
    assert answer.x_subject_token
    assert answer.token.methods == ["mapped"]
    assert answer.token.user.name == "alice"
    assert answer.token.user.os_federation.identity_provider.id == "corp"
    assert [g.name for g in answer.token.user.os_federation.groups] == ["admin"]
    as_alice = clients.iam_with_token(server.url, answer.x_subject_token)
    assert account.user_name in list_users(as_alice)


def test_keystones_protocol_auth_path_takes_the_saml_response_too(server, idp) -> None:
    keystone_acs = f"{server.url}/v3/OS-FEDERATION/identity_providers/corp/protocols/saml/auth"
    saml_response = idp.response("bob", {"groups": ["staff"]}, keystone_acs)
    response = httpx.post(keystone_acs, data={"SAMLResponse": saml_response}, timeout=30)
    assert response.status_code == 201, response.text
    assert response.json()["token"]["user"]["name"] == "bob"


def test_a_replayed_assertion_is_401(server, idp) -> None:
    saml_response = idp.response("alice", {"groups": ["staff"]}, acs(server))
    assert post_response(server, saml_response).status_code == 201
    again = post_response(server, saml_response)
    assert again.status_code == 401
    assert "already been used" in again.json()["error_msg"]


def test_a_response_signed_by_another_key_is_401(server, idp) -> None:
    forged = idp.response("alice", {"groups": ["cloud-admins"]}, acs(server), impostor=True)
    response = post_response(server, forged)
    assert response.status_code == 401
    assert "signature" in response.json()["error_msg"]


def test_a_response_for_another_service_provider_or_recipient_is_401(server, idp) -> None:
    elsewhere = idp.response("alice", {}, acs(server), audience="https://other-sp.example.com/")
    assert "audience" in post_response(server, elsewhere).json()["error_msg"]
    misdirected = idp.response("alice", {}, "https://other-sp.example.com/acs")
    assert post_response(server, misdirected).status_code == 401


def test_an_expired_assertion_is_401(server, huawei, account, tmp_path) -> None:
    configure_provider(huawei, "corp", "saml", RULES[:1])
    stale = make_idp(server, tmp_path, lifetime_minutes=-10)
    import_metadata(huawei, stale, account)
    response = post_response(server, stale.response("alice", {}, acs(server)))
    assert response.status_code == 401
    assert "expired" in response.json()["error_msg"]


def test_garbage_and_unknown_providers_are_401(server, idp) -> None:
    good = idp.response("alice", {}, acs(server))
    assert post_response(server, good, idp_id="nobody").status_code == 401
    assert post_response(server, "%%%not-base64").status_code == 401
    missing = httpx.post(acs(server), headers={"X-Idp-Id": "corp"}, data={}, timeout=30)
    assert missing.status_code == 401


def test_sts_assume_agency_with_saml_uses_the_same_verification(server, account, idp) -> None:
    from huaweicloudsdksts.v1 import model as sm

    from tests.sts.conftest import agency_urn, make_agency

    owner = server.new_account("b")
    agency = make_agency(server, owner, account)
    sts_acs = f"{server.url}/v5/agencies/assume-with-saml"
    saml_response = idp.response("alice", {"groups": ["staff"]}, sts_acs)
    body = sm.AssumeAgencyWithSAMLReqBody(
        provider_urn=f"iam::{account.account_id}:identity-provider:corp",
        agency_urn=agency_urn(owner, agency),
        saml_assertion=saml_response,
    )
    sts = clients.sts(server.url, account)
    answer = sts.assume_agency_with_saml(sm.AssumeAgencyWithSAMLRequest(body=body))
    assert (
        answer.assumed_agency.urn == f"sts::{owner.account_id}:assumed-agency:{agency.name}/alice"
    )
    assert (answer.subject, answer.subject_type) == ("alice", "persistent")
    assert (answer.issuer, answer.audience) == (idp.entity_id, sts_acs)
    assert answer.credentials.access_key_id
    with pytest.raises(ClientRequestException) as raised:  # the assertion was used
        sts.assume_agency_with_saml(sm.AssumeAgencyWithSAMLRequest(body=body))
    assert raised.value.status_code == 401
