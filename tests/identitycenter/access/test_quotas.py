"""The documented quotas, reached by seeding rows straight into the store (what the APIs would
have written) and crossed through the official SDK: 2,000 permission sets per instance, 20
policies per permission set of which 10 identity policies, 50 permission sets per account."""

from __future__ import annotations

import json

from huaweicloudsdkidentitycenter.v1 import model as ic
from sqlalchemy import insert

from idplane.iam.roles.catalog import system_roles
from idplane.identitycenter.permission_sets.tables import (
    POLICY,
    ROLE,
    AttachedPolicy,
    PermissionSet,
    Provisioning,
)
from idplane.platform import ids
from idplane.platform.clock import now
from tests.identitycenter.access.support import (
    assign,
    create_permission_set,
    failure,
    new_org,
    unique,
)


def _seed_permission_sets(server, org, count: int) -> list[str]:
    moment, made = now(), []
    rows = []
    for _ in range(count):
        made.append(ids.prefixed_hex("ps-", 16))
        rows.append(
            {
                "id": made[-1],
                "instance_id": org.instance_id,
                "account_id": org.management.account_id,
                "name": unique("seed"),
                "session_duration": "PT1H",
                "version": 1,
                "created_at": moment,
                "updated_at": moment,
            }
        )
    with server.core.store.transaction() as session:
        session.execute(insert(PermissionSet), rows)
    return made


def _seed_policies(server, ps_id: str, kind: str, count: int) -> None:
    rows = [
        {
            "permission_set_id": ps_id,
            "kind": kind,
            "policy_id": f"seeded{n:026d}",
            "policy_name": f"seeded_{n}",
            "attached_at": now(),
        }
        for n in range(count)
    ]
    with server.core.store.transaction() as session:
        session.execute(insert(AttachedPolicy), rows)


def test_an_instance_holds_at_most_2000_permission_sets(server) -> None:
    org = new_org(server)
    _seed_permission_sets(server, org, 1999)
    client = org.ic()
    create_permission_set(client, org.instance_id)
    assert failure(lambda: create_permission_set(client, org.instance_id)) == (400, "IIC.400")
    summary = client.get_permission_set_summary(
        ic.GetPermissionSetSummaryRequest(instance_id=org.instance_id)
    )
    assert summary.permission_sets == 2000


def test_a_permission_set_holds_at_most_10_identity_policies(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    _seed_policies(server, ps, POLICY, 9)
    document = json.dumps(
        {"Version": "5.0", "Statement": [{"Effect": "Allow", "Action": ["ecs:*:*"]}]}
    )
    body = ic.PutCustomPolicyToPermissionSetReqBody(custom_policy=document)
    client.put_custom_policy_to_permission_set(
        ic.PutCustomPolicyToPermissionSetRequest(
            instance_id=org.instance_id, permission_set_id=ps, body=body
        )
    )
    attach = ic.AttachManagedPolicyToPermissionSetRequest(
        instance_id=org.instance_id,
        permission_set_id=ps,
        body=ic.AttachManagedPolicyToPermissionSetReqBody(
            managed_policy_id=system_roles().named("IAM ReadOnlyAccess").id
        ),
    )
    assert failure(lambda: client.attach_managed_policy_to_permission_set(attach)) == (
        400,
        "IIC.400",
    )
    role = ic.AttachManagedRoleToPermissionSetRequest(
        instance_id=org.instance_id,
        permission_set_id=ps,
        body=ic.ResourceAttachManagedPolicyToPermissionSetReqBody(
            managed_role_id=system_roles().named("Tenant Guest").id
        ),
    )
    client.attach_managed_role_to_permission_set(role)  # roles still fit


def test_a_permission_set_holds_at_most_20_policies(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    _seed_policies(server, ps, ROLE, 19)
    document = json.dumps(
        {"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ecs:*:get*"]}]}
    )
    put = ic.PutCustomRoleToPermissionSetRequest(
        instance_id=org.instance_id,
        permission_set_id=ps,
        body=ic.PutCustomRoleToPermissionSetReqBody(custom_role=document),
    )
    client.put_custom_role_to_permission_set(put)
    client.put_custom_role_to_permission_set(put)  # replacing takes no more room
    role = ic.AttachManagedRoleToPermissionSetRequest(
        instance_id=org.instance_id,
        permission_set_id=ps,
        body=ic.ResourceAttachManagedPolicyToPermissionSetReqBody(
            managed_role_id=system_roles().named("Tenant Guest").id
        ),
    )
    assert failure(lambda: client.attach_managed_role_to_permission_set(role)) == (
        400,
        "IIC.400",
    )


def test_an_account_holds_at_most_50_permission_sets(server, org) -> None:
    account = org.accounts[0].account_id
    seeded = _seed_permission_sets(server, org, 50)
    with server.core.store.transaction() as session:
        session.execute(
            insert(Provisioning),
            [
                {
                    "instance_id": org.instance_id,
                    "permission_set_id": ps,
                    "account_id": account,
                    "provisioned_version": 1,
                    "provisioned_at": now(),
                }
                for ps in seeded
            ],
        )
    client = org.ic()
    user = org.user()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    call = lambda: assign(client, org.instance_id, ps, "USER", user, account)  # noqa: E731
    assert failure(call) == (400, "IIC.400")
    assign(client, org.instance_id, seeded[0], "USER", user, account)  # already provisioned there
    assign(client, org.instance_id, ps, "USER", user, org.accounts[1].account_id)
