"""HTTP routes of Keystone's /v3/domains (accounts as domains)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Response

from idplane.iam.domains.schemas import DomainUpdateBody
from idplane.iam.domains.service import DomainService
from idplane.iam.render import domain_view
from idplane.iam.schemas import query_bool
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IamEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED_OR_TOKEN, authenticated, empty


def create_router(domains: DomainService, endpoint: str) -> APIRouter:
    router = api_router(envelope=IamEnvelope(), tags=["iam"])
    caller_of = authenticated(SIGNED_OR_TOKEN)

    @router.get("/v3/domains")
    def keystone_list_domains(
        caller: Caller = Depends(caller_of),
        name: str | None = Query(None),
        enabled: str | None = Query(None),
    ) -> dict:
        found = domains.keystone_list_domains(caller, name, query_bool(enabled))
        return {
            "domains": [domain_view(a, endpoint) for a in found],
            "links": {"self": f"{endpoint}/v3/domains", "previous": None, "next": None},
        }

    @router.get("/v3/domains/{domain_id}")
    def keystone_show_domain(domain_id: str, caller: Caller = Depends(caller_of)) -> dict:
        return {"domain": domain_view(domains.keystone_show_domain(caller, domain_id), endpoint)}

    @router.get("/v3/domains/{domain_id}/config/security_compliance")
    def keystone_show_security_compliance(
        domain_id: str, caller: Caller = Depends(caller_of)
    ) -> dict:
        policy = domains.keystone_show_security_compliance(caller, domain_id)
        return {"config": {"security_compliance": policy}}

    @router.get("/v3/domains/{domain_id}/config/security_compliance/{option}")
    def keystone_show_security_compliance_by_option(
        domain_id: str, option: str, caller: Caller = Depends(caller_of)
    ) -> dict:
        found = domains.keystone_show_security_compliance_by_option(caller, domain_id, option)
        return {"config": found}

    @router.patch("/v3/domains/{domain_id}")
    def keystone_update_domain(
        domain_id: str, body: DomainUpdateBody, caller: Caller = Depends(caller_of)
    ) -> dict:
        changes = body.domain.model_dump(exclude_unset=True)
        account = domains.keystone_update_domain(caller, domain_id, changes)
        return {"domain": domain_view(account, endpoint)}

    @router.delete("/v3/domains/{domain_id}", status_code=204)
    def keystone_delete_domain(domain_id: str, caller: Caller = Depends(caller_of)) -> Response:
        domains.keystone_delete_domain(caller, domain_id)
        return empty(204)

    return router
