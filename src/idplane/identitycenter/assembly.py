"""Builds Identity Center's services (the instance, permission sets with their policies and
provisioning, account assignments, instance settings and the application half) and their
routers, so app.py wires Identity Center in two lines.

Identity Center asks the identity store's directory whether a principal exists, and hears of
its deletions: `build` registers the account and application assignments' hooks with it."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter

from idplane.iam.roles.catalog import system_roles
from idplane.identitycenter import api as instance_api
from idplane.identitycenter.applications.assignments import api as application_assignments_api
from idplane.identitycenter.applications.assignments.service import ApplicationAssignmentService
from idplane.identitycenter.applications.catalog import api as catalog_api
from idplane.identitycenter.applications.catalog.service import CatalogService, load_catalog
from idplane.identitycenter.applications.certificates import api as certificates_api
from idplane.identitycenter.applications.certificates.service import CertificateService
from idplane.identitycenter.applications.instances import api as application_instances_api
from idplane.identitycenter.applications.instances.service import ApplicationInstanceService
from idplane.identitycenter.applications.overview import api as overview_api
from idplane.identitycenter.applications.overview.service import ApplicationOverviewService
from idplane.identitycenter.applications.profiles import api as profiles_api
from idplane.identitycenter.applications.profiles.service import ProfileService
from idplane.identitycenter.assignments import api as assignments_api
from idplane.identitycenter.assignments.service import AssignmentService
from idplane.identitycenter.permission_sets import api as permission_sets_api
from idplane.identitycenter.permission_sets.policies import PolicyService
from idplane.identitycenter.permission_sets.provisioning import PermissionSetProvisioningService
from idplane.identitycenter.permission_sets.service import PermissionSetService, Quotas
from idplane.identitycenter.service import IdentityCenterService
from idplane.identitycenter.settings import api as settings_api
from idplane.identitycenter.settings.service import SettingsService
from idplane.identitystore.directory.service import DirectoryService
from idplane.instances.gate import IdentityCenterGate
from idplane.platform.crypto import SecretBox
from idplane.platform.db import Store


@dataclass
class ApplicationServices:
    catalog: CatalogService
    instances: ApplicationInstanceService
    certificates: CertificateService
    profiles: ProfileService
    assignments: ApplicationAssignmentService
    overview: ApplicationOverviewService

    @classmethod
    def build(
        cls,
        store: Store,
        gate: IdentityCenterGate,
        box: SecretBox,
        directory: DirectoryService,
        endpoint: str,
    ) -> ApplicationServices:
        """`endpoint`: the server's public URL, for the identity provider URLs of an instance."""
        catalog = load_catalog()
        certificates = CertificateService(store, gate, box)
        return cls(
            catalog=CatalogService(store, gate, catalog),
            instances=ApplicationInstanceService(store, gate, catalog, certificates, endpoint),
            certificates=certificates,
            profiles=ProfileService(store, gate),
            assignments=ApplicationAssignmentService(store, gate, directory),
            overview=ApplicationOverviewService(store, gate),
        )

    def routers(self) -> list[APIRouter]:
        return [
            catalog_api.create_router(self.catalog),
            application_instances_api.create_router(self.instances),
            certificates_api.create_router(self.certificates),
            profiles_api.create_router(self.profiles),
            application_assignments_api.create_router(self.assignments),
            overview_api.create_router(self.overview),
        ]


@dataclass
class IdentityCenterServices:
    instance: IdentityCenterService
    permission_sets: PermissionSetService
    policies: PolicyService
    provisioning: PermissionSetProvisioningService
    assignments: AssignmentService
    settings: SettingsService
    applications: ApplicationServices

    @classmethod
    def build(
        cls,
        store: Store,
        gate: IdentityCenterGate,
        box: SecretBox,
        directory: DirectoryService,
        region: str,
        endpoint: str,
    ) -> IdentityCenterServices:
        quotas = Quotas()
        built = cls(
            instance=IdentityCenterService(store, gate, region),
            permission_sets=PermissionSetService(store, gate, quotas),
            policies=PolicyService(store, gate, system_roles(), quotas),
            provisioning=PermissionSetProvisioningService(store, gate, quotas),
            assignments=AssignmentService(store, gate, quotas),
            settings=SettingsService(store, gate),
            applications=ApplicationServices.build(store, gate, box, directory, endpoint),
        )
        directory.add_principal_deleted_hook(built.assignments.on_principal_deleted)
        directory.add_principal_deleted_hook(built.applications.assignments.on_principal_deleted)
        directory.add_members_removed_hook(built.assignments.on_members_removed)
        return built

    def instance_routers(self) -> list[APIRouter]:
        """The instance's own routes (start, status, regions, alias, delete)."""
        return [instance_api.create_router(self.instance)]

    def routers(self) -> list[APIRouter]:
        """Everything that hangs off the instance."""
        return [
            permission_sets_api.create_router(
                self.permission_sets, self.policies, self.provisioning
            ),
            assignments_api.create_router(self.assignments),
            settings_api.create_router(self.settings),
            *self.applications.routers(),
        ]
