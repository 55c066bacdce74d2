"""STS assume_agency_with_oidc through huaweicloudsdksts: a user of account A's OIDC provider
assumes account B's agency (which trusts A) with an ID token from a real provider; the token
is verified as for sign-in, the agency's trust policy must name the provider, and deleting the
provider ends the session."""

from __future__ import annotations

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as m
from huaweicloudsdksts.v1 import model as sm

from tests import clients
from tests.federation.test_seed_delete import seed_delete
from tests.sts.conftest import agency_urn, make_agency, session_credentials, set_trust_policy


def provider_urn(account, idp_id: str) -> str:
    return f"iam::{account.account_id}:identity-provider:{idp_id}"


def assume_with_oidc(server, account, owner, agency, idp_id: str, id_token: str):
    body = sm.AssumeAgencyWithOIDCReqBody(
        provider_urn=provider_urn(account, idp_id),
        agency_urn=agency_urn(owner, agency),
        agency_session_name="alice-session",
        id_token=id_token,
    )
    return clients.sts(server.url, account).assume_agency_with_oidc(
        sm.AssumeAgencyWithOIDCRequest(body=body)
    )


def list_users_as(server, account, answer) -> list[str]:
    made = answer.credentials
    creds = session_credentials(
        account, made.access_key_id, made.secret_access_key, made.security_token
    )
    users = clients.iam(server.url, creds).keystone_list_users(m.KeystoneListUsersRequest())
    return [u.id for u in users.users]


def test_a_federated_user_assumes_an_agency_and_loses_it_with_the_provider(
    server, account, provider, corp, root_token
) -> None:
    owner = server.new_account("b")
    agency = make_agency(server, owner, account)
    answer = assume_with_oidc(server, account, owner, agency, corp, provider.id_token_for("alice"))
    assert answer.assumed_agency.urn == (
        f"sts::{owner.account_id}:assumed-agency:{agency.name}/alice-session"
    )
    assert (answer.subject_from_id_token, answer.audience) == ("alice", "idplane-console")
    assert owner.user_id in list_users_as(server, owner, answer)
    assert seed_delete(server, root_token, corp).status_code == 204
    with pytest.raises(ClientRequestException) as raised:
        list_users_as(server, owner, answer)
    assert raised.value.status_code == 401


def test_the_trust_policy_must_name_the_provider(server, account, provider, corp) -> None:
    owner = server.new_account("b")
    agency = make_agency(server, owner, account)
    others = {"Federated": [provider_urn(account, "someone-else")]}
    statement = {"Effect": "Allow", "Action": ["sts:agencies:assume"], "Principal": others}
    set_trust_policy(server, owner, agency, {"Version": "5.0", "Statement": [statement]})
    with pytest.raises(ClientRequestException) as raised:
        assume_with_oidc(server, account, owner, agency, corp, provider.id_token_for("alice"))
    assert raised.value.status_code == 403
    statement["Principal"] = {"Federated": [provider_urn(account, corp)]}
    set_trust_policy(server, owner, agency, {"Version": "5.0", "Statement": [statement]})
    assert assume_with_oidc(server, account, owner, agency, corp, provider.id_token_for("alice"))


def test_a_token_for_another_client_assumes_nothing(server, account, provider, corp) -> None:
    owner = server.new_account("b")
    agency = make_agency(server, owner, account)
    forged = provider.id_token_for("alice", client_id="someone-else")
    with pytest.raises(ClientRequestException) as raised:
        assume_with_oidc(server, account, owner, agency, corp, forged)
    assert raised.value.status_code == 401
