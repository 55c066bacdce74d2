"""HTTP routes of permission sets, their policies, tags and provisioning, named after the SDK
methods. Literal paths (`provisioned-to-accounts`, `provisioning-statuses`) come before
`{permission_set_id}` so they are never read as an id."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.identitycenter.permission_sets import schemas as s
from idplane.identitycenter.permission_sets.policies import PolicyService
from idplane.identitycenter.permission_sets.provisioning import (
    PermissionSetProvisioningService,
    ProvisionRequest,
)
from idplane.identitycenter.permission_sets.service import PermissionSetService
from idplane.instances.schemas import Marker, OptionalQuery, PathId, QueryId
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.paging import page_request
from idplane.platform.routing import api_router, include_routes
from idplane.platform.web import SIGNED, authenticated, empty

PREFIX = "/v1/instances/{instance_id}/permission-sets"
ONE = PREFIX + "/{permission_set_id}"


def create_router(
    permission_sets: PermissionSetService,
    policies: PolicyService,
    provisioning: PermissionSetProvisioningService,
) -> APIRouter:
    router = _router()
    for part in (
        _permission_set_routes(permission_sets),
        _provisioning_routes(provisioning),
        _one_permission_set_routes(permission_sets),
        _policy_routes(policies),
        _tag_routes(permission_sets),
    ):
        include_routes(router, part)
    return router


def _router() -> APIRouter:
    return api_router(envelope=IdentityCenterEnvelope(), tags=["permission-sets"])


def _permission_set_routes(service: PermissionSetService) -> APIRouter:
    router = _router()
    signed = authenticated(SIGNED)

    @router.post(PREFIX, response_model=s.PermissionSetResponse)
    def create_permission_set(
        instance_id: PathId, body: s.CreatePermissionSetBody, caller: Caller = Depends(signed)
    ) -> s.PermissionSetResponse:
        return s.one_out(service.create_permission_set(caller, instance_id, body))

    @router.get(PREFIX, response_model=s.PermissionSetsResponse)
    def list_permission_sets(
        instance_id: PathId,
        limit: int | None = None,
        marker: Marker = None,
        permission_set_id: OptionalQuery = None,
        permission_urn: OptionalQuery = None,
        name: OptionalQuery = None,
        caller: Caller = Depends(signed),
    ) -> s.PermissionSetsResponse:
        page = service.list_permission_sets(
            caller,
            instance_id,
            page_request(limit, marker),
            permission_set_id,
            permission_urn,
            name,
        )
        return s.page_out(page)

    @router.get("/v1/instances/{instance_id}/permission-set-summary")
    def get_permission_set_summary(
        instance_id: PathId, caller: Caller = Depends(signed)
    ) -> s.SummaryResponse:
        summary = service.get_permission_set_summary(caller, instance_id)
        return s.SummaryResponse(
            permission_sets=summary.permission_sets,
            permission_sets_quota=summary.quotas.permission_sets_per_instance,
            permission_policy_count_quota=summary.quotas.policies_per_permission_set,
            permission_policy_quota=summary.quotas.identity_policies_per_permission_set,
        )

    return router


def _one_permission_set_routes(service: PermissionSetService) -> APIRouter:
    router = _router()
    signed = authenticated(SIGNED)

    @router.get(ONE, response_model=s.PermissionSetResponse)
    def describe_permission_set(
        instance_id: PathId, permission_set_id: PathId, caller: Caller = Depends(signed)
    ) -> s.PermissionSetResponse:
        return s.one_out(service.describe_permission_set(caller, instance_id, permission_set_id))

    @router.put(ONE)
    def update_permission_set(
        instance_id: PathId,
        permission_set_id: PathId,
        body: s.UpdatePermissionSetBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.update_permission_set(caller, instance_id, permission_set_id, body)
        return empty(200)

    @router.delete(ONE)
    def delete_permission_set(
        instance_id: PathId, permission_set_id: PathId, caller: Caller = Depends(signed)
    ) -> Response:
        service.delete_permission_set(caller, instance_id, permission_set_id)
        return empty(200)

    return router


def _provisioning_routes(service: PermissionSetProvisioningService) -> APIRouter:
    router = _router()
    signed = authenticated(SIGNED)

    @router.get(
        PREFIX + "/provisioned-to-accounts", response_model=s.ProvisionedPermissionSetsResponse
    )
    def list_permission_sets_provisioned_to_account(
        instance_id: PathId,
        account_id: QueryId,
        limit: int | None = None,
        marker: Marker = None,
        provisioning_status: OptionalQuery = None,
        caller: Caller = Depends(signed),
    ) -> s.ProvisionedPermissionSetsResponse:
        page = service.list_permission_sets_provisioned_to_account(
            caller, instance_id, account_id, page_request(limit, marker), provisioning_status
        )
        return s.provisioned_sets_out(page)

    @router.get(
        PREFIX + "/provisioning-status/{request_id}", response_model=s.ProvisioningStatusResponse
    )
    def describe_permission_set_provisioning_status(
        instance_id: PathId, request_id: PathId, caller: Caller = Depends(signed)
    ) -> s.ProvisioningStatusResponse:
        status = service.describe_permission_set_provisioning_status(
            caller, instance_id, request_id
        )
        return s.provisioning_status_out(status)

    @router.get(PREFIX + "/provisioning-statuses", response_model=s.ProvisioningStatusesResponse)
    def list_permission_set_provisioning_status(
        instance_id: PathId,
        limit: int | None = None,
        marker: Marker = None,
        status: OptionalQuery = None,
        caller: Caller = Depends(signed),
    ) -> s.ProvisioningStatusesResponse:
        page = service.list_permission_set_provisioning_status(
            caller, instance_id, page_request(limit, marker), status
        )
        return s.provisioning_statuses_out(page)

    @router.post(ONE + "/provision", response_model=s.ProvisioningStatusResponse)
    def provision_permission_set(
        instance_id: PathId,
        permission_set_id: PathId,
        body: s.ProvisionBody,
        caller: Caller = Depends(signed),
    ) -> s.ProvisioningStatusResponse:
        target = ProvisionRequest(body.target_type, body.target_id)
        status = service.provision_permission_set(caller, instance_id, permission_set_id, target)
        return s.provisioning_status_out(status)

    @router.get(ONE + "/accounts", response_model=s.AccountIdsResponse)
    def list_accounts_for_provisioned_permission_set(
        instance_id: PathId,
        permission_set_id: PathId,
        limit: int | None = None,
        marker: Marker = None,
        provisioning_status: OptionalQuery = None,
        caller: Caller = Depends(signed),
    ) -> s.AccountIdsResponse:
        page = service.list_accounts_for_provisioned_permission_set(
            caller, instance_id, permission_set_id, page_request(limit, marker), provisioning_status
        )
        return s.account_ids_out(page)

    return router


def _policy_routes(service: PolicyService) -> APIRouter:
    router = _router()
    signed = authenticated(SIGNED)

    @router.post(ONE + "/attach-managed-policy")
    def attach_managed_policy_to_permission_set(
        instance_id: PathId,
        permission_set_id: PathId,
        body: s.AttachPolicyBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.attach_managed_policy_to_permission_set(
            caller, instance_id, permission_set_id, body.managed_policy_id, body.managed_policy_name
        )
        return empty(200)

    @router.post(ONE + "/detach-managed-policy")
    def detach_managed_policy_from_permission_set(
        instance_id: PathId,
        permission_set_id: PathId,
        body: s.DetachPolicyBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.detach_managed_policy_from_permission_set(
            caller, instance_id, permission_set_id, body.managed_policy_id
        )
        return empty(200)

    @router.get(ONE + "/managed-policies", response_model=s.ManagedPoliciesResponse)
    def list_managed_policies_in_permission_set(
        instance_id: PathId,
        permission_set_id: PathId,
        limit: int | None = None,
        marker: Marker = None,
        caller: Caller = Depends(signed),
    ) -> s.ManagedPoliciesResponse:
        page = service.list_managed_policies_in_permission_set(
            caller, instance_id, permission_set_id, page_request(limit, marker)
        )
        return s.managed_policies_out(page)

    @router.post(ONE + "/attach-managed-role")
    def attach_managed_role_to_permission_set(
        instance_id: PathId,
        permission_set_id: PathId,
        body: s.AttachRoleBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.attach_managed_role_to_permission_set(
            caller, instance_id, permission_set_id, body.managed_role_id, body.managed_role_name
        )
        return empty(200)

    @router.post(ONE + "/detach-managed-role")
    def detach_managed_role_from_permission_set(
        instance_id: PathId,
        permission_set_id: PathId,
        body: s.DetachRoleBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.detach_managed_role_from_permission_set(
            caller, instance_id, permission_set_id, body.managed_role_id
        )
        return empty(200)

    @router.get(ONE + "/managed-roles", response_model=s.ManagedRolesResponse)
    def list_managed_roles_in_permission_set(
        instance_id: PathId,
        permission_set_id: PathId,
        limit: int | None = None,
        marker: Marker = None,
        caller: Caller = Depends(signed),
    ) -> s.ManagedRolesResponse:
        page = service.list_managed_roles_in_permission_set(
            caller, instance_id, permission_set_id, page_request(limit, marker)
        )
        return s.managed_roles_out(page)

    @router.put(ONE + "/custom-policy")
    def put_custom_policy_to_permission_set(
        instance_id: PathId,
        permission_set_id: PathId,
        body: s.CustomPolicyBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.put_custom_policy_to_permission_set(
            caller, instance_id, permission_set_id, body.custom_policy
        )
        return empty(200)

    @router.get(ONE + "/custom-policy", response_model=s.CustomPolicyResponse)
    def get_custom_policy_for_permission_set(
        instance_id: PathId, permission_set_id: PathId, caller: Caller = Depends(signed)
    ) -> s.CustomPolicyResponse:
        document = service.get_custom_policy_for_permission_set(
            caller, instance_id, permission_set_id
        )
        return s.CustomPolicyResponse(custom_policy=document)

    @router.delete(ONE + "/custom-policy")
    def delete_custom_policy_from_permission_set(
        instance_id: PathId, permission_set_id: PathId, caller: Caller = Depends(signed)
    ) -> Response:
        service.delete_custom_policy_from_permission_set(caller, instance_id, permission_set_id)
        return empty(200)

    @router.put(ONE + "/custom-role")
    def put_custom_role_to_permission_set(
        instance_id: PathId,
        permission_set_id: PathId,
        body: s.CustomRoleBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.put_custom_role_to_permission_set(
            caller, instance_id, permission_set_id, body.custom_role
        )
        return empty(200)

    @router.get(ONE + "/custom-role", response_model=s.CustomRoleResponse)
    def get_custom_role_for_permission_set(
        instance_id: PathId, permission_set_id: PathId, caller: Caller = Depends(signed)
    ) -> s.CustomRoleResponse:
        document = service.get_custom_role_for_permission_set(
            caller, instance_id, permission_set_id
        )
        return s.CustomRoleResponse(custom_role=document)

    @router.delete(ONE + "/custom-role")
    def delete_custom_role_from_permission_set(
        instance_id: PathId, permission_set_id: PathId, caller: Caller = Depends(signed)
    ) -> Response:
        service.delete_custom_role_from_permission_set(caller, instance_id, permission_set_id)
        return empty(200)

    return router


def _tag_routes(service: PermissionSetService) -> APIRouter:
    """Tags live under `/v1/instances/{resource_type}/{resource_id}`; the only resource type
    is `identitycenter:permissionset` (what Huawei's Terraform provider sends)."""
    router = _router()
    signed = authenticated(SIGNED)
    tags = "/v1/instances/{resource_type}/{resource_id}/tags"

    @router.get(tags, response_model=s.TagsResponse)
    def list_tag_resources(
        resource_type: PathId,
        resource_id: PathId,
        limit: int | None = None,
        marker: Marker = None,
        caller: Caller = Depends(signed),
    ) -> s.TagsResponse:
        page = service.list_tag_resources(
            caller, resource_type, resource_id, page_request(limit, marker)
        )
        return s.tags_out(page)

    @router.post(tags + "/create")
    def create_tag_resource(
        resource_type: PathId,
        resource_id: PathId,
        body: s.TagsBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.create_tag_resource(caller, resource_type, resource_id, body.tags)
        return empty(200)

    @router.post(tags + "/delete")
    def delete_tag_resource(
        resource_type: PathId,
        resource_id: PathId,
        body: s.DeleteTagsBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.delete_tag_resource(caller, resource_type, resource_id, body.tags)
        return empty(200)

    return router
