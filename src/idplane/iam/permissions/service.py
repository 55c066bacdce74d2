"""Granting roles and policies to groups: on the account (global services), on one project,
or inherited by every project of the account (OS-INHERIT). A role's `type` says where it can
be granted: AX on the account only, XA on projects only, AA on both.

Grants of a custom policy go with the policy; all grants go with the group or the project.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.iam.groups.service import ADMIN_ROLES, group_in
from idplane.iam.groups.tables import ADMIN_GROUP
from idplane.iam.permissions.tables import DOMAIN, INHERITED, GroupRole
from idplane.iam.roles.catalog import GRANTABLE_ON_DOMAIN, GRANTABLE_ON_PROJECT
from idplane.iam.roles.service import Role, RoleService
from idplane.iam.roles.tables import CustomPolicy
from idplane.iam.tables import Project
from idplane.platform.auth.caller import Caller
from idplane.platform.authz import Authorizer
from idplane.platform.clock import now
from idplane.platform.db import Store
from idplane.platform.errors import Forbidden, Invalid, NotFound


@dataclass(frozen=True)
class Target:
    """Where a grant applies: the account, one project, or all projects (inherited)."""

    scope: str  # DOMAIN, INHERITED or a project id
    domain_id: str | None = None  # the account named in the path
    project_id: str | None = None

    @property
    def suffix(self) -> str:  # Huawei's action names end in OnDomain / OnProject / nothing
        return {DOMAIN: "OnDomain", INHERITED: ""}.get(self.scope, "OnProject")

    @staticmethod
    def domain(domain_id: str) -> Target:
        return Target(DOMAIN, domain_id=domain_id)

    @staticmethod
    def inherited(domain_id: str) -> Target:
        return Target(INHERITED, domain_id=domain_id)

    @staticmethod
    def project(project_id: str) -> Target:
        return Target(project_id, project_id=project_id)


class GrantService:
    def __init__(self, store: Store, authorizer: Authorizer, roles: RoleService):
        self.store = store
        self.authorizer = authorizer
        self.roles = roles

    def _authorize(self, caller: Caller, verb: str, target: Target) -> None:
        self.authorizer.authorize(
            caller,
            f"iam:permissions:{verb}{target.suffix}",
            account_id=target.domain_id or caller.account_id,
        )

    def list_permissions_for_group(
        self, caller: Caller, group_id: str, target: Target
    ) -> list[Role]:
        self._authorize(caller, "listRolesForGroup", target)
        with self.store.read() as session:
            check_target(session, caller.account_id, target)
            group_in(session, caller.account_id, group_id)
            role_ids = session.scalars(
                select(GroupRole.role_id)
                .where(GroupRole.group_id == group_id, GroupRole.scope == target.scope)
                .order_by(GroupRole.seq)
            )
            return [self.roles.role_in(session, caller.account_id, r) for r in role_ids]

    def check_permission_for_group(
        self, caller: Caller, group_id: str, role_id: str, target: Target
    ) -> None:
        self._authorize(caller, "checkRoleForGroup", target)
        with self.store.read() as session:
            check_target(session, caller.account_id, target)
            group_in(session, caller.account_id, group_id)
            if _grant(session, group_id, role_id, target) is None:
                raise NotFound(f"Could not find role {role_id} for group {group_id}.")

    def grant_to_group(self, caller: Caller, group_id: str, role_id: str, target: Target) -> None:
        self._authorize(caller, "grantRoleToGroup", target)
        with self.store.transaction() as session:
            check_target(session, caller.account_id, target)
            group_in(session, caller.account_id, group_id)
            role = self.roles.role_in(session, caller.account_id, role_id)
            check_grantable(role, target)
            if _grant(session, group_id, role_id, target) is not None:
                return  # PUT is idempotent
            # A savepoint: when a concurrent identical grant wins, the outcome is the same.
            with suppress(IntegrityError), session.begin_nested():
                session.add(
                    GroupRole(
                        account_id=caller.account_id,
                        group_id=group_id,
                        role_id=role_id,
                        custom_policy_id=role.id if isinstance(role, CustomPolicy) else None,
                        scope=target.scope,
                        project_id=target.project_id,
                        created_at=now(),
                    )
                )

    def revoke_from_group(
        self, caller: Caller, group_id: str, role_id: str, target: Target
    ) -> None:
        self._authorize(caller, "revokeRoleFromGroup", target)
        with self.store.transaction() as session:
            check_target(session, caller.account_id, target)
            group = group_in(session, caller.account_id, group_id)
            grant = _grant(session, group_id, role_id, target)
            if grant is None:
                raise NotFound(f"Could not find role {role_id} for group {group_id}.")
            role = self.roles.role_in(session, caller.account_id, role_id)
            if group.name == ADMIN_GROUP and role.name in ADMIN_ROLES and target.scope == DOMAIN:
                raise Forbidden("The permissions of the default group admin cannot be removed.")
            session.delete(grant)


def check_target(session: Session, account_id: str, target: Target) -> None:
    """The path's project must be one of the caller's account (404 otherwise; the path's
    account was checked by authorization)."""
    if target.project_id is None:
        return
    found = session.scalar(
        select(Project.id).where(Project.id == target.project_id, Project.account_id == account_id)
    )
    if found is None:
        raise NotFound(f"Could not find project: {target.project_id}.")


def check_grantable(role: Role, target: Target) -> None:
    allowed = GRANTABLE_ON_DOMAIN if target.scope == DOMAIN else GRANTABLE_ON_PROJECT
    if role.type not in allowed:
        where = "the account (global services)" if target.scope == DOMAIN else "projects"
        raise Invalid(
            f"{role.display_name} (type {role.type}) cannot be granted on {where}.", "IAM.0007"
        )


def _grant(session: Session, group_id: str, role_id: str, target: Target) -> GroupRole | None:
    return session.scalar(
        select(GroupRole).where(
            GroupRole.group_id == group_id,
            GroupRole.role_id == role_id,
            GroupRole.scope == target.scope,
        )
    )
