"""The documented SCP grammar, checked on create and update, and SCP statements as the
guardrail evaluates them.

A document is `{"Version": "5.0", "Statement": [...]}` of at most 5,120 characters. A statement
has `Effect` Allow or Deny and may carry `Sid`. An Allow names `Action` (no `NotAction`, no
`Condition`, `Resource` only `*`); a Deny names `Action` or `NotAction` and may narrow itself
with `Resource`/`NotResource` and `Condition`. `Principal` and `NotPrincipal` are refused.
Actions read `service:resourceType:operation`; `*` and `?` stand alone or end the string.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from idplane.platform.authz import Statement
from idplane.platform.errors import Invalid

SCP_MAX = 5120
TAG_POLICY_MAX = 10000
MALFORMED = "Organizations.1409"
_STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}
_FULL = re.compile(r"^[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$")
_PREFIX = re.compile(r"^([A-Za-z0-9_-]+(:[A-Za-z0-9_-]*){0,2})?$")


def check_document(content: str, policy_type: str) -> None:
    if policy_type == "service_control_policy":
        _check_scp(content)
    else:
        _load(content, TAG_POLICY_MAX)


@lru_cache(maxsize=4096)
def statements(content: str) -> tuple[Statement, ...]:
    """A stored (already checked) SCP as the Authorizer's statements, cached by content, so a
    policy attached along many paths is parsed once per process. `NotAction` becomes "every
    action except"; `Resource` and `Condition` are evaluated by `Statement.applies` (what
    cannot be judged fails closed: such an Allow allows nothing, such a Deny denies);
    `NotResource` cannot be judged yet, so it is kept as an unmatchable resource form."""
    document = json.loads(content)
    raw = document["Statement"]
    out = []
    for statement in [raw] if isinstance(raw, dict) else raw:
        actions: tuple[str, ...]
        excluded: tuple[str, ...]
        if "NotAction" in statement:
            actions, excluded = ("*",), tuple(_strings(statement["NotAction"]))
        else:
            actions, excluded = tuple(_strings(statement["Action"])), ()
        out.append(
            Statement(
                statement["Effect"],
                actions,
                excluded=excluded,
                resources=_resources(statement),
                condition=statement.get("Condition") or None,
            )
        )
    return tuple(out)


def _resources(statement: dict) -> tuple[str, ...] | None:
    if "NotResource" in statement:
        return ("<NotResource is not evaluated>",)
    patterns = tuple(_strings(statement.get("Resource", ["*"])))
    return None if all(set(p) <= {"*", ":"} for p in patterns) else patterns


def _check_scp(content: str) -> None:
    document = _load(content, SCP_MAX)
    if document.get("Version") != "5.0":
        raise _malformed('"Version" must be "5.0"')
    unknown = set(document) - {"Version", "Statement"}
    if unknown:
        raise _malformed(f"unsupported element {sorted(unknown)[0]}")
    raw = document.get("Statement")
    items = [raw] if isinstance(raw, dict) else raw
    if not isinstance(items, list) or not items:
        raise _malformed('"Statement" must be a statement or a non-empty list of them')
    for statement in items:
        _check_statement(statement)


def _check_statement(statement: Any) -> None:
    if not isinstance(statement, dict):
        raise _malformed("each statement must be an object")
    if "Principal" in statement or "NotPrincipal" in statement:
        raise _malformed("Principal and NotPrincipal are not supported in SCPs")
    unknown = set(statement) - _STATEMENT_KEYS
    if unknown:
        raise _malformed(f"unsupported element {sorted(unknown)[0]}")
    effect = statement.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise _malformed('"Effect" must be "Allow" or "Deny"')
    has_action, has_not = "Action" in statement, "NotAction" in statement
    if has_action == has_not:
        raise _malformed('a statement names exactly one of "Action" and "NotAction"')
    if effect == "Allow":
        if has_not or "Condition" in statement or "NotResource" in statement:
            raise _malformed('an Allow statement takes Action and Resource "*" only')
        if _strings(statement.get("Resource", ["*"])) != ["*"]:
            raise _malformed('an Allow statement\'s "Resource" must be "*"')
    for action in _strings(statement.get("Action", statement.get("NotAction"))):
        _check_action(action)
    for key in ("Resource", "NotResource"):
        if key in statement:
            _strings(statement[key])
    if "Condition" in statement:
        _check_condition(statement["Condition"])
    if "Sid" in statement and not isinstance(statement["Sid"], str):
        raise _malformed('"Sid" must be a string')


def _check_action(action: str) -> None:
    core = action.rstrip("*?")
    if "*" in core or "?" in core:
        raise _malformed(f"wildcards may only end an action: {action}")
    if (core == action and not _FULL.match(action)) or not _PREFIX.match(core):
        raise _malformed(f"actions read service:resourceType:operation: {action}")


def _check_condition(condition: Any) -> None:
    if not isinstance(condition, dict) or not condition:
        raise _malformed('"Condition" must map operators to {key: [values]}')
    for keys in condition.values():
        if not isinstance(keys, dict) or not keys:
            raise _malformed('"Condition" must map operators to {key: [values]}')
        for values in keys.values():
            _strings(values)


def _strings(value: Any) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
        raise _malformed("expected a string or a non-empty list of strings")
    return items


def _load(content: str, limit: int) -> dict:
    if len(content) > limit:
        raise _malformed(f"the document is longer than {limit} characters")
    try:
        document = json.loads(content)
    except ValueError:
        raise _malformed("the document is not valid JSON") from None
    if not isinstance(document, dict):
        raise _malformed("the document must be a JSON object")
    return document


def _malformed(why: str) -> Invalid:
    return Invalid(f"The policy content is malformed: {why}.", MALFORMED)
