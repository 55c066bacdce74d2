"""Permissions an account can grant: the system roles and policies (one catalog for every
account) and the account's own custom policies (`/v3.0/OS-ROLE/roles`).

A custom policy is a Version 1.1 document: Statements with Effect Allow or Deny and Action
patterns `service:resource:action` (wildcards allowed). Deleting a custom policy removes every
grant of it to groups and agencies (database cascades).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.iam.agencies.tables import AgencyRole
from idplane.iam.permissions.tables import GroupRole
from idplane.iam.roles.catalog import RoleCatalog, SystemRole
from idplane.iam.roles.tables import CustomPolicy
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.db import Store
from idplane.platform.errors import Conflict, Invalid, NotFound

# The resource segment may be empty: STS documents `sts::tagSession`, `sts::setSourceIdentity`.
ACTION = re.compile(r"^[A-Za-z0-9*?_\-]+:[A-Za-z0-9*?_\-]*:[A-Za-z0-9*?_\-]+$")
MAX_POLICY_CHARS = 6144
CUSTOM_TYPES = ("AX", "XA")
TYPE_FILTER = {"domain": {"AA", "AX"}, "project": {"AA", "XA"}, "all": {"AA", "AX", "XA"}}

Role = SystemRole | CustomPolicy


@dataclass(frozen=True)
class PermissionFilter:
    name: str | None = None
    domain_id: str | None = None
    display_name: str | None = None
    permission_type: str | None = None  # policy | role
    type: str | None = None  # domain | project | all
    catalog: str | None = None


@dataclass(frozen=True)
class PolicySpec:
    display_name: str
    type: str
    description: str
    description_cn: str | None
    policy: dict[str, Any]


class RoleService:
    def __init__(self, store: Store, authorizer: Authorizer, catalog: RoleCatalog):
        self.store = store
        self.authorizer = authorizer
        self.catalog = catalog

    def _authorize(self, caller: Caller, verb: str, account_id: str | None = None) -> None:
        self.authorizer.authorize(
            caller, f"iam:roles:{verb}", account_id=account_id or caller.account_id
        )

    # /v3/roles: system permissions, or an account's custom policies with domain_id --------

    def list_permissions(self, caller: Caller, query: PermissionFilter) -> list[Role]:
        self._authorize(caller, "listRoles", query.domain_id)
        if query.permission_type not in (None, "policy", "role"):
            raise Invalid("permission_type must be policy or role.", "IAM.0007")
        if query.type is not None and query.type not in TYPE_FILTER:
            raise Invalid("type must be domain, project or all.", "IAM.0007")
        roles: list[Role]
        if query.domain_id:
            with self.store.read() as session:
                roles = list(_custom_policies(session, caller.account_id))
        else:
            roles = list(self.catalog.roles)
        return [r for r in roles if _selected(r, query)]

    def show_permission(self, caller: Caller, role_id: str) -> Role:
        self._authorize(caller, "getRole")
        with self.store.read() as session:
            return self.role_in(session, caller.account_id, role_id)

    def role_in(self, session: Session, account_id: str, role_id: str) -> Role:
        """A system role, or a custom policy of the account; 404 otherwise."""
        role = self.catalog.get(role_id)
        if role is not None:
            return role
        policy = session.scalar(
            select(CustomPolicy).where(
                CustomPolicy.id == role_id, CustomPolicy.account_id == account_id
            )
        )
        if policy is None:
            raise NotFound(f"Could not find role: {role_id}.")
        return policy

    # /v3.0/OS-ROLE/roles: custom policies -------------------------------------------------

    def create_custom_policy(self, caller: Caller, spec: PolicySpec) -> CustomPolicy:
        self._authorize(caller, "createRole")
        _check(spec)
        moment = now()
        policy_id = ids.hex32()
        policy = CustomPolicy(
            id=policy_id,
            account_id=caller.account_id,
            name=f"custom_{caller.account_id}_{policy_id[:8]}",
            created_at=moment,
        )
        _fill(policy, spec, moment)
        with self.store.transaction() as session:
            session.add(policy)
            _flush_unique(session, spec.display_name)
            return policy

    def list_custom_policies(self, caller: Caller) -> list[CustomPolicy]:
        self._authorize(caller, "listRoles")
        with self.store.read() as session:
            return list(_custom_policies(session, caller.account_id))

    def show_custom_policy(self, caller: Caller, role_id: str) -> tuple[CustomPolicy, int]:
        """The policy and how many grants reference it."""
        self._authorize(caller, "getRole")
        with self.store.read() as session:
            policy = _custom_in(session, caller.account_id, role_id)
            references = sum(
                session.scalar(
                    select(func.count()).select_from(t).where(t.custom_policy_id == policy.id)
                )
                or 0
                for t in (GroupRole, AgencyRole)
            )
            return policy, references

    def update_custom_policy(self, caller: Caller, role_id: str, spec: PolicySpec) -> CustomPolicy:
        self._authorize(caller, "updateRole")
        _check(spec)
        with self.store.transaction() as session:
            policy = _custom_in(session, caller.account_id, role_id)
            if spec.type != policy.type and _referenced(session, policy.id):
                raise Invalid("The type of a granted policy cannot change.", "IAM.0007")
            _fill(policy, spec, now())
            _flush_unique(session, spec.display_name)
            return policy

    def delete_custom_policy(self, caller: Caller, role_id: str) -> None:
        self._authorize(caller, "deleteRole")
        with self.store.transaction() as session:
            session.delete(_custom_in(session, caller.account_id, role_id))


def _custom_policies(session: Session, account_id: str):
    return session.scalars(
        select(CustomPolicy).where(CustomPolicy.account_id == account_id).order_by(CustomPolicy.seq)
    )


def _custom_in(session: Session, account_id: str, role_id: str) -> CustomPolicy:
    policy = session.scalar(
        select(CustomPolicy).where(
            CustomPolicy.id == role_id, CustomPolicy.account_id == account_id
        )
    )
    if policy is None:
        raise NotFound(f"Could not find role: {role_id}.")
    return policy


def _referenced(session: Session, policy_id: str) -> bool:
    return any(
        session.scalar(select(t.seq).where(t.custom_policy_id == policy_id).limit(1))
        for t in (GroupRole, AgencyRole)
    )


def _selected(role: Role, query: PermissionFilter) -> bool:
    is_policy = role.is_policy if isinstance(role, SystemRole) else True
    return (
        (query.name is None or role.name == query.name)
        and (query.display_name is None or role.display_name == query.display_name)
        and (query.catalog is None or _catalog_of(role) == query.catalog)
        and (query.type is None or role.type in TYPE_FILTER[query.type])
        and (query.permission_type is None or is_policy == (query.permission_type == "policy"))
    )


def _catalog_of(role: Role) -> str:
    return role.catalog if isinstance(role, SystemRole) else "CUSTOMED"


def _fill(policy: CustomPolicy, spec: PolicySpec, moment) -> None:
    policy.display_name = spec.display_name
    policy.type = spec.type
    policy.description = spec.description
    policy.description_cn = spec.description_cn
    policy.policy = spec.policy
    policy.updated_at = moment


def _check(spec: PolicySpec) -> None:
    if not 1 <= len(spec.display_name) <= 128:
        raise Invalid("display_name must have 1 to 128 characters.", "IAM.0007")
    if spec.type not in CUSTOM_TYPES:
        raise Invalid("type must be AX (global services) or XA (projects).", "IAM.0007")
    check_policy_document(spec.policy)


def check_policy_document(document: dict[str, Any]) -> None:
    """A fine-grained (Version 1.1) policy: every statement names its Effect and at least one
    well-formed action."""
    if document.get("Version") != "1.1":
        raise Invalid("policy.Version must be 1.1.", "IAM.0007")
    statements = document.get("Statement")
    if not isinstance(statements, list) or not statements:
        raise Invalid("policy.Statement must be a non-empty list.", "IAM.0007")
    for index, statement in enumerate(statements):
        where = f"policy.Statement[{index}]"
        if not isinstance(statement, dict):
            raise Invalid(f"{where} must be an object.", "IAM.0007")
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise Invalid(f"{where}.Effect must be Allow or Deny.", "IAM.0007")
        actions = statement.get("Action")
        if not isinstance(actions, list) or not actions:
            raise Invalid(f"{where}.Action must be a non-empty list.", "IAM.0007")
        for action in actions:
            if not isinstance(action, str) or not ACTION.match(action):
                raise Invalid(
                    f"{where}.Action {action!r} is not of the form service:resource:action.",
                    "IAM.0007",
                )
    if len(json.dumps(document, separators=(",", ":"))) > MAX_POLICY_CHARS:
        raise Invalid(f"A policy has at most {MAX_POLICY_CHARS} characters.", "IAM.0007")


def _flush_unique(session: Session, display_name: str) -> None:
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(f"A policy named {display_name} already exists.") from None
