"""Wire models of invitations (handshakes)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from idplane.organizations.handshakes.service import HandshakeView
from idplane.organizations.schemas import Body, PageInfo, Tag, _urn
from idplane.platform.clock import iso_seconds_z


class Target(Body):
    type: str = Field(min_length=1, max_length=64)
    entity: str = Field(min_length=1, max_length=100)


class InviteAccountBody(Body):
    target: Target
    notes: str = Field(max_length=1024)
    tags: list[Tag] | None = Field(default=None, max_length=20)


class TargetDto(BaseModel):
    type: str
    entity: str


class HandshakeDto(BaseModel):
    id: str
    urn: str
    updated_at: str
    created_at: str
    expired_at: str
    management_account_id: str
    management_account_name: str
    organization_id: str
    notes: str
    target: TargetDto
    status: str


class HandshakeResponse(BaseModel):
    handshake: HandshakeDto


class HandshakesResponse(BaseModel):
    handshakes: list[HandshakeDto]
    page_info: PageInfo


def handshake_out(view: HandshakeView) -> HandshakeDto:
    handshake, organization = view.handshake, view.organization
    return HandshakeDto(
        id=handshake.id,
        urn=_urn(organization, "handshake", f"{organization.id}/{handshake.id}"),
        updated_at=iso_seconds_z(handshake.updated_at),
        created_at=iso_seconds_z(handshake.created_at),
        expired_at=iso_seconds_z(handshake.expired_at),
        management_account_id=organization.management_account_id,
        management_account_name=view.management_account_name,
        organization_id=organization.id,
        notes=handshake.notes,
        target=TargetDto(type=handshake.target_type, entity=handshake.target_entity),
        status=view.status,
    )
