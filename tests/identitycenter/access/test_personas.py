"""Who may do what with permission sets, assignments and settings: account personas (management,
delegated administrator, member, outsider, temporary and expired credentials) and IAM users
(IdentityCenter FullAccess, ReadOnlyAccess, FullAccess with a custom Deny) against a read and
a write of each operation family."""

from __future__ import annotations

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkidentitycenter.v1 import model as ic

from tests.identitycenter.access.support import (
    assign,
    create_permission_set,
    ic_client,
    outcome,
    unique,
)
from tests.identitystore.builders import Directory, create_user
from tests.org_personas import personas
from tests.personas import iam_user_with_policy, iam_user_with_roles

OK = "ok"
NOT_ADMIN = (403, "IIC.1215")
DENIED = (403, "IIC.1000")
EXPIRED = (401, "APIGW.0301")
DENY_ASSIGN = [{"Effect": "Deny", "Action": ["IdentityCenter:accountAssignment:create"]}]


@pytest.fixture(scope="module")
def cast(server):
    cast = personas(server)
    management = cast["management"].creds
    client = cast["management"].identitycenter(server)
    instance = client.list_instances(ic.ListInstancesRequest()).instances[0]
    full, read = ["IdentityCenter FullAccess"], ["IdentityCenter ReadOnlyAccess"]
    users = {
        "iam_full": iam_user_with_roles(server, management, full),
        "iam_read_only": iam_user_with_roles(server, management, read),
        "iam_full_deny_assign": iam_user_with_policy(server, management, DENY_ASSIGN, full),
        "delegate_iam_read_only": iam_user_with_roles(server, cast["delegate"].creds, read),
    }
    directory = Directory(
        server, management, cast["delegate"].creds, instance.identity_store_id, instance.instance_id
    )
    return {
        "personas": cast,
        "users": users,
        "instance_id": instance.instance_id,
        "ps": create_permission_set(client, instance.instance_id).permission_set_id,
        "user": create_user(directory),
        "account": cast["member"].account_id,
    }


def _client(server, cast, who):
    if who in cast["users"]:
        return ic_client(server, cast["users"][who])
    return cast["personas"][who].identitycenter(server)


def _list_permission_sets(client, cast):
    client.list_permission_sets(ic.ListPermissionSetsRequest(instance_id=cast["instance_id"]))


def _create_permission_set(client, cast):
    create_permission_set(client, cast["instance_id"], unique())


def _attach_role(client, cast):
    body = ic.ResourceAttachManagedPolicyToPermissionSetReqBody(
        managed_role_id="f4a365bf919be561a4c3e0b17f5f19ae"  # Tenant Guest
    )
    request = ic.AttachManagedRoleToPermissionSetRequest(
        instance_id=cast["instance_id"], permission_set_id=cast["ps"], body=body
    )
    try:
        client.attach_managed_role_to_permission_set(request)
    except ClientRequestException as error:  # attached by an earlier persona: allowed anyway
        if error.error_code != "IIC.1207":
            raise


def _list_assignments(client, cast):
    client.list_account_assignments(
        ic.ListAccountAssignmentsRequest(
            instance_id=cast["instance_id"], account_id=cast["account"]
        )
    )


def _create_assignment(client, cast):
    assign(client, cast["instance_id"], cast["ps"], "USER", cast["user"], cast["account"])


def _get_sso(client, cast):
    client.get_sso_configuration(ic.GetSsoConfigurationRequest(instance_id=cast["instance_id"]))


def _update_ha(client, cast):
    body = ic.UpdateHAConfigurationReqBody(disaster_recovery_choice="ACCEPT")
    client.update_ha_configuration(
        ic.UpdateHaConfigurationRequest(instance_id=cast["instance_id"], body=body)
    )


CALLS = {
    "list_permission_sets": _list_permission_sets,
    "create_permission_set": _create_permission_set,
    "attach_role": _attach_role,
    "list_assignments": _list_assignments,
    "create_assignment": _create_assignment,
    "get_sso": _get_sso,
    "update_ha": _update_ha,
}
READS = {"list_permission_sets", "list_assignments", "get_sso"}
EXPECTED = {
    "management": dict.fromkeys(CALLS, OK),
    "delegate": dict.fromkeys(CALLS, OK),
    "temporary": dict.fromkeys(CALLS, OK),
    "member": dict.fromkeys(CALLS, NOT_ADMIN),
    "outsider": dict.fromkeys(CALLS, NOT_ADMIN),
    "expired": dict.fromkeys(CALLS, EXPIRED),
    "iam_user": dict.fromkeys(CALLS, DENIED),
    "iam_full": dict.fromkeys(CALLS, OK),
    "iam_read_only": {call: OK if call in READS else DENIED for call in CALLS},
    "delegate_iam_read_only": {call: OK if call in READS else DENIED for call in CALLS},
    "iam_full_deny_assign": {call: DENIED if call == "create_assignment" else OK for call in CALLS},
}
MATRIX = [(who, call) for who, row in EXPECTED.items() for call in row]


@pytest.mark.parametrize(("who", "call"), MATRIX, ids=[f"{w}-{c}" for w, c in MATRIX])
def test_persona_matrix(server, cast, who, call) -> None:
    client = _client(server, cast, who)
    assert outcome(lambda: CALLS[call](client, cast)) == EXPECTED[who][call]
