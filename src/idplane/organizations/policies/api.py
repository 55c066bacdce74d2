"""Routes of policies (`/policies`) and of their dry-run twins (`/dry-run-policies`), policy
types on the root, the dry-run configuration and effective policies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.organizations.policies import schemas as s
from idplane.organizations.policies.dry_run import DryRunConfigService
from idplane.organizations.policies.service import NewPolicy, PolicyService
from idplane.organizations.schemas import page_info, page_of
from idplane.organizations.units.schemas import entity_out
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import OrganizationsEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty


def create_router(
    policies: PolicyService, dry_run: PolicyService, config: DryRunConfigService
) -> APIRouter:
    router = api_router(
        envelope=OrganizationsEnvelope(), prefix="/v1/organizations", tags=["organizations"]
    )
    signed = authenticated(SIGNED)

    @router.post("/policies/enable", response_model=s.RootResponse)
    def enable_policy_type(body: s.PolicyTypeBody, caller: Caller = Depends(signed)):
        view = policies.enable_policy_type(caller, body.root_id, body.policy_type)
        return s.RootResponse(root=s.root_dto(view))

    @router.post("/policies/disable", response_model=s.RootResponse)
    def disable_policy_type(body: s.PolicyTypeBody, caller: Caller = Depends(signed)):
        view = policies.disable_policy_type(caller, body.root_id, body.policy_type)
        return s.RootResponse(root=s.root_dto(view))

    @router.get("/entities/effective-policies", response_model=s.EffectivePoliciesResponse)
    def show_effective_policies(
        entity_id: str, policy_type: str, caller: Caller = Depends(signed)
    ) -> s.EffectivePoliciesResponse:
        effective = policies.show_effective_policies(caller, entity_id, policy_type)
        return s.effective_out(effective)

    @router.get("/dry-run-config", response_model=s.DryRunConfigResponse)
    def show_dry_run_config(root_id: str, policy_type: str, caller: Caller = Depends(signed)):
        return s.DryRunConfigResponse(root=s.config_out(config.show(caller, root_id, policy_type)))

    @router.post("/dry-run-config", response_model=s.DryRunConfigResponse)
    def update_dry_run_config(body: s.DryRunConfigBody, caller: Caller = Depends(signed)):
        updated = config.update(caller, body.model_dump())
        return s.DryRunConfigResponse(root=s.config_out(updated))

    _policy_routes(router, signed, policies, "policies")
    _policy_routes(router, signed, dry_run, "dry-run-policies")
    return router


def _policy_routes(router: APIRouter, signed, service: PolicyService, noun: str) -> None:
    """One set of routes per family; the handler names follow the SDK's for `policies`."""
    dry = "_dry_run" if noun != "policies" else ""

    def create_policy(body: s.CreatePolicyBody, caller: Caller = Depends(signed)):
        tags = [tag.model_dump() for tag in body.tags or []]
        new = NewPolicy(body.name, body.description, body.content, body.type, tags)
        return s.policy_out(service.create_policy(caller, new))

    def list_policies(
        attached_entity_id: str | None = None,
        limit: int | None = None,
        marker: str | None = None,
        caller: Caller = Depends(signed),
    ) -> s.PoliciesResponse:
        page = service.list_policies(
            caller, attached_entity_id, page_of(limit, marker, default=200, maximum=2000)
        )
        rows = [s.summary_out(view) for view in page.rows]
        return s.PoliciesResponse(policies=rows, page_info=page_info(page))

    def show_policy(policy_id: str, caller: Caller = Depends(signed)):
        return s.policy_out(service.show_policy(caller, policy_id))

    def update_policy(policy_id: str, body: s.UpdatePolicyBody, caller: Caller = Depends(signed)):
        view = service.update_policy(caller, policy_id, body.name, body.description, body.content)
        return s.policy_out(view)

    def delete_policy(policy_id: str, caller: Caller = Depends(signed)) -> Response:
        service.delete_policy(caller, policy_id)
        return empty(204)

    def attach_policy(policy_id: str, body: s.EntityBody, caller: Caller = Depends(signed)):
        service.attach_policy(caller, policy_id, body.entity_id)
        return empty(200)

    def detach_policy(policy_id: str, body: s.EntityBody, caller: Caller = Depends(signed)):
        service.detach_policy(caller, policy_id, body.entity_id)
        return empty(200)

    def list_entities_for_policy(
        policy_id: str,
        limit: int | None = None,
        marker: str | None = None,
        caller: Caller = Depends(signed),
    ) -> dict[str, Any]:
        page = service.list_entities_for_policy(
            caller, policy_id, page_of(limit, marker, default=200, maximum=2000)
        )
        rows = [entity_out(entity) for entity in page.rows]
        return {"attached_entities": rows, "page_info": page_info(page)}

    base, item = f"/{noun}", f"/{noun}/{{policy_id}}"
    routes: list[tuple[str, str, Callable[..., Any], Any, int, str]] = [
        ("POST", base, create_policy, s.PolicyResponse, 200, f"create{dry}_policy"),
        ("GET", base, list_policies, s.PoliciesResponse, 200, f"list{dry}_policies"),
        ("GET", item, show_policy, s.PolicyResponse, 200, f"show{dry}_policy"),
        ("PATCH", item, update_policy, s.PolicyResponse, 200, f"update{dry}_policy"),
        ("DELETE", item, delete_policy, None, 204, f"delete{dry}_policy"),
        ("POST", f"{item}/attach", attach_policy, None, 200, f"attach{dry}_policy"),
        ("POST", f"{item}/detach", detach_policy, None, 200, f"detach{dry}_policy"),
        (
            "GET",
            f"{item}/attached-entities",
            list_entities_for_policy,
            s.AttachedEntitiesResponse,
            200,
            f"list_entities_for{dry}_policy",
        ),
    ]
    for method, path, endpoint, model, status, name in routes:
        router.add_api_route(
            path, endpoint, methods=[method], response_model=model, status_code=status, name=name
        )
