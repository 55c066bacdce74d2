"""Routes of organizational units, account moves and the entity listing."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.organizations.schemas import PageInfo, page_info, page_of
from idplane.organizations.units import schemas as s
from idplane.organizations.units.service import UnitService
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import OrganizationsEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty


def create_router(units: UnitService) -> APIRouter:
    router = api_router(
        envelope=OrganizationsEnvelope(), prefix="/v1/organizations", tags=["organizations"]
    )
    signed = authenticated(SIGNED)

    @router.post(
        "/organizational-units", status_code=201, response_model=s.OrganizationalUnitResponse
    )
    def create_organizational_unit(
        body: s.CreateOrganizationalUnitBody, caller: Caller = Depends(signed)
    ) -> s.OrganizationalUnitResponse:
        tags = [tag.model_dump() for tag in body.tags or []]
        view = units.create_organizational_unit(caller, body.name, body.parent_id, tags)
        return s.OrganizationalUnitResponse(organizational_unit=s.unit_out(view))

    @router.get("/organizational-units", response_model=s.OrganizationalUnitsResponse)
    def list_organizational_units(
        parent_id: str | None = None,
        limit: int | None = None,
        marker: str | None = None,
        caller: Caller = Depends(signed),
    ) -> s.OrganizationalUnitsResponse:
        page = units.list_organizational_units(
            caller, parent_id, page_of(limit, marker, default=200, maximum=2000)
        )
        rows = [s.unit_out(view) for view in page.rows]
        return s.OrganizationalUnitsResponse(organizational_units=rows, page_info=page_info(page))

    @router.get(
        "/organizational-units/{organizational_unit_id}",
        response_model=s.OrganizationalUnitResponse,
    )
    def show_organizational_unit(
        organizational_unit_id: str, caller: Caller = Depends(signed)
    ) -> s.OrganizationalUnitResponse:
        view = units.show_organizational_unit(caller, organizational_unit_id)
        return s.OrganizationalUnitResponse(organizational_unit=s.unit_out(view))

    @router.patch(
        "/organizational-units/{organizational_unit_id}",
        response_model=s.OrganizationalUnitResponse,
    )
    def update_organizational_unit(
        organizational_unit_id: str,
        body: s.UpdateOrganizationalUnitBody,
        caller: Caller = Depends(signed),
    ) -> s.OrganizationalUnitResponse:
        view = units.update_organizational_unit(caller, organizational_unit_id, body.name)
        return s.OrganizationalUnitResponse(organizational_unit=s.unit_out(view))

    @router.delete("/organizational-units/{organizational_unit_id}", status_code=204)
    def delete_organizational_unit(
        organizational_unit_id: str, caller: Caller = Depends(signed)
    ) -> Response:
        units.delete_organizational_unit(caller, organizational_unit_id)
        return empty(204)

    @router.post("/accounts/{account_id}/move")
    def move_account(
        account_id: str, body: s.MoveAccountBody, caller: Caller = Depends(signed)
    ) -> Response:
        units.move_account(caller, account_id, body.source_parent_id, body.destination_parent_id)
        return empty(200)

    @router.get("/entities", response_model=s.EntitiesResponse)
    def list_entities(
        parent_id: str | None = None,
        child_id: str | None = None,
        limit: int | None = None,
        marker: str | None = None,
        caller: Caller = Depends(signed),
    ) -> s.EntitiesResponse:
        page = units.list_entities(caller, parent_id, child_id, limit, marker)
        rows = [s.entity_out(entity) for entity in page.rows]
        return s.EntitiesResponse(entities=rows, page_info=PageInfo(**page.page_info()))

    return router
