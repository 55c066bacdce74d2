"""An agency's trust policy (IAM v5 `trust_policy`): which principals may assume it, on which
conditions (`sts:ExternalId`, `sts:SourceIdentity`, `g:RequestTag/...`). Without one, the
agency's trusted account (`trust_domain_id`) alone decides.

    {"Version": "5.0", "Statement": [{"Effect": "Allow", "Action": ["sts:agencies:assume"],
      "Principal": {"IAM": ["<account id>" | "iam::<acct>:root" | "iam::<acct>:user:<name>"
                            | "sts::<acct>:assumed-agency:<agency>/<session>" | "*"]},
      "Condition": {"StringEquals": {"sts:ExternalId": ["..."]}}}]}
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Mapping
from typing import Any

from idplane.platform.authz import AccessRequest, Decision, decide, parse_policy
from idplane.platform.conditions import Values
from idplane.platform.errors import Invalid

ASSUME = "sts:agencies:assume"
PRINCIPAL_KINDS = ("IAM", "Service", "Federated")


def parse_trust_policy(text: str) -> dict[str, Any]:
    """A trust policy document from its JSON text; 400 when it is not one."""
    try:
        document = json.loads(text)
    except ValueError:
        raise Invalid("The trust policy is not valid JSON.", "PAP5.0011") from None
    statements = document.get("Statement") if isinstance(document, dict) else None
    if not isinstance(statements, list) or not statements:
        raise Invalid("The trust policy needs a non-empty Statement list.", "PAP5.0011")
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") not in ("Allow", "Deny"):
            raise Invalid("Each trust policy statement needs Effect Allow or Deny.", "PAP5.0011")
        principal = statement.get("Principal")
        if not isinstance(principal, dict) or not set(principal) <= set(PRINCIPAL_KINDS):
            raise Invalid("Each trust policy statement needs a Principal.", "PAP5.0011")
    return document


def names_principal(statement: Mapping[str, Any], kind: str, account_id: str, urn: str) -> bool:
    values = (statement.get("Principal") or {}).get(kind) or []
    values = [values] if isinstance(values, str) else values
    for value in values:
        value = str(value)
        if value in ("*", account_id, f"iam::{account_id}:root") or fnmatch.fnmatchcase(urn, value):
            return True
    return False


def trust_decision(
    policy: Mapping[str, Any],
    kind: str,
    account_id: str,
    urn: str,
    agency_urn: str,
    context: Mapping[str, Values],
) -> Decision:
    """Whether the policy lets the principal assume the agency in this request's context."""
    raw = [s for s in policy.get("Statement") or [] if names_principal(s, kind, account_id, urn)]
    statements = parse_policy({"Version": "5.0", "Statement": raw}, source="trust policy")
    return decide(statements, AccessRequest(ASSUME, agency_urn, context))


def still_trusted(policy: Mapping[str, Any], kind: str, account_id: str, urn: str) -> bool:
    """After the fact (a session in use): some Allow still names the principal and no
    unconditional Deny does. Conditions of the assume request are not re-judged."""
    allowed = False
    for statement in policy.get("Statement") or []:
        if not names_principal(statement, kind, account_id, urn):
            continue
        if statement.get("Effect") == "Deny" and not statement.get("Condition"):
            return False
        allowed = allowed or statement.get("Effect") == "Allow"
    return allowed
