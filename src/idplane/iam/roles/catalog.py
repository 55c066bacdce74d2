"""The system roles and policies every account can grant, read once from
`data/system_roles.json`. They are static data shared by all accounts (`domain_id` null)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

# Which scopes a role's `type` allows it to be granted on (Huawei's AX/XA/AA).
GRANTABLE_ON_DOMAIN = {"AX", "AA"}
GRANTABLE_ON_PROJECT = {"XA", "AA"}


@dataclass(frozen=True)
class SystemRole:
    id: str
    name: str
    display_name: str
    description: str
    catalog: str
    type: str
    policy: dict[str, Any]
    description_cn: str | None = None
    flag: str | None = None

    @property
    def is_policy(self) -> bool:
        """Fine-grained policy (Version 1.1) rather than a coarse-grained role (Version 1.0)."""
        return self.policy.get("Version") != "1.0"


class RoleCatalog:
    def __init__(self, roles: list[SystemRole]):
        self.roles = roles
        self._by_id = {role.id: role for role in roles}
        self._by_name = {role.name: role for role in roles}
        self._by_display = {role.display_name: role for role in roles}

    def get(self, role_id: str) -> SystemRole | None:
        return self._by_id.get(role_id)

    def named(self, name: str) -> SystemRole:
        """By Keystone name (`secu_admin`) or display name (`Security Administrator`)."""
        role = self._by_name.get(name) or self._by_display.get(name)
        if role is None:
            raise KeyError(f"no system role named {name}")
        return role


@cache
def system_roles() -> RoleCatalog:
    text = resources.files("idplane.iam.roles").joinpath("data/system_roles.json").read_text()
    return RoleCatalog([SystemRole(**raw) for raw in json.loads(text)["roles"]])
