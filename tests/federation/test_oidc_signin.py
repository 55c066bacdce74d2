"""Signing in through a real OpenID Connect provider: the account configures it with the Huawei
SDK, the provider signs RS256 ID tokens served with its JWKS, and idplane verifies them
(issuer, audience = client id, expiry, not-before, signature) and maps their claims."""

from __future__ import annotations

import time

import httpx
import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as m
from joserfc.jwk import RSAKey

from tests import clients
from tests.federation.oidc_provider import CLIENT_ID
from tests.federation.signin_setup import list_users


def id_token_sign_in(huawei, idp_id: str, id_token: str, scope=None):
    auth = m.GetIdTokenAuthParams(id_token=m.GetIdTokenIdTokenBody(id=id_token), scope=scope)
    request = m.CreateTokenWithIdTokenRequest(
        x_idp_id=idp_id, body=m.GetIdTokenRequestBody(auth=auth)
    )
    return huawei.create_token_with_id_token(request)


def test_a_federated_admin_signs_in_with_an_id_token_and_uses_the_token(
    server, huawei, provider, corp, account
) -> None:
    scope = m.GetIdTokenIdScopeBody(
        project=m.GetIdTokenScopeDomainOrProjectBody(name=account.region)
    )
    answer = id_token_sign_in(huawei, corp, provider.id_token_for("alice"), scope)
    token = answer.token
    assert answer.x_subject_token
    assert token.methods == ["mapped"]
    assert token.user.name == "alice"
    federation = token.user.os_federation
    assert federation.identity_provider.id == "corp"
    assert federation.protocol.id == "oidc"
    assert [g["name"] for g in federation.groups] == ["admin"]
    assert token.project.id == account.project_id
    # The token works like any other: the admin group's permissions let it list IAM users.
    as_alice = clients.iam_with_token(server.url, answer.x_subject_token)
    assert account.user_name in list_users(as_alice)


def test_the_mapped_groups_decide_what_the_federated_user_may_do(
    server, huawei, provider, corp
) -> None:
    answer = id_token_sign_in(huawei, corp, provider.id_token_for("bob"))
    assert [g["name"] for g in answer.token.user.os_federation.groups] == ["readers"]
    with pytest.raises(ClientRequestException) as raised:
        list_users(clients.iam_with_token(server.url, answer.x_subject_token))
    assert raised.value.status_code == 403


def test_the_keystone_protocol_auth_path_gives_an_unscoped_token(
    server, huawei, provider, corp, account
) -> None:
    request = m.CreateUnscopedTokenWithIdTokenRequest(
        idp_id=corp, protocol_id="oidc", authorization=f"Bearer {provider.id_token_for('alice')}"
    )
    answer = huawei.create_unscoped_token_with_id_token(request)
    assert answer.token.user.name == "alice"
    assert answer.token.methods == ["mapped"]
    validated = httpx.get(
        f"{server.url}/v3/auth/tokens",
        headers={"X-Auth-Token": answer.x_subject_token, "X-Subject-Token": answer.x_subject_token},
        timeout=30,
    )
    assert validated.status_code == 200
    assert validated.json()["token"]["methods"] == ["mapped"]


def test_the_same_user_signs_in_again_as_the_same_federated_user(huawei, provider, corp) -> None:
    first = id_token_sign_in(huawei, corp, provider.id_token_for("alice")).token.user.id
    again = id_token_sign_in(huawei, corp, provider.id_token_for("alice")).token.user.id
    other = id_token_sign_in(huawei, corp, provider.id_token_for("bob")).token.user.id
    assert first == again != other


def refused(server, idp_id: str, id_token: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/v3.0/OS-AUTH/id-token/tokens",
        headers={"X-Idp-Id": idp_id},
        json={"auth": {"id_token": {"id": id_token}}},
        timeout=30,
    )


def test_a_forged_signature_is_401(server, provider, corp) -> None:
    impostor = RSAKey.generate_key(2048, parameters={"kid": "signing-1"})
    claims = provider._claims("alice", CLIENT_ID, "n", {})
    response = refused(server, corp, provider.sign(claims, key=impostor))
    assert response.status_code == 401
    assert "signature" in response.json()["error_msg"]
    tampered = provider.id_token_for("bob").split(".")
    alice = provider.id_token_for("alice").split(".")
    assert refused(server, corp, ".".join([tampered[0], alice[1], tampered[2]])).status_code == 401


def test_a_token_for_another_client_is_401(server, provider, corp) -> None:
    response = refused(server, corp, provider.id_token_for("alice", client_id="someone-else"))
    assert response.status_code == 401
    assert "aud" in response.json()["error_msg"]


def test_an_expired_or_not_yet_valid_token_is_401(server, provider, corp) -> None:
    past = int(time.time()) - 3600
    expired = provider.id_token_for("alice", iat=past, nbf=past, exp=past + 300)
    assert refused(server, corp, expired).status_code == 401
    future = int(time.time()) + 3600
    early = provider.id_token_for("alice", nbf=future, exp=future + 300)
    assert refused(server, corp, early).status_code == 401


def test_an_unknown_provider_or_garbage_is_401(server, provider, corp) -> None:
    assert refused(server, "nobody", provider.id_token_for("alice")).status_code == 401
    assert refused(server, corp, "not-a-jwt").status_code == 401


def test_a_user_no_rule_maps_is_401(server, provider, corp) -> None:
    provider.users["eve"] = {"groups": ["staff"]}  # no preferred_username: no user rule
    assert refused(server, corp, provider.id_token_for("eve")).status_code == 401


def test_a_disabled_provider_signs_nobody_in(server, huawei, provider, corp) -> None:
    option = m.UpdateIdentityproviderOption(enabled=False)
    huawei.keystone_update_identity_provider(
        m.KeystoneUpdateIdentityProviderRequest(
            id=corp, body=m.KeystoneUpdateIdentityProviderRequestBody(identity_provider=option)
        )
    )
    assert refused(server, corp, provider.id_token_for("alice")).status_code == 403


def test_concurrent_first_sign_ins_of_one_user_make_one_federated_user(
    server, provider, corp
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    tokens = [provider.id_token_for("alice") for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda t: refused(server, corp, t), tokens))
    assert [a.status_code for a in answers] == [201] * 4, [a.text for a in answers]
    assert len({a.json()["token"]["user"]["id"] for a in answers}) == 1


def test_disabling_the_providers_domain_ends_its_sign_ins_but_not_the_account(
    server, huawei, provider, corp, root_token, account
) -> None:
    federated = id_token_sign_in(huawei, corp, provider.id_token_for("alice")).x_subject_token
    domain_id = (
        clients.keystone(server.url, root_token).federation.identity_providers.get(corp).domain_id
    )
    disabled = httpx.patch(
        f"{server.url}/v3/domains/{domain_id}",
        headers={"X-Auth-Token": root_token},
        json={"domain": {"enabled": False}},
        timeout=30,
    )
    assert disabled.status_code == 200
    with pytest.raises(ClientRequestException) as raised:
        list_users(clients.iam_with_token(server.url, federated))
    assert raised.value.status_code == 401
    assert refused(server, corp, provider.id_token_for("alice")).status_code == 401
    assert account.user_name in list_users(clients.iam_with_token(server.url, root_token))
