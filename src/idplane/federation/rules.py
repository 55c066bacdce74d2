"""The structure of a mapping's rules, checked as Keystone's MAPPING_SCHEMA does, with Huawei's
relaxations (a local group is named without a domain: groups live in the account).

A rule maps remote (assertion) attributes to local identities:
`{"local": [{"user": {"name": "{0}"}}, {"group": {"name": "admins"}}],
  "remote": [{"type": "UserName"}, {"type": "orgUnit", "any_one_of": ["IT"], "regex": false}]}`.
Every problem is reported with its place (`rules[0].remote[1]`), so a 400 says what to fix.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from idplane.platform.errors import Invalid

BODY_INVALID = "IAM.0011"
MAX_RULES = 100
CONDITIONS = ("any_one_of", "not_any_of", "blacklist", "whitelist")
REGEX_CONDITIONS = ("any_one_of", "not_any_of")
LOCAL_KEYS = {"user", "group", "groups", "group_ids", "domain", "projects"}
USER_KEYS = {"id", "name", "email", "domain", "type"}
USER_TYPES = ("ephemeral", "local")


def validate_rules(rules: Any) -> list[dict]:
    """Returns the rules unchanged if they are well formed; raises Invalid otherwise."""
    if not isinstance(rules, list) or not rules:
        _fail("rules", "must be a non-empty array of rules")
    if len(rules) > MAX_RULES:
        _fail("rules", f"may hold at most {MAX_RULES} rules")
    for index, rule in enumerate(rules):
        _check_rule(rule, f"rules[{index}]")
    return rules


def _check_rule(rule: Any, where: str) -> None:
    _object(rule, where, required={"local", "remote"}, allowed={"local", "remote"})
    _array(rule["local"], f"{where}.local")
    for index, local in enumerate(rule["local"]):
        _check_local(local, f"{where}.local[{index}]")
    _array(rule["remote"], f"{where}.remote")
    for index, remote in enumerate(rule["remote"]):
        _check_remote(remote, f"{where}.remote[{index}]")


def _check_local(local: Any, where: str) -> None:
    _object(local, where, allowed=LOCAL_KEYS)
    if not local:
        _fail(where, f"must name at least one of {', '.join(sorted(LOCAL_KEYS))}")
    if "user" in local:
        _check_user(local["user"], f"{where}.user")
    if "group" in local:
        _check_group(local["group"], f"{where}.group")
    for key in ("groups", "group_ids"):
        if key in local:
            _string(local[key], f"{where}.{key}")
    if "domain" in local:
        _check_domain(local["domain"], f"{where}.domain")
    if "projects" in local:
        _check_projects(local["projects"], f"{where}.projects")


def _check_user(user: Any, where: str) -> None:
    _object(user, where, allowed=USER_KEYS)
    for key in ("id", "name", "email"):
        if key in user:
            _string(user[key], f"{where}.{key}")
    if "domain" in user:
        _check_domain(user["domain"], f"{where}.domain")
    if "type" in user and user["type"] not in USER_TYPES:
        _fail(f"{where}.type", f"must be one of {', '.join(USER_TYPES)}")


def _check_group(group: Any, where: str) -> None:
    _object(group, where, allowed={"id", "name", "domain"})
    if "id" in group:
        if set(group) != {"id"}:
            _fail(where, "names a group either by id alone or by name (and domain)")
        _string(group["id"], f"{where}.id")
        return
    if "name" not in group:
        _fail(where, "needs a name or an id")
    _string(group["name"], f"{where}.name")
    if "domain" in group:
        _check_domain(group["domain"], f"{where}.domain")


def _check_domain(domain: Any, where: str) -> None:
    _object(domain, where, allowed={"id", "name"})
    for key in domain:
        _string(domain[key], f"{where}.{key}")


def _check_projects(projects: Any, where: str) -> None:
    _array(projects, where, allow_empty=True)
    for index, project in enumerate(projects):
        place = f"{where}[{index}]"
        _object(project, place, required={"name", "roles"}, allowed={"name", "roles"})
        _string(project["name"], f"{place}.name")
        _array(project["roles"], f"{place}.roles", allow_empty=True)
        for number, role in enumerate(project["roles"]):
            _object(role, f"{place}.roles[{number}]", required={"name"}, allowed={"name"})
            _string(role["name"], f"{place}.roles[{number}].name")


def _check_remote(remote: Any, where: str) -> None:
    _object(remote, where, required={"type"}, allowed={"type", "regex", *CONDITIONS})
    _string(remote["type"], f"{where}.type")
    conditions = [key for key in CONDITIONS if key in remote]
    if len(conditions) > 1:
        _fail(where, f"{' and '.join(conditions)} cannot be used together in one remote element")
    for key in conditions:
        _array(remote[key], f"{where}.{key}", allow_empty=True)
        for index, value in enumerate(remote[key]):
            _string(value, f"{where}.{key}[{index}]")
    if "regex" in remote:
        _check_regex(remote, conditions, where)


def _check_regex(remote: dict, conditions: list[str], where: str) -> None:
    if not isinstance(remote["regex"], bool):
        _fail(f"{where}.regex", "must be a boolean")
    if not conditions or conditions[0] not in REGEX_CONDITIONS:
        _fail(f"{where}.regex", "applies only to any_one_of or not_any_of")
    if remote["regex"]:
        for index, pattern in enumerate(remote[conditions[0]]):
            try:
                re.compile(pattern)
            except re.error as error:
                _fail(f"{where}.{conditions[0]}[{index}]", f"is not a valid regex ({error})")


def _object(value: Any, where: str, *, required: set[str] | None = None, allowed: set[str]) -> None:
    if not isinstance(value, dict):
        _fail(where, "must be an object")
    missing = sorted((required or set()) - set(value))
    if missing:
        _fail(where, f"'{missing[0]}' is a required property")
    unknown = sorted(set(value) - allowed)
    if unknown:
        _fail(where, f"'{unknown[0]}' is not an allowed property")


def _array(value: Any, where: str, *, allow_empty: bool = False) -> None:
    if not isinstance(value, list):
        _fail(where, "must be an array")
    if not value and not allow_empty:
        _fail(where, "must not be empty")


def _string(value: Any, where: str) -> None:
    if not isinstance(value, str):
        _fail(where, "must be a string")


def _fail(where: str, problem: str) -> NoReturn:
    raise Invalid(f"Invalid mapping: mapping.{where} {problem}.", BODY_INVALID)
