"""Deleting Identity Center (`POST /v1/service/delete`) leaves none of the access data behind:
permission sets and what they hold, provisionings, assignments, status records, settings."""

from __future__ import annotations

from huaweicloudsdkidentitycenter.v1 import model as ic
from sqlalchemy import func, select

from idplane.identitycenter.assignments.tables import AccountAssignment, AssignmentOperation
from idplane.identitycenter.permission_sets.tables import (
    AttachedPolicy,
    PermissionSet,
    PermissionSetTag,
    Provisioning,
    ProvisioningStatus,
)
from idplane.identitycenter.settings.tables import InstanceSettings
from tests.identitycenter.access.support import assign, create_permission_set, new_org

TABLES_BY_INSTANCE = [
    PermissionSet,
    Provisioning,
    ProvisioningStatus,
    AccountAssignment,
    AssignmentOperation,
    InstanceSettings,
]


def _count(server, model, column, value) -> int:
    with server.core.store.read() as session:
        stmt = select(func.count()).select_from(model).where(getattr(model, column) == value)
        return session.scalar(stmt)


def test_deleting_identity_center_removes_every_access_row(server) -> None:
    org = new_org(server)
    client = org.ic()
    ps = create_permission_set(
        client, org.instance_id, tags=[ic.TagDto(key="k", value="v")]
    ).permission_set_id
    client.attach_managed_role_to_permission_set(
        ic.AttachManagedRoleToPermissionSetRequest(
            instance_id=org.instance_id,
            permission_set_id=ps,
            body=ic.ResourceAttachManagedPolicyToPermissionSetReqBody(
                managed_role_id="f4a365bf919be561a4c3e0b17f5f19ae"
            ),
        )
    )
    assign(client, org.instance_id, ps, "USER", org.user(), org.accounts[0].account_id)
    client.provision_permission_set(
        ic.ProvisionPermissionSetRequest(
            instance_id=org.instance_id,
            permission_set_id=ps,
            body=ic.ProvisionPermissionSetReqBody(target_type="ALL_PROVISIONED_ACCOUNTS"),
        )
    )
    client.update_ha_configuration(
        ic.UpdateHaConfigurationRequest(
            instance_id=org.instance_id,
            body=ic.UpdateHAConfigurationReqBody(disaster_recovery_choice="ACCEPT"),
        )
    )
    for model in TABLES_BY_INSTANCE:
        assert _count(server, model, "instance_id", org.instance_id) >= 1, model.__tablename__

    client.delete_identity_center(ic.DeleteIdentityCenterRequest())

    for model in TABLES_BY_INSTANCE:
        assert _count(server, model, "instance_id", org.instance_id) == 0, model.__tablename__
    for model in (AttachedPolicy, PermissionSetTag):
        assert _count(server, model, "permission_set_id", ps) == 0, model.__tablename__
