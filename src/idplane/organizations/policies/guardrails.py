"""Service control policies as enforced guardrails: the `GuardrailSource` the one Authorizer
consults on every request.

A request made in a member account (by its root user, an IAM user, an agency session or
Identity Center credentials) must be allowed, at every level of the account's path from the
root (the root, each unit, the account itself), by an SCP attached at that level, and denied by
none of them. The management account is never restricted, nor is an account outside any
organization, nor an organization whose root has SCPs disabled. A closed (suspended) account
may do nothing.

Cost per check: two indexed queries (the member's row with its unit's stored path and the SCP
switch; the SCPs attached along that path), whatever the depth; statements are parsed once per
policy content and cached.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import and_, bindparam, select

from idplane.organizations import tree
from idplane.organizations.policies import grammar
from idplane.organizations.tables import (
    Member,
    Organization,
    OrganizationalUnit,
    Policy,
    PolicyAttachment,
    PolicyTypeStatus,
    Root,
)
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import AccessRequest, Decision
from idplane.platform.db import Store

# Built once: every request runs the first, and building a statement per call cost more
# than running it.
_PLACE = (
    select(
        Member.status,
        Member.organization_id,
        Organization.management_account_id,
        Root.id.label("root_id"),
        OrganizationalUnit.path,
        PolicyTypeStatus.status.label("scp"),
    )
    .join(Organization, Organization.id == Member.organization_id)
    .join(Root, Root.organization_id == Organization.id)
    .outerjoin(OrganizationalUnit, OrganizationalUnit.id == Member.parent_id)
    .outerjoin(
        PolicyTypeStatus,
        and_(PolicyTypeStatus.root_id == Root.id, PolicyTypeStatus.policy_type == tree.SCP),
    )
    .where(Member.account_id == bindparam("account_id"))
)
_ATTACHED = (
    select(PolicyAttachment.entity_id, Policy.id, Policy.name, Policy.content)
    .join(Policy, Policy.id == PolicyAttachment.policy_id)
    .where(
        PolicyAttachment.organization_id == bindparam("organization_id"),
        PolicyAttachment.entity_id.in_(bindparam("levels", expanding=True)),
        Policy.type == tree.SCP,
        Policy.dry_run.is_(False),
    )
)


class ScpGuardrails:
    def __init__(self, store: Store):
        self.store = store

    def decision_for(self, caller: Caller, request: AccessRequest) -> Decision | None:
        with self.store.read_connection() as connection:
            place = connection.execute(_PLACE, {"account_id": caller.account_id}).first()
            if place is None or place.management_account_id == caller.account_id:
                return None
            if place.status == "suspended":
                return _refusal(request, f"the account {caller.account_id} is closed")
            if place.scp != "enabled":
                return None
            levels = [place.root_id, *(place.path.split("/") if place.path else [])]
            levels.append(caller.account_id)
            rows = connection.execute(
                _ATTACHED, {"organization_id": place.organization_id, "levels": levels}
            ).all()
        return evaluate(levels, rows, request)


def evaluate(levels: list[str], rows: Sequence[Any], request: AccessRequest) -> Decision | None:
    """Any applying Deny refuses; otherwise every level needs an applying Allow."""
    by_level: dict[str, list] = defaultdict(list)
    for row in rows:
        by_level[row.entity_id].append(row)
    for row in rows:
        for statement in grammar.statements(row.content):
            if statement.effect == "Deny" and statement.applies(request):
                where = f"service control policy {row.name} ({row.id}) attached to {row.entity_id}"
                return _refusal(
                    request,
                    f"explicitly denied by {where}",
                    (replace(statement, source=where),),
                    explicit=True,
                )
    for level in levels:
        if not any(
            statement.effect == "Allow" and statement.applies(request)
            for row in by_level[level]
            for statement in grammar.statements(row.content)
        ):
            return _refusal(request, f"no service control policy attached to {level} allows it")
    return None


def _refusal(
    request: AccessRequest, reason: str, matched: tuple = (), explicit: bool = False
) -> Decision:
    message = f"Service control policy doesn't allow {request.action} to be performed: {reason}."
    return Decision(False, explicit, matched, reason, message)
