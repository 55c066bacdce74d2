"""SCP evaluation as pure logic: Deny anywhere wins, every level of the path needs an Allow,
narrowed statements are not applied without a request context."""

from __future__ import annotations

import json
from types import SimpleNamespace

from idplane.organizations.policies.grammar import statements
from idplane.organizations.policies.guardrails import evaluate

FULL = json.dumps({"Version": "5.0", "Statement": [{"Effect": "Allow", "Action": ["*"]}]})


def _row(entity_id: str, statements_: list[dict], name: str = "p") -> SimpleNamespace:
    content = json.dumps({"Version": "5.0", "Statement": statements_})
    return SimpleNamespace(entity_id=entity_id, id=f"p-{name}", name=name, content=content)


def _full(entity_id: str) -> SimpleNamespace:
    return SimpleNamespace(entity_id=entity_id, id="p-FullAccess", name="FullAccess", content=FULL)


def test_full_access_at_every_level_allows() -> None:
    rows = [_full("r"), _full("ou"), _full("acct")]
    assert evaluate(["r", "ou", "acct"], rows, "iam:users:deleteUser") is None


def test_a_deny_at_any_level_refuses_and_names_the_policy() -> None:
    deny = _row("ou", [{"Effect": "Deny", "Action": ["iam:users:delete*"]}], "no-delete")
    rows = [_full("r"), _full("ou"), deny, _full("acct")]
    denial = evaluate(["r", "ou", "acct"], rows, "iam:users:deleteUser")
    assert (denial.policy_name, denial.entity_id) == ("no-delete", "ou")
    assert evaluate(["r", "ou", "acct"], rows, "iam:users:listUsers") is None


def test_a_level_without_an_allow_refuses() -> None:
    narrow = _row("ou", [{"Effect": "Allow", "Action": ["iam:users:list*"]}])
    rows = [_full("r"), narrow, _full("acct")]
    assert evaluate(["r", "ou", "acct"], rows, "iam:users:listUsers") is None
    denial = evaluate(["r", "ou", "acct"], rows, "iam:users:deleteUser")
    assert denial.entity_id == "ou" and denial.policy_id is None


def test_conditional_and_resource_scoped_denies_are_not_applied() -> None:
    conditional = _row(
        "r",
        [
            {
                "Effect": "Deny",
                "Action": ["iam:*"],
                "Condition": {"StringEquals": {"g:RequestedRegion": ["x"]}},
            },
            {"Effect": "Deny", "Action": ["iam:*"], "Resource": ["iam:*:*:user:alice"]},
        ],
    )
    assert evaluate(["r"], [_full("r"), conditional], "iam:users:deleteUser") is None


def test_statements_are_parsed_once_per_content() -> None:
    assert statements(FULL) is statements(FULL)
