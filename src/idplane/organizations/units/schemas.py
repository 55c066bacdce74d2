"""Wire models of organizational units, entities and account moves."""

from __future__ import annotations

from pydantic import BaseModel, Field

from idplane.organizations import tree
from idplane.organizations.schemas import Body, PageInfo, Tag, _urn
from idplane.organizations.units.service import UnitView
from idplane.platform.clock import iso_seconds_z


class CreateOrganizationalUnitBody(Body):
    name: str = Field(min_length=1, max_length=64)
    parent_id: str = Field(min_length=1, max_length=64)
    tags: list[Tag] | None = Field(default=None, max_length=20)


class UpdateOrganizationalUnitBody(Body):
    name: str = Field(min_length=1, max_length=64)


class MoveAccountBody(Body):
    source_parent_id: str = Field(min_length=1, max_length=64)
    destination_parent_id: str = Field(min_length=1, max_length=64)


class OrganizationalUnitDto(BaseModel):
    id: str
    urn: str
    name: str
    created_at: str


class OrganizationalUnitResponse(BaseModel):
    organizational_unit: OrganizationalUnitDto


class OrganizationalUnitsResponse(BaseModel):
    organizational_units: list[OrganizationalUnitDto]
    page_info: PageInfo


class EntityDto(BaseModel):
    name: str
    id: str
    type: str


class EntitiesResponse(BaseModel):
    entities: list[EntityDto]
    page_info: PageInfo


def unit_out(view: UnitView) -> OrganizationalUnitDto:
    unit, organization = view.unit, view.organization
    return OrganizationalUnitDto(
        id=unit.id,
        urn=_urn(organization, "ou", f"{organization.id}/{unit.id}"),
        name=unit.name,
        created_at=iso_seconds_z(unit.created_at),
    )


def entity_out(entity: tree.Entity) -> EntityDto:
    return EntityDto(name=entity.name, id=entity.id, type=entity.type)
