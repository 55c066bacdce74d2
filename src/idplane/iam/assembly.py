"""Builds IAM's directory services (users, groups, keys, permissions, agencies, projects) and
their routers, so app.py wires IAM in two lines."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter

from idplane.iam.agencies import api as agencies_api
from idplane.iam.agencies.service import AgencyService
from idplane.iam.credentials import api as credentials_api
from idplane.iam.credentials.service import CredentialService
from idplane.iam.groups import api as groups_api
from idplane.iam.groups.service import GroupService
from idplane.iam.mfa import api as mfa_api
from idplane.iam.mfa.service import MfaService
from idplane.iam.permissions import api as permissions_api
from idplane.iam.permissions.service import GrantService
from idplane.iam.permissions.source import IamPolicySource
from idplane.iam.projects import api as projects_api
from idplane.iam.projects.service import ProjectService
from idplane.iam.roles import api as roles_api
from idplane.iam.roles.catalog import system_roles
from idplane.iam.roles.service import RoleService
from idplane.iam.users import api as users_api
from idplane.iam.users.service import UserService
from idplane.platform.authz import Authorizer, GuardrailSource
from idplane.platform.crypto import SecretBox
from idplane.platform.db import Store


def iam_authorizer(
    store: Store, box: SecretBox | None = None, guardrails: GuardrailSource | None = None
) -> Authorizer:
    """The one Authorizer: IAM users and agencies are judged by the roles and policies
    granted to them, under the organization's guardrails when given; denials carry a message
    sealed with the master key (STS decodes it)."""
    return Authorizer(
        policies=IamPolicySource(store, system_roles()),
        seal=box.seal if box else None,
        guardrails=guardrails,
    )


@dataclass
class IamServices:
    users: UserService
    groups: GroupService
    credentials: CredentialService
    roles: RoleService
    grants: GrantService
    agencies: AgencyService
    projects: ProjectService
    mfa: MfaService

    @classmethod
    def build(cls, store: Store, box: SecretBox, authorizer: Authorizer) -> IamServices:
        catalog = system_roles()
        roles = RoleService(store, authorizer, catalog)
        return cls(
            users=UserService(store, authorizer, catalog),
            groups=GroupService(store, authorizer),
            credentials=CredentialService(store, box, authorizer),
            roles=roles,
            grants=GrantService(store, authorizer, roles),
            agencies=AgencyService(store, authorizer, roles),
            projects=ProjectService(store, authorizer),
            mfa=MfaService(store, box, authorizer),
        )

    def routers(self, endpoint: str) -> list[APIRouter]:
        return [
            users_api.create_router(self.users, endpoint),
            groups_api.create_router(self.groups, endpoint),
            credentials_api.create_router(self.credentials),
            roles_api.create_router(self.roles, endpoint),
            permissions_api.create_router(self.grants, endpoint),
            agencies_api.create_router(self.agencies, endpoint),
            projects_api.create_router(self.projects, endpoint),
            mfa_api.create_router(self.mfa),
        ]
