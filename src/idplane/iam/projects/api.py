"""HTTP routes of projects."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from idplane.iam import render
from idplane.iam.projects import schemas
from idplane.iam.projects.service import ProjectFilter, ProjectService
from idplane.iam.render import project_view
from idplane.iam.schemas import ProjectsResponse
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IamEnvelope, Invalid
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED_OR_TOKEN, authenticated


def create_router(projects: ProjectService, endpoint: str) -> APIRouter:
    router = api_router(envelope=IamEnvelope(), tags=["iam projects"])
    caller_of = authenticated(SIGNED_OR_TOKEN)

    @router.get("/v3/projects", response_model=ProjectsResponse)
    def keystone_list_projects(
        caller: Caller = Depends(caller_of),
        domain_id: str | None = None,
        name: str | None = Query(None),
        parent_id: str | None = None,
        enabled: bool | None = None,
        is_domain: bool | None = None,
        page: int | None = None,
        per_page: int | None = None,
    ) -> dict:
        query = ProjectFilter(domain_id, name, parent_id, enabled, is_domain)
        found = render.page_of(projects.list_projects(caller, query), page, per_page, 5000)
        return {
            "projects": [project_view(p, endpoint) for p in found],
            "links": render.links(endpoint, "/v3/projects", paged=True),
        }

    @router.post("/v3/projects", status_code=201, response_model=schemas.ProjectResponse)
    def keystone_create_project(
        body: schemas.ProjectBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        fields = body.project
        if fields.name is None or fields.parent_id is None:
            raise Invalid("'name' and 'parent_id' are required properties.", "IAM.0072")
        project = projects.create_project(
            caller, fields.name, fields.parent_id, fields.domain_id, fields.description
        )
        return {"project": project_view(project, endpoint)}

    @router.get("/v3/projects/{project_id}", response_model=schemas.ProjectResponse)
    def keystone_show_project(project_id: str, caller: Caller = Depends(caller_of)) -> dict:
        return {"project": project_view(projects.show_project(caller, project_id), endpoint)}

    @router.patch("/v3/projects/{project_id}", response_model=schemas.ProjectResponse)
    def keystone_update_project(
        project_id: str, body: schemas.ProjectBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        fields = body.project
        project = projects.update_project(caller, project_id, fields.name, fields.description)
        return {"project": project_view(project, endpoint)}

    return router
