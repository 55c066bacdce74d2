"""Application instances seen as applications (`list_applications`, `describe_application`):
the portal's view of them, with their provider, assignment requirement and sign-in options.
Nothing is stored here; it reads the application instances."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from idplane.identitycenter.applications.instances.tables import ApplicationInstance
from idplane.identitycenter.applications.scope import application_unit
from idplane.instances.gate import IdentityCenterGate
from idplane.platform.auth.caller import Caller
from idplane.platform.db import Store
from idplane.platform.paging import Page, PageRequest, keyset_page


@dataclass(frozen=True)
class ApplicationView:
    application: ApplicationInstance
    instance_urn: str


class ApplicationOverviewService:
    def __init__(self, store: Store, gate: IdentityCenterGate):
        self.store = store
        self.gate = gate

    def list_applications(self, caller: Caller, instance_id: str, paging: PageRequest) -> Page:
        with self.gate.instance_unit(
            caller, "IdentityCenter:application:listApplications", instance_id
        ) as (session, instance):
            stmt = select(ApplicationInstance).where(ApplicationInstance.instance_id == instance.id)
            page = keyset_page(session, stmt, ApplicationInstance.seq, paging)
            page.rows = [ApplicationView(row, instance.urn) for row in page.rows]
            return page

    def describe_application(
        self, caller: Caller, instance_id: str, application_instance_id: str
    ) -> ApplicationView:
        with application_unit(
            self.gate,
            caller,
            "IdentityCenter:application:describeApplication",
            instance_id,
            application_instance_id,
        ) as (_session, instance, application):
            return ApplicationView(application, instance.urn)
