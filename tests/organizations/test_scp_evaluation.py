"""SCP evaluation as pure logic: Deny anywhere wins, every level of the path needs an Allow,
`Resource` and `Condition` are judged like IAM's (what cannot be judged fails closed)."""

from __future__ import annotations

import json
from types import SimpleNamespace

from idplane.organizations.policies.grammar import statements
from idplane.organizations.policies.guardrails import evaluate
from idplane.platform.authz import AccessRequest

FULL = json.dumps({"Version": "5.0", "Statement": [{"Effect": "Allow", "Action": ["*"]}]})
DELETE = AccessRequest("iam:users:deleteUser")
LIST = AccessRequest("iam:users:listUsers")


def _row(entity_id: str, statements_: list[dict], name: str = "p") -> SimpleNamespace:
    content = json.dumps({"Version": "5.0", "Statement": statements_})
    return SimpleNamespace(entity_id=entity_id, id=f"p-{name}", name=name, content=content)


def _full(entity_id: str) -> SimpleNamespace:
    return SimpleNamespace(entity_id=entity_id, id="p-FullAccess", name="FullAccess", content=FULL)


def test_full_access_at_every_level_allows() -> None:
    assert evaluate(["r", "ou", "a"], [_full("r"), _full("ou"), _full("a")], DELETE) is None


def test_a_deny_at_any_level_refuses_and_names_the_policy() -> None:
    deny = _row("ou", [{"Effect": "Deny", "Action": ["iam:users:delete*"]}], "no-delete")
    rows = [_full("r"), _full("ou"), deny, _full("a")]
    refused = evaluate(["r", "ou", "a"], rows, DELETE)
    assert refused.explicit_deny and "no-delete (p-no-delete) attached to ou" in refused.reason
    assert refused.matched[0].source.endswith("attached to ou")
    assert evaluate(["r", "ou", "a"], rows, LIST) is None


def test_a_level_without_an_allow_refuses() -> None:
    narrow = _row("ou", [{"Effect": "Allow", "Action": ["iam:users:list*"]}])
    rows = [_full("r"), narrow, _full("a")]
    assert evaluate(["r", "ou", "a"], rows, LIST) is None
    refused = evaluate(["r", "ou", "a"], rows, DELETE)
    assert not refused.explicit_deny and "attached to ou allows it" in refused.reason


def test_a_not_action_deny_spares_only_its_actions() -> None:
    rows = [_full("r"), _row("r", [{"Effect": "Deny", "NotAction": ["iam:users:list*"]}])]
    assert evaluate(["r"], rows, LIST) is None
    assert evaluate(["r"], rows, DELETE) is not None


def test_a_conditional_deny_applies_only_when_its_condition_holds() -> None:
    only_root = {"Bool": {"g:PrincipalIsRootUser": ["true"]}}
    rows = [
        _full("r"),
        _row("r", [{"Effect": "Deny", "Action": ["iam:*"], "Condition": only_root}]),
    ]
    root = AccessRequest(DELETE.action, context={"g:principalisrootuser": ("true",)})
    user = AccessRequest(DELETE.action, context={"g:principalisrootuser": ("false",)})
    assert evaluate(["r"], rows, root) is not None
    assert evaluate(["r"], rows, user) is None


def test_a_resource_scoped_deny_fails_closed_without_a_resource() -> None:
    scoped = [{"Effect": "Deny", "Action": ["iam:*"], "Resource": ["iam::*:user:alice"]}]
    rows = [_full("r"), _row("r", scoped)]
    assert evaluate(["r"], rows, AccessRequest(DELETE.action, "iam::1:user:bob")) is None
    assert evaluate(["r"], rows, AccessRequest(DELETE.action, "iam::1:user:alice")) is not None
    assert evaluate(["r"], rows, DELETE) is not None  # no resource named: cannot be judged


def test_statements_are_parsed_once_per_content() -> None:
    assert statements(FULL) is statements(FULL)
