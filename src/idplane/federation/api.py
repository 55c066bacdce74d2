"""HTTP routes of OS-FEDERATION: identity providers, protocols, mappings (Keystone paths), the
OIDC configuration and SAML metadata (Huawei's /v3.0 and /v3-ext paths), and the federated
domain/project lists. Every route accepts X-Auth-Token and AK/SK signatures."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Response

from idplane.federation import schemas
from idplane.federation.extensions import FederationExtensionService
from idplane.federation.mappings import MappingService
from idplane.federation.protocols import ProtocolService
from idplane.federation.providers import IdentityProviderService
from idplane.federation.views import FederationViews
from idplane.iam.render import domain_view
from idplane.iam.schemas import query_bool
from idplane.iam.service import AccountService
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IamEnvelope
from idplane.platform.paging import page_request
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED_OR_TOKEN, authenticated, empty

IDPS = "/v3/OS-FEDERATION/identity_providers"
MAPPINGS = "/v3/OS-FEDERATION/mappings"
OIDC_CONFIG = "/v3.0/OS-FEDERATION/identity-providers/{idp_id}/openid-connect-config"
METADATA = "/v3-ext/OS-FEDERATION/identity_providers/{idp_id}/protocols/{protocol_id}/metadata"


def create_router(
    providers: IdentityProviderService,
    protocols: ProtocolService,
    mappings: MappingService,
    extensions: FederationExtensionService,
    accounts: AccountService,
    endpoint: str,
) -> APIRouter:
    router = api_router(envelope=IamEnvelope(), tags=["federation"])
    views = FederationViews(endpoint)
    _provider_routes(router, providers, views)
    _protocol_routes(router, protocols, views)
    _mapping_routes(router, mappings, views)
    _extension_routes(router, extensions)
    _entity_routes(router, accounts, endpoint)
    return router


caller_of = authenticated(SIGNED_OR_TOKEN)


def _provider_routes(router: APIRouter, providers: IdentityProviderService, views) -> None:
    @router.get(IDPS)
    def keystone_list_identity_providers(
        caller: Caller = Depends(caller_of),
        id: str | None = Query(None),
        enabled: str | None = Query(None),
        limit: int | None = Query(None),
        marker: str | None = Query(None),
    ) -> dict:
        page = page_request(limit, marker, maximum=1000, code="IAM.0007")
        found = providers.keystone_list_identity_providers(caller, page, id, query_bool(enabled))
        items = [views.identity_provider(r) for r in found.items]
        query = {"id": id, "enabled": enabled, "limit": limit}
        return views.collection("identity_providers", items, found, "/identity_providers", query)

    @router.get(IDPS + "/{id}")
    def keystone_show_identity_provider(id: str, caller: Caller = Depends(caller_of)) -> dict:
        record = providers.keystone_show_identity_provider(caller, id)
        return {"identity_provider": views.identity_provider(record)}

    @router.put(IDPS + "/{id}", status_code=201)
    def keystone_create_identity_provider(
        id: str,
        body: schemas.IdentityProviderCreateBody | None = None,
        caller: Caller = Depends(caller_of),
    ) -> dict:
        spec = body.identity_provider.model_dump(exclude_unset=True) if body else {}
        record = providers.keystone_create_identity_provider(caller, id, spec)
        return {"identity_provider": views.identity_provider(record)}

    @router.patch(IDPS + "/{id}")
    def keystone_update_identity_provider(
        id: str, body: schemas.IdentityProviderUpdateBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        changes = body.identity_provider.model_dump(exclude_unset=True)
        record = providers.keystone_update_identity_provider(caller, id, changes)
        return {"identity_provider": views.identity_provider(record)}

    @router.delete(IDPS + "/{id}", status_code=204)
    def keystone_delete_identity_provider(id: str, caller: Caller = Depends(caller_of)) -> Response:
        providers.keystone_delete_identity_provider(caller, id)
        return empty(204)


def _protocol_routes(router: APIRouter, protocols: ProtocolService, views) -> None:
    path = IDPS + "/{idp_id}/protocols"

    @router.get(path)
    def keystone_list_protocols(
        idp_id: str,
        caller: Caller = Depends(caller_of),
        limit: int | None = Query(None),
        marker: str | None = Query(None),
    ) -> dict:
        page = page_request(limit, marker, maximum=1000, code="IAM.0007")
        found = protocols.keystone_list_protocols(caller, idp_id, page)
        items = [views.protocol(r) for r in found.items]
        where = f"/identity_providers/{idp_id}/protocols"
        return views.collection("protocols", items, found, where, {"limit": limit})

    @router.get(path + "/{protocol_id}")
    def keystone_show_protocol(
        idp_id: str, protocol_id: str, caller: Caller = Depends(caller_of)
    ) -> dict:
        record = protocols.keystone_show_protocol(caller, idp_id, protocol_id)
        return {"protocol": views.protocol(record)}

    @router.put(path + "/{protocol_id}", status_code=201)
    def keystone_create_protocol(
        idp_id: str,
        protocol_id: str,
        body: schemas.ProtocolBody,
        caller: Caller = Depends(caller_of),
    ) -> dict:
        spec = body.protocol.model_dump(exclude_unset=True)
        record = protocols.keystone_create_protocol(caller, idp_id, protocol_id, spec)
        return {"protocol": views.protocol(record)}

    @router.patch(path + "/{protocol_id}")
    def keystone_update_protocol(
        idp_id: str,
        protocol_id: str,
        body: schemas.ProtocolBody,
        caller: Caller = Depends(caller_of),
    ) -> dict:
        changes = body.protocol.model_dump(exclude_unset=True)
        record = protocols.keystone_update_protocol(caller, idp_id, protocol_id, changes)
        return {"protocol": views.protocol(record)}

    @router.delete(path + "/{protocol_id}", status_code=204)
    def keystone_delete_protocol(
        idp_id: str, protocol_id: str, caller: Caller = Depends(caller_of)
    ) -> Response:
        protocols.keystone_delete_protocol(caller, idp_id, protocol_id)
        return empty(204)


def _mapping_routes(router: APIRouter, mappings: MappingService, views) -> None:
    @router.get(MAPPINGS)
    def keystone_list_mappings(
        caller: Caller = Depends(caller_of),
        limit: int | None = Query(None),
        marker: str | None = Query(None),
    ) -> dict:
        page = page_request(limit, marker, maximum=1000, code="IAM.0007")
        found = mappings.keystone_list_mappings(caller, page)
        items = [views.mapping(r) for r in found.items]
        return views.collection("mappings", items, found, "/mappings", {"limit": limit})

    @router.get(MAPPINGS + "/{id}")
    def keystone_show_mapping(id: str, caller: Caller = Depends(caller_of)) -> dict:
        return {"mapping": views.mapping(mappings.keystone_show_mapping(caller, id))}

    @router.put(MAPPINGS + "/{id}", status_code=201)
    def keystone_create_mapping(
        id: str, body: schemas.MappingBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        record = mappings.keystone_create_mapping(caller, id, body.mapping.model_dump())
        return {"mapping": views.mapping(record)}

    @router.patch(MAPPINGS + "/{id}")
    def keystone_update_mapping(
        id: str, body: schemas.MappingBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        record = mappings.keystone_update_mapping(caller, id, body.mapping.model_dump())
        return {"mapping": views.mapping(record)}

    @router.delete(MAPPINGS + "/{id}", status_code=204)
    def keystone_delete_mapping(id: str, caller: Caller = Depends(caller_of)) -> Response:
        mappings.keystone_delete_mapping(caller, id)
        return empty(204)


def _extension_routes(router: APIRouter, extensions: FederationExtensionService) -> None:
    @router.post(OIDC_CONFIG, status_code=201)
    def create_open_id_connect_config(
        idp_id: str, body: schemas.OidcConfigBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        spec = body.openid_connect_config.model_dump(exclude_unset=True)
        config = extensions.create_open_id_connect_config(caller, idp_id, spec)
        return {"openid_connect_config": config}

    @router.get(OIDC_CONFIG)
    def show_open_id_connect_config(idp_id: str, caller: Caller = Depends(caller_of)) -> dict:
        config = extensions.show_open_id_connect_config(caller, idp_id)
        return {"openid_connect_config": config}

    @router.put(OIDC_CONFIG)
    def update_open_id_connect_config(
        idp_id: str, body: schemas.OidcConfigBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        changes = body.openid_connect_config.model_dump(exclude_unset=True)
        config = extensions.update_open_id_connect_config(caller, idp_id, changes)
        return {"openid_connect_config": config}

    @router.post(METADATA, status_code=201)
    def create_metadata(
        idp_id: str,
        protocol_id: str,
        body: schemas.MetadataBody,
        caller: Caller = Depends(caller_of),
    ) -> dict:
        extensions.create_metadata(caller, idp_id, protocol_id, body.model_dump())
        return {"message": "Import metadata successful"}

    @router.get(METADATA)
    def show_metadata(idp_id: str, protocol_id: str, caller: Caller = Depends(caller_of)) -> dict:
        return extensions.show_metadata(caller, idp_id, protocol_id)


def _entity_routes(router: APIRouter, accounts: AccountService, endpoint: str) -> None:
    """What a (federated) token can scope to: its account and the account's projects."""

    @router.get("/v3/OS-FEDERATION/domains")
    def keystone_list_federation_domains(caller: Caller = Depends(caller_of)) -> dict:
        domains = accounts.list_auth_domains(caller)
        return {
            "domains": [domain_view(d, endpoint) for d in domains],
            "links": {"self": f"{endpoint}/v3/OS-FEDERATION/domains"},
        }

    @router.get("/v3/OS-FEDERATION/projects")
    def keystone_list_federation_projects(caller: Caller = Depends(caller_of)) -> dict:
        projects = accounts.list_projects(caller)
        return {
            "projects": [_project_view(p, endpoint) for p in projects],
            "links": {"self": f"{endpoint}/v3/OS-FEDERATION/projects"},
        }


def _project_view(project, endpoint: str) -> dict:
    return {
        "id": project.id,
        "name": project.name,
        "domain_id": project.account_id,
        "parent_id": project.account_id,
        "enabled": project.enabled,
        "is_domain": False,
        "description": project.description,
        "links": {"self": f"{endpoint}/v3/projects/{project.id}"},
    }
