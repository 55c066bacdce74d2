"""The one authorization point: `Authorizer.authorize(caller, action, account_id=...)`.

Actions are named as the real services name them (`IdentityCenter:accountAssignment:create`,
`iam:identityProviders:delete`, `organizations:delegatedAdministrators:register`). The rules:
a caller never acts on another account's objects; an account's root user may do anything in
its own account; an IAM user needs an Allow from its policies and no explicit Deny.
Service-specific gates (Identity Center's "management account or delegated administrator")
sit on top of this in the service that owns them.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from idplane.platform.auth.caller import Caller
from idplane.platform.errors import Forbidden


@dataclass(frozen=True)
class Statement:
    effect: str  # "Allow" or "Deny"
    actions: tuple[str, ...]
    # Actions this statement leaves out: a coarse-grained role's own Deny narrows only that
    # role's Allow (Tenant Administrator = everything but IAM), never another grant's.
    excluded: tuple[str, ...] = ()

    def matches(self, action: str) -> bool:
        return any(action_matches(p, action) for p in self.actions) and not any(
            action_matches(p, action) for p in self.excluded
        )


class PolicySource(Protocol):
    def statements_for(self, caller: Caller) -> Iterable[Statement]:
        """Every statement that applies to the caller (its groups' roles and policies)."""


class GuardrailDenial(Protocol):
    def message(self, action: str) -> str: ...


class GuardrailSource(Protocol):
    """The organization's guardrails (service control policies) over the caller's account,
    on top of IAM: they bind member accounts' root users too."""

    def denial_for(self, caller: Caller, action: str) -> GuardrailDenial | None:
        """Why the guardrails refuse the action, or None when they let it through."""


def action_matches(pattern: str, action: str) -> bool:
    """`IdentityCenter:*:list*` matches `IdentityCenter:permissionSet:listPermissionSets`.

    Service names compare case-insensitively (policies say `iam:` and `IAM:` alike)."""
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def evaluate(statements: Iterable[Statement], action: str) -> bool:
    """Explicit Deny wins; otherwise any Allow allows; no Allow means denied."""
    allowed = False
    for statement in statements:
        if statement.matches(action):
            if statement.effect == "Deny":
                return False
            allowed = allowed or statement.effect == "Allow"
    return allowed


class Authorizer:
    def __init__(
        self, policies: PolicySource | None = None, guardrails: GuardrailSource | None = None
    ):
        self.policies = policies
        self.guardrails = guardrails

    def is_allowed(self, caller: Caller, action: str, account_id: str | None = None) -> bool:
        if account_id is not None and account_id != caller.account_id:
            return False
        session = _session_statements(caller)
        if session is not None and not evaluate(session, action):
            return False
        if self.guardrails is not None and self.guardrails.denial_for(caller, action):
            return False
        if caller.is_root:
            return True
        if self.policies is None:
            return False
        return evaluate(self.policies.statements_for(caller), action)

    def authorize(
        self, caller: Caller, action: str, account_id: str | None = None, code: str | None = None
    ) -> None:
        if not self.is_allowed(caller, action, account_id):
            # Asked again only on the refusal path, to name the guardrail that refused.
            denial = self.guardrails.denial_for(caller, action) if self.guardrails else None
            message = denial.message(action) if denial else None
            raise Forbidden(message or f"Policy doesn't allow {action} to be performed.", code)


def _session_statements(caller: Caller) -> list[Statement] | None:
    """A temporary credential may carry a session policy that narrows what it can do."""
    if not caller.session_policy:
        return None
    statements = []
    for raw in caller.session_policy.get("Statement", []):
        actions = raw.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        statements.append(Statement(raw.get("Effect", "Deny"), tuple(actions)))
    return statements
