"""The application half of Identity Center, assembled: `build_applications()` makes the
service objects (app.py keeps them, and registers `assignments.on_principal_deleted` with the
identity store), `create_router()` mounts the routes of all of them."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter

from idplane.identitycenter.applications.assignments import api as assignments_api
from idplane.identitycenter.applications.assignments.service import ApplicationAssignmentService
from idplane.identitycenter.applications.catalog import api as catalog_api
from idplane.identitycenter.applications.catalog.service import CatalogService, load_catalog
from idplane.identitycenter.applications.certificates import api as certificates_api
from idplane.identitycenter.applications.certificates.service import CertificateService
from idplane.identitycenter.applications.instances import api as instances_api
from idplane.identitycenter.applications.instances.service import ApplicationInstanceService
from idplane.identitycenter.applications.overview import api as overview_api
from idplane.identitycenter.applications.overview.service import ApplicationOverviewService
from idplane.identitycenter.applications.profiles import api as profiles_api
from idplane.identitycenter.applications.profiles.service import ProfileService
from idplane.identitystore.directory.service import DirectoryService
from idplane.instances.gate import IdentityCenterGate
from idplane.platform.crypto import SecretBox
from idplane.platform.db import Store
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.web import api_router


@dataclass
class Applications:
    catalog: CatalogService
    instances: ApplicationInstanceService
    certificates: CertificateService
    profiles: ProfileService
    assignments: ApplicationAssignmentService
    overview: ApplicationOverviewService


def build_applications(
    store: Store,
    gate: IdentityCenterGate,
    box: SecretBox,
    directory: DirectoryService,
    endpoint: str,
) -> Applications:
    """`endpoint`: the server's public URL, for the identity provider URLs of an instance."""
    catalog = load_catalog()
    certificates = CertificateService(store, gate, box)
    return Applications(
        catalog=CatalogService(store, gate, catalog),
        instances=ApplicationInstanceService(store, gate, catalog, certificates, endpoint),
        certificates=certificates,
        profiles=ProfileService(store, gate),
        assignments=ApplicationAssignmentService(store, gate, directory),
        overview=ApplicationOverviewService(store, gate),
    )


def create_router(built: Applications) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["identitycenter"])
    router.include_router(catalog_api.create_router(built.catalog))
    router.include_router(instances_api.create_router(built.instances))
    router.include_router(certificates_api.create_router(built.certificates))
    router.include_router(profiles_api.create_router(built.profiles))
    router.include_router(assignments_api.create_router(built.assignments))
    router.include_router(overview_api.create_router(built.overview))
    return router
