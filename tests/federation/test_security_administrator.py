"""The seed's caller: "a token with the Security Administrator permission". IAM users get it
from their groups' roles; Tenant Administrator alone excludes IAM, so it is not enough."""

from __future__ import annotations

import pytest

from tests import clients
from tests.federation.conftest import password_token
from tests.federation.test_seed_delete import seed_delete
from tests.personas import PASSWORD, iam_user_with_policy, iam_user_with_roles


def _user_token(server, account, user) -> str:
    return password_token(server, account.account_name, user.user_name, PASSWORD)


def test_a_security_administrator_runs_the_seed_delete(server, account, root_token) -> None:
    admin = iam_user_with_roles(server, account, ["Security Administrator"])
    token = _user_token(server, account, admin)
    clients.keystone(server.url, token).federation.identity_providers.create("ACME")
    assert seed_delete(server, token).status_code == 204
    assert seed_delete(server, token).status_code == 404


@pytest.mark.parametrize("roles", [["Tenant Administrator"], ["Tenant Guest"]])
def test_other_roles_may_not_delete_an_identity_provider(server, account, root_token, roles):
    clients.keystone(server.url, root_token).federation.identity_providers.create("ACME")
    user = iam_user_with_roles(server, account, roles)
    response = seed_delete(server, _user_token(server, account, user))
    assert response.status_code == 403
    assert response.json()["error_code"] == "IAM.0003"


def test_a_custom_deny_overrides_security_administrator(server, account, root_token) -> None:
    clients.keystone(server.url, root_token).federation.identity_providers.create("ACME")
    deny = [{"Effect": "Deny", "Action": ["iam:identityProviders:delete*"]}]
    user = iam_user_with_policy(server, account, deny, ["Security Administrator"])
    response = seed_delete(server, _user_token(server, account, user))
    assert response.status_code == 403


def test_a_fine_grained_allow_is_enough(server, account, root_token) -> None:
    clients.keystone(server.url, root_token).federation.identity_providers.create("ACME")
    allow = [{"Effect": "Allow", "Action": ["iam:identityProviders:*"]}]
    user = iam_user_with_policy(server, account, allow)
    assert seed_delete(server, _user_token(server, account, user)).status_code == 204
