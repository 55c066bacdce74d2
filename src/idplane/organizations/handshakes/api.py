"""Routes of invitations: the organization's side (`/v1/organizations/...`) and the invited
account's side (`/v1/received-handshakes...`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from idplane.organizations.handshakes import schemas as s
from idplane.organizations.handshakes.service import HandshakeService
from idplane.organizations.schemas import page_info, page_of
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import OrganizationsEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated


def create_router(handshakes: HandshakeService) -> APIRouter:
    router = api_router(envelope=OrganizationsEnvelope(), prefix="/v1", tags=["organizations"])
    signed = authenticated(SIGNED)

    @router.post("/organizations/accounts/invite", response_model=s.HandshakeResponse)
    def invite_account(body: s.InviteAccountBody, caller: Caller = Depends(signed)):
        tags = [tag.model_dump() for tag in body.tags or []]
        view = handshakes.invite_account(
            caller, body.target.type, body.target.entity, body.notes, tags
        )
        return s.HandshakeResponse(handshake=s.handshake_out(view))

    @router.get("/organizations/handshakes", response_model=s.HandshakesResponse)
    def list_handshakes(
        limit: int | None = None, marker: str | None = None, caller: Caller = Depends(signed)
    ) -> s.HandshakesResponse:
        page = handshakes.list_handshakes(caller, page_of(limit, marker, default=200, maximum=1000))
        rows = [s.handshake_out(view) for view in page.rows]
        return s.HandshakesResponse(handshakes=rows, page_info=page_info(page))

    @router.get("/organizations/handshakes/{handshake_id}", response_model=s.HandshakeResponse)
    def show_handshake(handshake_id: str, caller: Caller = Depends(signed)):
        view = handshakes.show_handshake(caller, handshake_id)
        return s.HandshakeResponse(handshake=s.handshake_out(view))

    @router.post(
        "/organizations/handshakes/{handshake_id}/cancel", response_model=s.HandshakeResponse
    )
    def cancel_handshake(handshake_id: str, caller: Caller = Depends(signed)):
        view = handshakes.cancel_handshake(caller, handshake_id)
        return s.HandshakeResponse(handshake=s.handshake_out(view))

    @router.get("/received-handshakes", response_model=s.HandshakesResponse)
    def list_received_handshakes(
        limit: int | None = None, marker: str | None = None, caller: Caller = Depends(signed)
    ) -> s.HandshakesResponse:
        page = handshakes.list_received_handshakes(
            caller, page_of(limit, marker, default=200, maximum=1000)
        )
        rows = [s.handshake_out(view) for view in page.rows]
        return s.HandshakesResponse(handshakes=rows, page_info=page_info(page))

    @router.post("/received-handshakes/{handshake_id}/accept", response_model=s.HandshakeResponse)
    def accept_handshake(handshake_id: str, caller: Caller = Depends(signed)):
        view = handshakes.accept_handshake(caller, handshake_id)
        return s.HandshakeResponse(handshake=s.handshake_out(view))

    @router.post("/received-handshakes/{handshake_id}/decline", response_model=s.HandshakeResponse)
    def decline_handshake(handshake_id: str, caller: Caller = Depends(signed)):
        view = handshakes.decline_handshake(caller, handshake_id)
        return s.HandshakeResponse(handshake=s.handshake_out(view))

    return router
