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
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.conditions import Values, conditions_hold
from idplane.platform.errors import Forbidden

MAX_MATCHED = 5  # statements quoted in a denial message
MAX_MESSAGE = 7000  # characters of a denial message before it is sealed


@dataclass(frozen=True)
class Statement:
    effect: str  # "Allow" or "Deny"
    actions: tuple[str, ...]
    # Actions this statement leaves out: a coarse-grained role's own Deny narrows only that
    # role's Allow (Tenant Administrator = everything but IAM), never another grant's.
    excluded: tuple[str, ...] = ()
    resources: tuple[str, ...] | None = None  # URN patterns; None: every resource
    condition: Mapping[str, Any] | None = field(default=None, compare=False, hash=False)
    source: str = ""  # the policy it comes from, for denial messages

    def matches(self, action: str) -> bool:
        return any(action_matches(p, action) for p in self.actions) and not any(
            action_matches(p, action) for p in self.excluded
        )

    def applies(self, request: AccessRequest) -> bool:
        """Action, resource and condition all match. What cannot be judged (a resource the
        service did not name, an unknown key or operator) fails closed: an Allow does not
        apply, a Deny does."""
        if not self.matches(request.action):
            return False
        verdicts = [self._resource_verdict(request.resource)]
        if self.condition:
            verdicts.append(conditions_hold(self.condition, request.context))
        if False in verdicts:
            return False
        return None not in verdicts or self.effect == "Deny"

    def _resource_verdict(self, resource: str | None) -> bool | None:
        if self.resources is None:
            return True
        if resource is None:
            return None
        return any(resource_matches(p, resource) for p in self.resources)

    def describe(self) -> dict[str, Any]:
        view: dict[str, Any] = {"source": self.source, "effect": self.effect}
        view["action"] = list(self.actions)
        if self.resources is not None:
            view["resource"] = list(self.resources)
        if self.condition:
            view["condition"] = self.condition
        return view


@dataclass(frozen=True)
class AccessRequest:
    action: str
    resource: str | None = None  # the target's URN, when the service names one
    context: Mapping[str, Values] = field(default_factory=dict)  # lower-case condition keys


@dataclass(frozen=True)
class Decision:
    allowed: bool
    explicit_deny: bool = False
    matched: tuple[Statement, ...] = ()
    reason: str = ""
    message: str | None = None  # the 403's error_msg, when more precise than the generic one


class PolicySource(Protocol):
    def statements_for(self, caller: Caller) -> Iterable[Statement]:
        """Every statement that applies to the caller (its groups' roles and policies)."""


class GuardrailSource(Protocol):
    """The organization's guardrails (service control policies) over the caller's account,
    on top of IAM: they bind member accounts' root users too."""

    def decision_for(self, caller: Caller, request: AccessRequest) -> Decision | None:
        """A refusing Decision naming the guardrail, or None when they let the request by."""


def action_matches(pattern: str, action: str) -> bool:
    """`IdentityCenter:*:list*` matches `IdentityCenter:permissionSet:listPermissionSets`.

    Service names compare case-insensitively (policies say `iam:` and `IAM:` alike)."""
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def resource_matches(pattern: str, urn: str) -> bool:
    """`iam::*:user:*` matches `iam::<account>:user:alice`; `*` alone matches everything.
    Service and type compare case-insensitively, names exactly."""
    if pattern == "*":
        return True
    head_p, _, name_p = pattern.partition(":")
    head_u, _, name_u = urn.partition(":")
    return head_p.lower() == head_u.lower() and fnmatch.fnmatchcase(name_u, name_p)


def decide(statements: Iterable[Statement], request: AccessRequest) -> Decision:
    """Explicit Deny wins; otherwise any Allow allows; no Allow means denied."""
    allows: list[Statement] = []
    for statement in statements:
        if statement.applies(request):
            if statement.effect == "Deny":
                return Decision(False, True, (statement,), "an explicit Deny matches")
            if statement.effect == "Allow":
                allows.append(statement)
    if allows:
        return Decision(True, matched=tuple(allows[:MAX_MATCHED]))
    return Decision(False, reason="no statement allows the action")


def evaluate(
    statements: Iterable[Statement], action: str, request: AccessRequest | None = None
) -> bool:
    return decide(statements, request or AccessRequest(action)).allowed


def caller_context(caller: Caller) -> dict[str, Values]:
    """The global condition keys (`g:...`) that describe the caller and the moment."""
    moment = now()
    context: dict[str, Values] = {
        "g:currenttime": (moment.strftime("%Y-%m-%dT%H:%M:%SZ"),),
        "g:epochtime": (str(int(moment.timestamp())),),
        "g:principalaccount": (caller.account_id,),
        "g:domainid": (caller.account_id,),
        "g:domainname": (caller.account_name,),
        "g:principalurn": (caller.principal_urn,),
        "g:principalid": (caller.principal_id,),
        "g:principalisrootuser": ("true" if caller.is_root else "false",),
        "g:mfapresent": ("true" if caller.mfa_present else "false",),
    }
    session = caller.session
    if session is not None:
        context["g:principaltype"] = ("AssumedAgency",)
        if session.source_identity:
            context["g:sourceidentity"] = (session.source_identity,)
        for key, value in session.tags:
            context[f"g:principaltag/{key.lower()}"] = (value,)
    else:
        context["g:principaltype"] = ("Root" if caller.is_root else "User",)
        if caller.user_id:
            context["g:userid"] = (caller.user_id,)
            context["g:username"] = (caller.user_name or "",)
    return context


def request_tags(tags: Mapping[str, str]) -> dict[str, Values]:
    """`g:RequestTag/<key>` and `g:TagKeys` for a request that passes tags."""
    context: dict[str, Values] = {f"g:requesttag/{k.lower()}": (v,) for k, v in tags.items()}
    context["g:tagkeys"] = tuple(tags)
    return context


class Authorizer:
    def __init__(
        self,
        policies: PolicySource | None = None,
        seal: Callable[[str], str] | None = None,
        guardrails: GuardrailSource | None = None,
    ):
        self.policies = policies
        self.seal = seal  # encrypts denial messages (the server's master key)
        self.guardrails = guardrails

    def decision(
        self,
        caller: Caller,
        action: str,
        account_id: str | None = None,
        resource: str | None = None,
        context: Mapping[str, Values] | None = None,
    ) -> Decision:
        if account_id is not None and account_id != caller.account_id:
            return Decision(False, reason="the target belongs to another account")
        request = AccessRequest(action, resource, {**caller_context(caller), **(context or {})})
        session = _session_statements(caller)
        if session is not None:
            narrowed = decide(session, request)
            if not narrowed.allowed:
                return Decision(
                    False,
                    narrowed.explicit_deny,
                    narrowed.matched,
                    f"the session policy does not allow it: {narrowed.reason}",
                )
        if self.guardrails is not None:
            refused = self.guardrails.decision_for(caller, request)
            if refused is not None:
                return refused
        if caller.is_root:
            return Decision(True, reason="the account's root user")
        if self.policies is None:
            return Decision(False, reason="no policy source")
        return decide(self.policies.statements_for(caller), request)

    def is_allowed(
        self,
        caller: Caller,
        action: str,
        account_id: str | None = None,
        resource: str | None = None,
        context: Mapping[str, Values] | None = None,
    ) -> bool:
        return self.decision(caller, action, account_id, resource, context).allowed

    def authorize(
        self,
        caller: Caller,
        action: str,
        account_id: str | None = None,
        code: str | None = None,
        resource: str | None = None,
        context: Mapping[str, Values] | None = None,
    ) -> None:
        decision = self.decision(caller, action, account_id, resource, context)
        if not decision.allowed:
            generic = f"Policy doesn't allow {action} to be performed."
            error = Forbidden(decision.message or generic, code)
            error.authorization_message = self.encode_denial(
                caller, AccessRequest(action, resource, context or {}), decision
            )
            raise error

    def encode_denial(
        self, caller: Caller, request: AccessRequest, decision: Decision
    ) -> str | None:
        """The 403's `encoded_authorization_message`: sealed, so only STS can read it."""
        if self.seal is None:
            return None
        message = {
            "allowed": False,
            "explicit_deny": decision.explicit_deny,
            "reason": decision.reason,
            "matched_statements": [s.describe() for s in decision.matched[:MAX_MATCHED]],
            "context": {
                "principal": {
                    "account_id": caller.account_id,
                    "urn": caller.principal_urn,
                    "id": caller.principal_id,
                },
                "action": request.action,
                "resource": request.resource,
                "conditions": {k: list(v) for k, v in request.context.items()},
            },
        }
        text = json.dumps(message, separators=(",", ":"))
        if len(text) > MAX_MESSAGE:  # keep it decodable within STS's 10240-character limit
            message["matched_statements"] = [
                {"source": s.source, "effect": s.effect} for s in decision.matched
            ]
            text = json.dumps(message, separators=(",", ":"))[:MAX_MESSAGE]
        return self.seal(text)


def _session_statements(caller: Caller) -> list[Statement] | None:
    """A temporary credential may carry a session policy that narrows what it can do."""
    if not caller.session_policy:
        return None
    return parse_policy(caller.session_policy, source="session policy")


def parse_policy(document: Mapping[str, Any], source: str = "") -> list[Statement]:
    """A policy document as statements. A Version 1.0 role is self-contained: its Deny only
    narrows its own Allow. In fine-grained policies (1.1, 5.0) a Deny applies to every grant,
    and `Resource` and `Condition` are evaluated (see Statement.applies)."""
    raw = [s for s in (document.get("Statement") or []) if isinstance(s, Mapping)]
    if document.get("Version") == "1.0":
        denied = tuple(_alias(a) for s in raw if s.get("Effect") == "Deny" for a in _listed(s))
        return [
            Statement("Allow", tuple(_alias(a) for a in _listed(s)), excluded=denied, source=source)
            for s in raw
            if s.get("Effect") == "Allow"
        ]
    return [
        Statement(
            s.get("Effect", "Deny"),
            tuple(_listed(s)),
            resources=_resources(s.get("Resource")),
            condition=s.get("Condition") or None,
            source=source,
        )
        for s in raw
    ]


def _listed(statement: Mapping[str, Any], key: str = "Action") -> list[str]:
    values = statement.get(key) or []
    return [values] if isinstance(values, str) else [str(v) for v in values]


def _alias(pattern: str) -> str:
    # Version 1.0 roles name IAM `identity:`; fine-grained actions are `iam:...`.
    if pattern.lower().startswith("identity:"):
        return "iam:" + pattern[len("identity:") :]
    return pattern


def _resources(resource: Any) -> tuple[str, ...] | None:
    """None when the statement covers every resource (absent, `*`, or only `*`/`:` URNs)."""
    if resource is None:
        return None
    items = [resource] if isinstance(resource, str) else resource
    if isinstance(items, Mapping):  # Version 1.1 `{"uri": [...]}` forms: cannot be judged here
        return ("<unsupported resource form>",)
    patterns = tuple(str(r) for r in items)
    if all(set(p) <= {"*", ":"} for p in patterns):
        return None
    return patterns
