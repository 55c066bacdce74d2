"""Tokens name the roles and policies the user's groups hold in the token's scope."""

from __future__ import annotations

from huaweicloudsdkiam.v3 import model as m

from tests import clients, personas
from tests.iam.test_tokens import issue_token


def _roles(server, creds, scope: m.AuthScope) -> set[str]:
    token = issue_token(server, creds, scope)
    shown = clients.iam(server.url, creds).keystone_validate_token(
        m.KeystoneValidateTokenRequest(x_subject_token=token)
    )
    return {role.name for role in shown.token.roles}


def test_the_root_users_token_holds_the_administrator_roles(server, account) -> None:
    scope = m.AuthScope(domain=m.AuthScopeDomain(id=account.account_id))
    assert _roles(server, account, scope) == {"te_admin", "secu_admin"}


def test_an_iam_users_token_names_its_groups_roles_in_scope(server, account) -> None:
    user = personas.iam_user_with_roles(
        server, account, ["Security Administrator", "LakeFormation ReadOnlyAccess"]
    )
    lake = personas.system_role(server, account, "LakeFormation ReadOnlyAccess")
    on_domain = _roles(server, user, m.AuthScope(domain=m.AuthScopeDomain(id=account.account_id)))
    assert on_domain == {"secu_admin"}  # the project-only policy is not in a domain token
    on_project = _roles(server, user, m.AuthScope(project=m.AuthScopeProject(name="cn-north-4")))
    assert on_project == {"secu_admin", lake.name}
    bare = personas.iam_user(server, account)
    assert _roles(server, bare, m.AuthScope(project=m.AuthScopeProject(name="cn-north-4"))) == set()
