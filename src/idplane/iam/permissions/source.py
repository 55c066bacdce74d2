"""What an IAM user (or a caller acting through an agency) may do: the roles and policies
granted to its groups (or to the agency), turned into statements for the Authorizer.

Which grants apply: grants on the account always; grants on one project, and grants inherited
by all projects, only when the caller is scoped to a project (BasicCredentials, project
tokens). Everything is read from the store on each call, so a change applies at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from idplane.iam.agencies.tables import Agency, AgencyRole
from idplane.iam.groups.tables import GroupMember
from idplane.iam.permissions.tables import DOMAIN, INHERITED, GroupRole
from idplane.iam.roles.catalog import RoleCatalog, system_roles
from idplane.iam.roles.tables import CustomPolicy
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Statement
from idplane.platform.db import Store

# Version 1.0 roles name IAM `identity:`; fine-grained actions are `iam:...`.
_LEGACY_PREFIX = "identity:"


class IamPolicySource:
    def __init__(self, store: Store, catalog: RoleCatalog):
        self.store = store
        self.catalog = catalog

    def statements_for(self, caller: Caller) -> list[Statement]:
        if caller.user_id is None and caller.agency_id is None:
            return []
        with self.store.read() as session:
            documents = self.documents_for(session, caller)
        return [statement for document in documents for statement in statements_of(document)]

    def documents_for(self, session: Session, caller: Caller) -> list[dict[str, Any]]:
        role_ids = _granted_role_ids(session, caller)
        documents = []
        custom_ids = []
        for role_id in role_ids:
            role = self.catalog.get(role_id)
            if role is not None:
                documents.append(role.policy)
            else:
                custom_ids.append(role_id)
        if custom_ids:
            documents.extend(
                session.scalars(
                    select(CustomPolicy.policy).where(
                        CustomPolicy.id.in_(custom_ids),
                        CustomPolicy.account_id == caller.account_id,
                    )
                )
            )
        return documents


def granted_roles(
    session: Session, account_id: str, user_id: str, project_id: str | None
) -> list[dict[str, str]]:
    """`[{id, name}]` of what the user's groups hold in a scope, as tokens show it."""
    catalog = system_roles()
    role_ids = _user_role_ids(session, account_id, user_id, project_id)
    named = {r: role.name for r in role_ids if (role := catalog.get(r)) is not None}
    custom = [r for r in role_ids if r not in named]
    if custom:
        rows = session.execute(
            select(CustomPolicy.id, CustomPolicy.name).where(CustomPolicy.id.in_(custom))
        )
        named.update({row.id: row.name for row in rows})
    return [{"id": r, "name": named[r]} for r in role_ids if r in named]


def _granted_role_ids(session: Session, caller: Caller) -> list[str]:
    if caller.agency_id is None:
        return _user_role_ids(session, caller.account_id, caller.user_id, caller.project_id)
    scopes = [DOMAIN] + ([caller.project_id] if caller.project_id else [])
    stmt = (
        select(AgencyRole.role_id)
        .join(Agency, Agency.id == AgencyRole.agency_id)
        .where(
            AgencyRole.agency_id == caller.agency_id,
            Agency.account_id == caller.account_id,
            AgencyRole.scope.in_(scopes),
        )
    )
    return list(dict.fromkeys(session.scalars(stmt)))


def _user_role_ids(
    session: Session, account_id: str, user_id: str | None, project_id: str | None
) -> list[str]:
    scope = GroupRole.scope == DOMAIN
    if project_id:
        scope = or_(scope, GroupRole.scope.in_([project_id, INHERITED]))
    stmt = (
        select(GroupRole.role_id)
        .join(GroupMember, GroupMember.group_id == GroupRole.group_id)
        .where(GroupMember.user_id == user_id, GroupRole.account_id == account_id, scope)
        .order_by(GroupRole.seq)
    )
    return list(dict.fromkeys(session.scalars(stmt)))


def statements_of(document: dict[str, Any]) -> list[Statement]:
    """A policy document as statements. A Version 1.0 role is self-contained: its Deny only
    narrows its own Allow. In fine-grained policies a Deny applies to every grant.

    Resource-level and conditional statements are not evaluated; to fail closed, such an
    Allow grants nothing and such a Deny denies regardless of its condition."""
    raw = document.get("Statement") or []
    if document.get("Version") == "1.0":
        denied = tuple(_alias(a) for s in raw if s.get("Effect") == "Deny" for a in _actions(s))
        return [
            Statement("Allow", tuple(_alias(a) for a in _actions(s)), excluded=denied)
            for s in raw
            if s.get("Effect") == "Allow"
        ]
    statements = []
    for s in raw:
        if s.get("Effect") == "Allow" and _restricted(s):
            continue
        statements.append(Statement(s.get("Effect", "Deny"), tuple(_actions(s))))
    return statements


def _actions(statement: dict[str, Any]) -> Iterable[str]:
    actions = statement.get("Action") or []
    return [actions] if isinstance(actions, str) else actions


def _alias(pattern: str) -> str:
    if pattern.lower().startswith(_LEGACY_PREFIX):
        return "iam:" + pattern[len(_LEGACY_PREFIX) :]
    return pattern


def _restricted(statement: dict[str, Any]) -> bool:
    if statement.get("Condition"):
        return True
    resource = statement.get("Resource")
    if resource is None:
        return False
    if isinstance(resource, list):
        return not all(isinstance(r, str) and set(r) <= {"*", ":"} for r in resource)
    return True
