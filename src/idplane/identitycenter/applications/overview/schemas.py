"""Wire models of `list_applications` and `describe_application` (SDK attribute names)."""

from __future__ import annotations

from pydantic import BaseModel

from idplane.identitycenter.applications.catalog.service import provider_urn
from idplane.identitycenter.applications.overview.service import ApplicationView
from idplane.instances.schemas import PageInfo, page_info
from idplane.platform.clock import as_utc, epoch_ms
from idplane.platform.paging import Page


class AssignmentConfigDto(BaseModel):
    assignment_required: bool


class SignInOptionsDto(BaseModel):
    origin: str
    application_url: str | None = None


class PortalOptionsDto(BaseModel):
    visible: bool
    visibility: str
    sign_in_options: SignInOptionsDto


class ApplicationDto(BaseModel):
    application_urn: str
    application_provider_urn: str
    assignment_config: AssignmentConfigDto
    created_date: int
    description: str
    instance_urn: str
    name: str
    portal_options: PortalOptionsDto
    status: str
    application_account: str


class ApplicationsResponse(BaseModel):
    applications: list[ApplicationDto]
    page_info: PageInfo


def application_out(view: ApplicationView) -> ApplicationDto:
    application = view.application
    start_url = application.service_provider_config.get("start_url") or ""
    return ApplicationDto(
        application_urn=application.urn(),
        application_provider_urn=provider_urn(application.provider_id),
        assignment_config=AssignmentConfigDto(assignment_required=application.assignment_required),
        created_date=epoch_ms(as_utc(application.created_at)),
        description=application.description,
        instance_urn=view.instance_urn,
        name=application.display_name,
        portal_options=PortalOptionsDto(
            visible=application.visible,
            visibility="ENABLED" if application.visible else "DISABLED",
            # Signing in starts at the application when it has a start URL, else at the portal.
            sign_in_options=SignInOptionsDto(
                origin="APPLICATION" if start_url else "IDENTITY_CENTER",
                application_url=start_url,
            ),
        ),
        status=application.status,
        application_account=application.account_id,
    )


def page_out(page: Page) -> ApplicationsResponse:
    return ApplicationsResponse(
        applications=[application_out(view) for view in page.rows], page_info=page_info(page)
    )
