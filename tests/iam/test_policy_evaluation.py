"""How role and policy documents become decisions (pure logic, no server)."""

from __future__ import annotations

from idplane.iam.permissions.source import statements_of
from idplane.iam.roles.catalog import system_roles
from idplane.platform.authz import evaluate


def _decide(names: list[str], action: str, *custom: dict) -> bool:
    documents = [system_roles().named(n).policy for n in names] + list(custom)
    return evaluate([s for d in documents for s in statements_of(d)], action)


def _policy(effect: str, *actions: str, **extra) -> dict:
    return {"Version": "1.1", "Statement": [{"Effect": effect, "Action": list(actions), **extra}]}


def test_tenant_administrator_has_everything_but_iam() -> None:
    assert _decide(["te_admin"], "IdentityCenter:permissionSet:create")
    assert _decide(["te_admin"], "organizations:accounts:list")
    assert not _decide(["te_admin"], "iam:users:createUser")


def test_a_roles_own_deny_does_not_cancel_another_roles_allow() -> None:
    assert _decide(["te_admin", "secu_admin"], "iam:users:createUser")
    assert _decide(["readonly", "secu_admin"], "iam:groups:deleteGroup")


def test_security_administrators_identity_actions_are_iam_actions() -> None:
    assert _decide(["secu_admin"], "iam:identityProviders:create")
    assert not _decide(["secu_admin"], "IdentityCenter:instance:list")


def test_tenant_guest_reads_everything_but_iam() -> None:
    assert _decide(["readonly"], "IdentityCenter:accountAssignment:list")
    assert _decide(["readonly"], "organizations:organizations:get")
    assert not _decide(["readonly"], "IdentityCenter:permissionSet:create")
    assert not _decide(["readonly"], "iam:users:listUsers")


def test_identity_center_policies() -> None:
    assert _decide(["IdentityCenter FullAccess"], "IdentityCenter:permissionSet:delete")
    assert _decide(["IdentityCenter ReadOnlyAccess"], "IdentityCenter:permissionSet:list")
    assert _decide(["IdentityCenter ReadOnlyAccess"], "organizations:delegatedAdministrators:list")
    assert not _decide(["IdentityCenter ReadOnlyAccess"], "IdentityCenter:permissionSet:create")


def test_a_deny_in_a_fine_grained_policy_overrides_every_allow() -> None:
    deny = _policy("Deny", "IdentityCenter:*:delete*")
    assert not _decide(["te_admin"], "IdentityCenter:permissionSet:delete", deny)
    assert _decide(["te_admin"], "IdentityCenter:permissionSet:create", deny)


def test_wildcards_match_whole_segments_case_insensitively() -> None:
    allow = _policy("Allow", "IdentityCenter:*:list*")
    assert _decide([], "identitycenter:permissionSet:listPermissionSets", allow)
    assert not _decide([], "IdentityCenter:permissionSet:get", allow)


def test_no_allow_means_denied() -> None:
    assert not _decide([], "iam:users:getUser")


def test_conditional_statements_fail_closed() -> None:
    conditional = _policy("Allow", "iam:*:*", Condition={"StringEquals": {"g:x": ["y"]}})
    assert not _decide([], "iam:users:getUser", conditional)
    scoped = _policy("Allow", "iam:*:*", Resource=["iam:*:*:user:alice"])
    assert not _decide([], "iam:users:getUser", scoped)
    everywhere = _policy("Allow", "iam:*:*", Resource=["*"])
    assert _decide([], "iam:users:getUser", everywhere)
    conditional_deny = _policy("Deny", "iam:*:*", Condition={"StringEquals": {"g:x": ["y"]}})
    assert not _decide(["secu_admin"], "iam:users:getUser", conditional_deny)
