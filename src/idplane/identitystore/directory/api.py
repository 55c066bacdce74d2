"""HTTP routes of the identity store's directory: users, groups, memberships and the summary.

`build_directory()` makes the service objects (app.py keeps the result, so later features can
call `directory.directory.principal_exists` and register deletion hooks);
`create_router()` mounts every route of the four."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fastapi import APIRouter, Depends

from idplane.identitystore.directory import schemas as s
from idplane.identitystore.directory.service import DirectoryService, PrincipalDeleted
from idplane.identitystore.groups import api as groups_api
from idplane.identitystore.groups.service import GroupService
from idplane.identitystore.memberships import api as memberships_api
from idplane.identitystore.memberships.service import MembershipService
from idplane.identitystore.users import api as users_api
from idplane.identitystore.users.service import MinimumLength, UserService
from idplane.instances.gate import IdentityCenterGate
from idplane.instances.schemas import StoreId
from idplane.platform.auth.caller import Caller
from idplane.platform.db import Store
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.web import SIGNED, api_router, authenticated


@dataclass
class Directory:
    directory: DirectoryService
    users: UserService
    groups: GroupService
    memberships: MembershipService


def build_directory(
    store: Store,
    gate: IdentityCenterGate,
    on_principal_deleted: Iterable[PrincipalDeleted] = (),
    minimum_password_length: MinimumLength | None = None,
) -> Directory:
    """`minimum_password_length(session, identity_store_id)`: the store's password policy, so
    one-time passwords are never shorter than it asks (20 characters otherwise)."""
    directory = DirectoryService(store, gate, on_principal_deleted)
    users = UserService(directory, minimum_password_length)
    return Directory(directory, users, GroupService(directory), MembershipService(directory))


def create_router(built: Directory) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["identitystore"])
    signed = authenticated(SIGNED)

    @router.get(
        "/v1/identity-stores/{identity_store_id}/identity-store-summary",
        response_model=s.SummaryResponse,
    )
    def get_identity_store_summary(
        identity_store_id: StoreId, caller: Caller = Depends(signed)
    ) -> s.SummaryResponse:
        summary = built.directory.get_identity_store_summary(caller, identity_store_id)
        return s.summary_out(summary)

    router.include_router(users_api.create_router(built.users))
    router.include_router(groups_api.create_router(built.groups))
    router.include_router(memberships_api.create_router(built.memberships))
    return router
