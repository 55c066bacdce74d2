"""Builds the one ASGI application that serves every API, from settings. Wiring is explicit:
each service object is made here and handed to the routers that use it."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from idplane import __version__
from idplane.config import Settings
from idplane.federation.assembly import FederationServices
from idplane.iam import api as iam_api
from idplane.iam.assembly import IamServices, iam_authorizer
from idplane.iam.directory import SqlCredentialDirectory, sealed_secret_sample
from idplane.iam.domains import api as domains_api
from idplane.iam.domains.service import DomainService
from idplane.iam.roles.catalog import system_roles
from idplane.iam.service import AccountService
from idplane.iam.sessions.service import AgencySessions
from idplane.iam.sessions.tokens import AgencyTokens
from idplane.iam.tokens import TokenService
from idplane.identitycenter.assembly import IdentityCenterServices
from idplane.identitystore.assembly import IdentityStoreServices
from idplane.identitystore.external_idp import api as external_idp_api
from idplane.identitystore.external_idp.service import ExternalIdpService
from idplane.instances.gate import IdentityCenterGate
from idplane.lakeformation import api as lakeformation_api
from idplane.lakeformation.service import LakeFormationService
from idplane.operations import install_operations
from idplane.organizations.assembly import OrganizationServices, guardrails
from idplane.platform.audit import AuditTrail
from idplane.platform.auth.authenticate import Authenticator
from idplane.platform.authz import Authorizer
from idplane.platform.crypto import SecretBox, load_or_create_master_key, set_password_hashing
from idplane.platform.db import Store
from idplane.platform.errors import (
    IamEnvelope,
    IdentityCenterEnvelope,
    LakeFormationEnvelope,
    OidcEnvelope,
    OrganizationsEnvelope,
    ScimEnvelope,
    StsEnvelope,
)
from idplane.platform.keycheck import verify_master_key
from idplane.platform.request_context import RequestContextMiddleware
from idplane.platform.routing import include_routes
from idplane.platform.web import EnvelopeRoutes, install_error_handlers
from idplane.scim.endpoint import api as scim_api
from idplane.scim.endpoint.groups import member_deleted
from idplane.scim.endpoint.service import ScimService
from idplane.signin.assembly import Signin
from idplane.signin.mail import Mailer
from idplane.signin.portal.credentials import agency_credentials
from idplane.sts import api as sts_api
from idplane.sts.service import StsService


@dataclass
class Core:
    """What every service is built from."""

    settings: Settings
    store: Store
    box: SecretBox
    authorizer: Authorizer
    accounts: AccountService
    tokens: TokenService
    iam: IamServices
    sessions: AgencySessions  # agency sessions (STS, agency tokens, portal credentials)


def build_core(settings: Settings, store: Store | None = None) -> Core:
    store = store or Store(settings.database_url)
    set_password_hashing(
        settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
    )
    box = SecretBox(load_or_create_master_key(settings.master_key, settings.data_dir))
    source = "IDPLANE_MASTER_KEY" if settings.master_key else str(settings.data_dir / "master.key")
    verify_master_key(store, box, source, sealed_secret_sample)
    authorizer = iam_authorizer(store, box, guardrails=guardrails(store))
    return Core(
        settings=settings,
        store=store,
        box=box,
        authorizer=authorizer,
        accounts=AccountService(store, box, settings),
        tokens=TokenService(store, box, settings),
        iam=IamServices.build(store, box, authorizer),
        sessions=AgencySessions(store, box),
    )


def envelope_routes() -> EnvelopeRoutes:
    """Which error dialect each path family answers in (first match wins; IAM otherwise)."""
    routes = EnvelopeRoutes(default=IamEnvelope())
    routes.add(r"^/v1/organizations(/|$)", OrganizationsEnvelope())
    routes.add(r"^/v1/received-handshakes(/|$)", OrganizationsEnvelope())
    routes.add(r"^/v2/organizations(/|$)", OrganizationsEnvelope())
    routes.add(
        r"^/v1/[^/]+/(agreement|agreement-rule|agency|access-service)(/|$)", LakeFormationEnvelope()
    )
    routes.add(r"^/v2/(agreement|agency)(/|$)", LakeFormationEnvelope())
    routes.add(r"^/v1/agency/", LakeFormationEnvelope())
    routes.add(r"^/[^/]+/scim/v2(/|$)", ScimEnvelope())
    routes.add(r"^/v1/(clients|device/authorize|tokens)$", OidcEnvelope())
    routes.add(r"^/v5/", StsEnvelope())
    routes.add(r"^/v1/", IdentityCenterEnvelope())
    routes.add(r"^/saml/", IdentityCenterEnvelope())  # application instances' IdP metadata
    return routes


def create_app(settings: Settings, core: Core | None = None) -> FastAPI:
    core = core or build_core(settings)
    app = FastAPIOffline(  # /docs and /redoc with their assets from the package: no CDN
        title="idplane",
        version=__version__,
        description="Huawei Cloud identity control plane APIs, self-hosted.",
    )
    app.state.envelopes = envelope_routes()
    app.state.authenticator = Authenticator(SqlCredentialDirectory(core.store, core.box))
    install_error_handlers(app)
    install_operations(app, core.store, app.state.envelopes, settings.log_format)
    app.add_middleware(
        RequestContextMiddleware, audit=AuditTrail(core.store).record, store=core.store
    )
    agency_tokens = AgencyTokens(core.store, core.authorizer, core.sessions, core.tokens)
    include_routes(
        app, iam_api.create_router(core.accounts, core.tokens, settings.endpoint, agency_tokens)
    )
    for router in core.iam.routers(settings.endpoint):
        include_routes(app, router)
    for router in OrganizationServices.build(core.store, core.authorizer, core.accounts).routers():
        include_routes(app, router)
    gate = IdentityCenterGate(core.store, core.authorizer)
    identity_store = IdentityStoreServices.build(core.store, gate, settings.endpoint)
    identity_center = IdentityCenterServices.build(
        core.store, gate, core.box, identity_store.directory, settings.region, settings.endpoint
    )
    # A group's SCIM version moves when a member is deleted (through either API).
    identity_store.directory.add_principal_deleted_hook(member_deleted)
    for router in identity_center.instance_routers():
        include_routes(app, router)
    lakeformation = LakeFormationService(core.store, core.authorizer, core.sessions)
    include_routes(app, lakeformation_api.create_router(lakeformation))
    federation = FederationServices.build(core.store, core.authorizer, core.accounts, core.tokens)
    for router in federation.routers(settings.endpoint):
        include_routes(app, router)
    domains = DomainService(core.store, core.authorizer)
    include_routes(app, domains_api.create_router(domains, settings.endpoint))
    for router in [*identity_store.routers(), *identity_center.routers()]:
        include_routes(app, router)
    external_idp = ExternalIdpService(core.store, gate, core.box, settings.endpoint)
    include_routes(app, external_idp_api.create_router(external_idp))
    scim = ScimService(core.store, identity_store.directory, identity_store.provisioning)
    include_routes(app, scim_api.create_router(scim))
    mailer = Mailer(settings.smtp_host, settings.smtp_port, settings.smtp_from)
    signin = Signin.build(
        core.store,
        settings.endpoint,
        core.box,
        agency_credentials(core.sessions),
        gate,
        mailer,
        external_idp,
    )
    if signin.users is not None:
        identity_store.users.email_user_created.append(signin.users.user_created_with_email_mode)
    for router in signin.routers():
        include_routes(app, router)
    sts = StsService(core.store, core.authorizer, core.sessions, core.box, system_roles())
    include_routes(app, sts_api.create_router(sts))
    if settings.enable_test_reset:
        from idplane.testing import api as testing_api

        include_routes(app, testing_api.create_router(core))
    return app


def app_from_environment() -> FastAPI:
    """Factory for `uvicorn --factory` and multi-worker serving: settings from IDPLANE_*."""
    from idplane.config import load_settings
    from idplane.platform.startup import settled_heap

    app = create_app(load_settings())
    settled_heap()  # this process only serves: see platform/startup.py
    return app
