"""What an IAM user (or a caller acting through an agency) may do: the roles and policies
granted to its groups (or to the agency), turned into statements for the Authorizer.

Which grants apply: grants on the account always; grants on one project, and grants inherited
by all projects, only when the caller is scoped to a project (BasicCredentials, project
tokens). Everything is read from the store on each call, so a change applies at once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from idplane.iam.agencies.tables import Agency, AgencyRole
from idplane.iam.groups.tables import GroupMember
from idplane.iam.permissions.tables import DOMAIN, INHERITED, GroupRole
from idplane.iam.roles.catalog import RoleCatalog, system_roles
from idplane.iam.roles.tables import CustomPolicy
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Statement, parse_policy
from idplane.platform.db import Store


class IamPolicySource:
    def __init__(self, store: Store, catalog: RoleCatalog):
        self.store = store
        self.catalog = catalog

    def statements_for(self, caller: Caller) -> list[Statement]:
        if caller.user_id is None and caller.agency_id is None:
            return []
        with self.store.read() as session:
            labelled = self.labelled_documents_for(session, caller)
        return [s for label, document in labelled for s in statements_of(document, label)]

    def documents_for(self, session: Session, caller: Caller) -> list[dict[str, Any]]:
        return [document for _label, document in self.labelled_documents_for(session, caller)]

    def labelled_documents_for(
        self, session: Session, caller: Caller
    ) -> list[tuple[str, dict[str, Any]]]:
        """`(name, document)` of every role and policy granted to the caller."""
        role_ids = _granted_role_ids(session, caller)
        documents = []
        custom_ids = []
        for role_id in role_ids:
            role = self.catalog.get(role_id)
            if role is not None:
                documents.append((role.display_name, role.policy))
            else:
                custom_ids.append(role_id)
        if custom_ids:
            documents.extend(
                (row.display_name, row.policy)
                for row in session.execute(
                    select(CustomPolicy.display_name, CustomPolicy.policy).where(
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
    return _named(session, _user_role_ids(session, account_id, user_id, project_id))


def agency_granted_roles(
    session: Session, account_id: str, agency_id: str, project_id: str | None
) -> list[dict[str, str]]:
    """`[{id, name}]` of what an agency holds in a scope, as agency tokens show it."""
    scopes = [DOMAIN] + ([project_id] if project_id else [])
    stmt = select(AgencyRole.role_id).where(
        AgencyRole.agency_id == agency_id,
        AgencyRole.account_id == account_id,
        AgencyRole.scope.in_(scopes),
    )
    return _named(session, list(dict.fromkeys(session.scalars(stmt.order_by(AgencyRole.seq)))))


def _named(session: Session, role_ids: list[str]) -> list[dict[str, str]]:
    catalog = system_roles()
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


def statements_of(document: dict[str, Any], source: str = "") -> list[Statement]:
    """A role or policy document as the Authorizer's statements (see `parse_policy`)."""
    return parse_policy(document, source)
