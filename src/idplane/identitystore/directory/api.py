"""HTTP route of the identity store's summary (users, groups and their quotas); the users,
groups and memberships routes live in their own packages (see `identitystore/assembly.py`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from idplane.identitystore.directory import schemas as s
from idplane.identitystore.directory.service import DirectoryService
from idplane.instances.schemas import StoreId
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated


def create_router(directory: DirectoryService) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["identitystore"])
    signed = authenticated(SIGNED)

    @router.get(
        "/v1/identity-stores/{identity_store_id}/identity-store-summary",
        response_model=s.SummaryResponse,
    )
    def get_identity_store_summary(
        identity_store_id: StoreId, caller: Caller = Depends(signed)
    ) -> s.SummaryResponse:
        summary = directory.get_identity_store_summary(caller, identity_store_id)
        return s.summary_out(summary)

    return router
