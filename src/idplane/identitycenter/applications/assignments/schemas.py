"""Wire models of the application assignment APIs (names from the SDK's attribute maps)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel

from idplane.identitycenter.applications.assignments.service import Principal
from idplane.instances.schemas import NO_NUL, Body, Id, PageInfo, page_info
from idplane.platform.paging import Page

PrincipalType = Literal["USER", "GROUP"]
PrincipalIdQuery = Annotated[str, Query(min_length=1, max_length=64, pattern=NO_NUL)]
PrincipalTypeQuery = Annotated[PrincipalType, Query()]


class PrincipalBody(Body):
    """CreateApplicationAssignmentReqBody and DeleteApplicationAssignmentReqBody."""

    principal_id: Id
    principal_type: PrincipalType

    def principal(self) -> Principal:
        return Principal(self.principal_type, self.principal_id)


class ApplicationAssignmentDto(BaseModel):
    application_urn: str
    principal_id: str
    principal_type: str


class AssignmentsResponse(BaseModel):
    application_assignments: list[ApplicationAssignmentDto]
    page_info: PageInfo


class AssignmentConfigurationResponse(BaseModel):
    assignment_required: bool


def page_out(page: Page) -> AssignmentsResponse:
    return AssignmentsResponse(
        application_assignments=[ApplicationAssignmentDto(**view.__dict__) for view in page.rows],
        page_info=page_info(page),
    )
