"""Seed 001 takes effect: the documented curl deletes the identity provider (204), and in the
same transaction its tokens are revoked and its federated users removed, so a token it issued
stops working and the next sign-in through it fails."""

from __future__ import annotations

import httpx
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from tests import clients
from tests.federation.signin_setup import list_users
from tests.federation.test_oidc_signin import id_token_sign_in, refused
from tests.federation.test_seed_delete import seed_delete


def test_deleting_the_provider_ends_its_tokens_and_its_sign_ins(
    server, huawei, provider, corp, root_token, account
) -> None:
    answer = id_token_sign_in(huawei, corp, provider.id_token_for("alice"))
    federated = answer.x_subject_token
    assert account.user_name in list_users(clients.iam_with_token(server.url, federated))
    deleted = seed_delete(server, root_token, corp)
    assert (deleted.status_code, deleted.content) == (204, b"")
    try:
        list_users(clients.iam_with_token(server.url, federated))
        raise AssertionError("the federated token still works")
    except ClientRequestException as error:
        assert error.status_code == 401
    validated = httpx.get(
        f"{server.url}/v3/auth/tokens",
        headers={"X-Auth-Token": root_token, "X-Subject-Token": federated},
        timeout=30,
    )
    assert validated.status_code == 404
    again = refused(server, corp, provider.id_token_for("alice"))
    assert again.status_code == 401
    # The federated user's shadow is gone with the provider; the account's own users stay.
    assert list_users(clients.iam_with_token(server.url, root_token)) == [account.user_name]


def test_a_scoped_token_made_from_a_federated_token_goes_with_the_provider(
    server, huawei, provider, corp, root_token, account
) -> None:
    from huaweicloudsdkiam.v3 import model as m

    unscoped = id_token_sign_in(huawei, corp, provider.id_token_for("alice")).x_subject_token
    identity = m.ScopedTokenIdentity(methods=["token"], token=m.ScopedToken(id=unscoped))
    scope = m.TokenSocpeOption(project=m.ScopeProjectOption(id=account.project_id))
    answer = clients.iam_with_token(server.url, unscoped).keystone_create_scoped_token(
        m.KeystoneCreateScopedTokenRequest(
            body=m.KeystoneCreateScopedTokenRequestBody(
                auth=m.ScopedTokenAuth(identity=identity, scope=scope)
            )
        )
    )
    assert answer.token.project.id == account.project_id
    scoped = answer.x_subject_token
    assert account.user_name in list_users(clients.iam_with_token(server.url, scoped))
    assert seed_delete(server, root_token, corp).status_code == 204
    try:
        list_users(clients.iam_with_token(server.url, scoped))
        raise AssertionError("the scoped federated token still works")
    except ClientRequestException as error:
        assert error.status_code == 401
