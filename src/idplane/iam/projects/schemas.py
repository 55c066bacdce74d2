"""Wire models of project creation and update (list/show models are in iam/schemas.py)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from idplane.iam.schemas import Open, ProjectOut


class ProjectFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str | None = None
    parent_id: str | None = None
    domain_id: str | None = None
    description: str | None = None


class ProjectBody(BaseModel):
    project: ProjectFields


class ProjectResponse(Open):
    project: ProjectOut
