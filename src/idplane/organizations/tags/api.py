"""Routes of the tag APIs: the `resources/{id}` family and the TMS-style
`{resource_type}/...` family, both over the same tags."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.organizations.schemas import page_info, page_of
from idplane.organizations.tags import schemas as s
from idplane.organizations.tags.service import InstanceQuery, TagService
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import OrganizationsEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty


def create_router(tags: TagService) -> APIRouter:
    router = api_router(
        envelope=OrganizationsEnvelope(), prefix="/v1/organizations", tags=["organizations"]
    )
    signed = authenticated(SIGNED)

    @router.post("/resources/{resource_id}/tag", status_code=204)
    def tag_resource(resource_id: str, body: s.TagsBody, caller: Caller = Depends(signed)):
        tags.tag_resource(caller, resource_id, [t.model_dump() for t in body.tags])
        return empty(204)

    @router.post("/resources/{resource_id}/untag", status_code=204)
    def untag_resource(resource_id: str, body: s.UntagBody, caller: Caller = Depends(signed)):
        tags.untag_resource(caller, resource_id, body.tag_keys)
        return empty(204)

    @router.get("/resources/{resource_id}/tags", response_model=s.TagsResponse)
    def list_tags_for_resource(
        resource_id: str,
        limit: int | None = None,
        marker: str | None = None,
        caller: Caller = Depends(signed),
    ) -> s.TagsResponse:
        page = tags.list_tags_for_resource(
            caller, resource_id, page_of(limit, marker, default=200, maximum=200)
        )
        return _tags_page(page)

    @router.get("/{resource_type}/tags", response_model=s.ResourceTagsResponse)
    def list_resource_tags(resource_type: str, caller: Caller = Depends(signed)):
        keys = tags.list_resource_tags(caller, resource_type)
        rows = [s.TagValuesDto(key=key, values=values) for key, values in keys.items()]
        return s.ResourceTagsResponse(tags=rows)

    @router.get("/{resource_type}/{resource_id}/tags", response_model=s.TagsResponse)
    def list_tag_resources(
        resource_type: str,
        resource_id: str,
        limit: int | None = None,
        marker: str | None = None,
        caller: Caller = Depends(signed),
    ) -> s.TagsResponse:
        page = tags.list_tags_for_resource(
            caller, resource_id, page_of(limit, marker, default=200, maximum=200), resource_type
        )
        return _tags_page(page)

    @router.post("/{resource_type}/{resource_id}/tags/create", status_code=204)
    def create_tag_resource(
        resource_type: str, resource_id: str, body: s.TagsBody, caller: Caller = Depends(signed)
    ) -> Response:
        wanted = [t.model_dump() for t in body.tags]
        tags.tag_resource(caller, resource_id, wanted, resource_type)
        return empty(204)

    @router.post("/{resource_type}/{resource_id}/tags/delete", status_code=204)
    def delete_tag_resource(
        resource_type: str, resource_id: str, body: s.TagsBody, caller: Caller = Depends(signed)
    ) -> Response:
        keys = [tag.key for tag in body.tags]
        tags.untag_resource(caller, resource_id, keys, resource_type)
        return empty(204)

    @router.post(
        "/{resource_type}/resource-instances/filter", response_model=s.ResourceInstancesResponse
    )
    def list_resource_instances(
        resource_type: str,
        body: s.ResourceInstanceBody,
        limit: int | None = None,
        offset: int | None = None,
        caller: Caller = Depends(signed),
    ) -> s.ResourceInstancesResponse:
        rows, total = tags.list_resource_instances(
            caller, resource_type, _query(body), limit, offset
        )
        resources = [
            s.ResourceDto(
                resource_id=resource.resource_id,
                resource_name=resource.name,
                tags=[s.TagDto(key=k, value=v) for k, v in own.items()],
            )
            for resource, own in rows
        ]
        return s.ResourceInstancesResponse(resources=resources, total_count=total)

    @router.post("/{resource_type}/resource-instances/count", response_model=s.CountResponse)
    def show_resource_instances_count(
        resource_type: str, body: s.ResourceInstanceBody, caller: Caller = Depends(signed)
    ) -> s.CountResponse:
        total = tags.show_resource_instances_count(caller, resource_type, _query(body))
        return s.CountResponse(total_count=total)

    return router


def _query(body: s.ResourceInstanceBody) -> InstanceQuery:
    return InstanceQuery(
        without_any_tag=bool(body.without_any_tag),
        tags=[tag.model_dump() for tag in body.tags or []],
        matches=[match.model_dump() for match in body.matches or []],
    )


def _tags_page(page) -> s.TagsResponse:
    rows = [s.TagDto(key=row.key, value=row.value) for row in page.rows]
    return s.TagsResponse(tags=rows, page_info=page_info(page))
