"""Evaluating a mapping's rules against an assertion, with Keystone 30's semantics
(keystone.federation.utils.RuleProcessor), so rules written for Keystone mean the same here.

- Assertion values are strings; a multi-valued attribute is `;`-separated (lists are joined).
- A rule applies when every `remote` element is satisfied: its attribute is present and
  non-empty, `any_one_of` matches at least one value, `not_any_of` matches none (with `regex`,
  values are matched by `re.search`). Each element that is not `any_one_of`/`not_any_of`
  captures the attribute's values, filtered by `whitelist` (only the listed) or `blacklist`
  (all but the listed), for `{0}`, `{1}`... in `local` (one value as itself, several as a
  Python list literal, as Keystone formats them).
- The locals of all applying rules are merged: the first `user` wins; `group` by id or by name
  and domain, `groups` (a list literal, or one name) with `domain`, and `group_ids` add up.
- No applying rule: the sign-in fails. User `type` defaults to `ephemeral`.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass, field
from typing import Any

from idplane.platform.errors import Unauthenticated

EPHEMERAL = "ephemeral"
LOCAL = "local"
NO_MATCH = "Could not map any federated user properties to identity values."


@dataclass
class Mapped:
    """What the rules made of one assertion."""

    user: dict[str, Any] = field(default_factory=dict)
    group_ids: list[str] = field(default_factory=list)
    group_names: list[dict[str, Any]] = field(default_factory=list)  # {name, domain{id|name}}
    projects: list[dict[str, Any]] = field(default_factory=list)

    @property
    def user_type(self) -> str:
        return self.user.get("type") or EPHEMERAL


def normalize_assertion(claims: dict[str, Any]) -> dict[str, list[str]]:
    """Claims or SAML attributes as Keystone sees them: name -> list of string values."""
    assertion: dict[str, list[str]] = {}
    for name, value in claims.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        if isinstance(value, (int, float)):
            value = str(value)
        if isinstance(value, list):
            value = ";".join(str(v) for v in value)
        if isinstance(value, str):
            assertion[name] = value.split(";")
    return assertion


def evaluate(rules: list[dict], claims: dict[str, Any]) -> Mapped:
    assertion = normalize_assertion(claims)
    identity_values: list[dict] = []
    for rule in rules:
        captured = _requirements_met(rule["remote"], assertion)
        if captured is None:
            continue
        if not captured:
            identity_values += rule["local"]
        else:
            identity_values += [_substitute(local, captured) for local in rule["local"]]
    if not identity_values:
        raise Unauthenticated(NO_MATCH, "IAM.0101")
    return _transform(identity_values)


def _requirements_met(remotes: list[dict], assertion: dict[str, list[str]]) -> list | None:
    captured: list = []
    for remote in remotes:
        values = assertion.get(remote["type"])
        if not values:
            return None
        regex = bool(remote.get("regex", False))
        if "any_one_of" in remote:
            if not _matches(remote["any_one_of"], values, regex):
                return None
            continue
        if "not_any_of" in remote:
            if _matches(remote["not_any_of"], values, regex):
                return None
            continue
        if "blacklist" in remote:
            hits = set(_matches(remote["blacklist"], values, regex))
            values = [v for v in values if v not in hits]
        elif "whitelist" in remote:
            hits = set(_matches(remote["whitelist"], values, regex))
            values = [v for v in values if v in hits]
        captured.append(values)
    return captured


def _matches(patterns: list[str], values: list[str], regex: bool) -> list[str]:
    if regex:
        return [v for v in values if any(re.search(p, v) for p in patterns)]
    wanted = set(patterns)
    return [v for v in values if v in wanted]


def _substitute(local: Any, captured: list) -> Any:
    if isinstance(local, dict):
        return {key: _substitute(value, captured) for key, value in local.items()}
    if isinstance(local, list):
        return [_substitute(item, captured) for item in local]
    if isinstance(local, str):
        arguments = [c[0] if len(c) == 1 else c for c in captured]
        return _format(local, arguments)
    return local


def _format(template: str, arguments: list) -> str:
    """Keystone's `template.format(*captures)`, limited to positional fields (`{0}`, `{1}`,
    `{{`/`}}` escapes): no attribute or item access, conversions or format specs."""
    out: list[str] = []
    try:
        for literal, field, spec, conversion in string.Formatter().parse(template):
            out.append(literal)
            if field is None:
                continue
            if not field.isdigit() or spec or conversion:
                raise ValueError(field)
            out.append(str(arguments[int(field)]))
    except (IndexError, ValueError):
        raise Unauthenticated(
            f"The mapping refers to a remote match that does not exist: {template}", "IAM.0101"
        ) from None
    return "".join(out)


def _literal_list(value: Any) -> list:
    if isinstance(value, list):
        return value
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return [value]
    return parsed if isinstance(parsed, list) else [value]


def _transform(identity_values: list[dict]) -> Mapped:
    mapped = Mapped()
    seen_ids: set[str] = set()
    for value in identity_values:
        if "user" in value and not mapped.user:
            mapped.user = dict(value["user"])
        group = value.get("group")
        if isinstance(group, dict):
            if "id" in group:
                _add_id(mapped, seen_ids, group["id"])
            elif "name" in group:
                mapped.group_names.append(
                    {"name": group["name"], "domain": group.get("domain") or {}}
                )
        if "groups" in value:
            for name in _literal_list(value["groups"]):
                if isinstance(name, str) and name:
                    mapped.group_names.append({"name": name, "domain": value.get("domain") or {}})
        if "group_ids" in value:
            for group_id in _literal_list(value["group_ids"]):
                if isinstance(group_id, str) and group_id:
                    _add_id(mapped, seen_ids, group_id)
        if "projects" in value:
            mapped.projects = value["projects"]
    if mapped.user_type not in (EPHEMERAL, LOCAL):
        raise Unauthenticated(f"User type {mapped.user_type} not supported", "IAM.0101")
    return mapped


def _add_id(mapped: Mapped, seen: set[str], group_id: str) -> None:
    if group_id not in seen:
        seen.add(group_id)
        mapped.group_ids.append(group_id)
