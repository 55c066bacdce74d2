"""Builds the identity store's services (directory, users, groups, memberships, automatic
provisioning, password policy) and their routers, so app.py wires the store in two lines.

`directory` is the service other areas talk to: `principal_exists` before they record
something about a user or group, and `add_principal_deleted_hook` to hear of deletions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fastapi import APIRouter

from idplane.identitystore.directory import api as directory_api
from idplane.identitystore.directory.service import DirectoryService, PrincipalDeleted
from idplane.identitystore.groups import api as groups_api
from idplane.identitystore.groups.service import StoreGroupService
from idplane.identitystore.memberships import api as memberships_api
from idplane.identitystore.memberships.service import MembershipService
from idplane.identitystore.password_policy import api as password_policy_api
from idplane.identitystore.password_policy.service import (
    PasswordPolicyService,
    minimum_password_length,
)
from idplane.identitystore.provisioning import api as provisioning_api
from idplane.identitystore.provisioning.service import ScimProvisioningService
from idplane.identitystore.users import api as users_api
from idplane.identitystore.users.service import MinimumLength, StoreUserService
from idplane.instances.gate import IdentityCenterGate
from idplane.platform.db import Store


@dataclass
class DirectoryServices:
    directory: DirectoryService
    users: StoreUserService
    groups: StoreGroupService
    memberships: MembershipService


def build_directory(
    store: Store,
    gate: IdentityCenterGate,
    on_principal_deleted: Iterable[PrincipalDeleted] = (),
    minimum_password_length: MinimumLength | None = None,
) -> DirectoryServices:
    """`minimum_password_length(session, identity_store_id)`: the store's password policy, so
    one-time passwords are never shorter than it asks (20 characters otherwise)."""
    directory = DirectoryService(store, gate, on_principal_deleted)
    users = StoreUserService(directory, minimum_password_length)
    return DirectoryServices(
        directory, users, StoreGroupService(directory), MembershipService(directory)
    )


@dataclass
class IdentityStoreServices:
    directory: DirectoryService
    users: StoreUserService
    groups: StoreGroupService
    memberships: MembershipService
    provisioning: ScimProvisioningService
    password_policy: PasswordPolicyService

    @classmethod
    def build(cls, store: Store, gate: IdentityCenterGate, endpoint: str) -> IdentityStoreServices:
        """`endpoint`: the server's public URL, for the SCIM endpoint of a tenant."""
        built = build_directory(store, gate, minimum_password_length=minimum_password_length)
        return cls(
            directory=built.directory,
            users=built.users,
            groups=built.groups,
            memberships=built.memberships,
            provisioning=ScimProvisioningService(store, gate, endpoint),
            password_policy=PasswordPolicyService(store, gate),
        )

    def routers(self) -> list[APIRouter]:
        return [
            provisioning_api.create_router(self.provisioning),
            password_policy_api.create_router(self.password_policy),
            directory_api.create_router(self.directory),
            users_api.create_router(self.users),
            groups_api.create_router(self.groups),
            memberships_api.create_router(self.memberships),
        ]
