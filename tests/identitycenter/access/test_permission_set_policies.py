"""What a permission set grants, through the official SDK: IAM system policies and roles
(attach, detach, list), one custom policy and one custom role (put, get, delete)."""

from __future__ import annotations

import json

import pytest
from huaweicloudsdkidentitycenter.v1 import model as ic

from idplane.iam.roles.catalog import system_roles
from tests.identitycenter.access.support import Recorder, assert_envelope, create_permission_set
from tests.identitycenter.access.support import failure as failure_of

FULL = system_roles().named("IdentityCenter FullAccess")  # fine-grained policy (Version 1.1)
READ = system_roles().named("IdentityCenter ReadOnlyAccess")
TENANT_ADMIN = system_roles().named("Tenant Administrator")  # a role (Version 1.0)
ROLE_DOCUMENT = {"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["ecs:*:get*"]}]}
POLICY_DOCUMENT = {
    "Version": "5.0",
    "Statement": [{"Effect": "Allow", "Action": ["eps:resources:add"], "Resource": ["*"]}],
}


@pytest.fixture
def ps(org):
    return create_permission_set(org.ic(), org.instance_id).permission_set_id


def _attach_policy(client, org, ps, policy_id, name=None):
    body = ic.AttachManagedPolicyToPermissionSetReqBody(
        managed_policy_id=policy_id, managed_policy_name=name
    )
    return client.attach_managed_policy_to_permission_set(
        ic.AttachManagedPolicyToPermissionSetRequest(
            instance_id=org.instance_id, permission_set_id=ps, body=body
        )
    )


def _attach_role(client, org, ps, role_id):
    body = ic.ResourceAttachManagedPolicyToPermissionSetReqBody(managed_role_id=role_id)
    return client.attach_managed_role_to_permission_set(
        ic.AttachManagedRoleToPermissionSetRequest(
            instance_id=org.instance_id, permission_set_id=ps, body=body
        )
    )


def _policies(client, org, ps, **kw):
    return client.list_managed_policies_in_permission_set(
        ic.ListManagedPoliciesInPermissionSetRequest(
            instance_id=org.instance_id, permission_set_id=ps, **kw
        )
    )


def _roles(client, org, ps):
    return client.list_managed_roles_in_permission_set(
        ic.ListManagedRolesInPermissionSetRequest(instance_id=org.instance_id, permission_set_id=ps)
    ).attached_managed_roles


def test_system_policies_are_attached_listed_and_detached(server, org, ps) -> None:
    client = org.ic()
    _attach_policy(client, org, ps, FULL.id, FULL.display_name)
    _attach_policy(client, org, ps, READ.id)
    listed = _policies(client, org, ps).attached_managed_policies
    assert [(p.policy_id, p.policy_name) for p in listed] == [
        (FULL.id, FULL.name),
        (READ.id, READ.name),
    ]
    page = _policies(client, org, ps, limit=1)
    assert len(page.attached_managed_policies) == 1 and page.page_info.next_marker
    client.detach_managed_policy_from_permission_set(
        ic.DetachManagedPolicyFromPermissionSetRequest(
            instance_id=org.instance_id,
            permission_set_id=ps,
            body=ic.DetachManagedPolicyFromPermissionSetReqBody(managed_policy_id=FULL.id),
        )
    )
    assert [p.policy_id for p in _policies(client, org, ps).attached_managed_policies] == [READ.id]


def test_system_roles_are_attached_listed_and_detached(server, org, ps) -> None:
    client = org.ic()
    _attach_role(client, org, ps, TENANT_ADMIN.id)
    _attach_role(client, org, ps, FULL.id)  # system policies are roles' siblings there
    assert [(r.role_id, r.role_name) for r in _roles(client, org, ps)] == [
        (TENANT_ADMIN.id, TENANT_ADMIN.name),
        (FULL.id, FULL.name),
    ]
    client.detach_managed_role_from_permission_set(
        ic.DetachManagedRoleFromPermissionSetRequest(
            instance_id=org.instance_id,
            permission_set_id=ps,
            body=ic.ResourceDetachManagedPolicyFromPermissionSetReqBody(
                managed_role_id=TENANT_ADMIN.id
            ),
        )
    )
    assert [r.role_id for r in _roles(client, org, ps)] == [FULL.id]
    assert _policies(client, org, ps).attached_managed_policies == []


def test_attaching_twice_is_a_409(server, org, ps) -> None:
    recorder = Recorder()
    client = org.ic(recorder=recorder)
    _attach_policy(client, org, ps, FULL.id)
    assert failure_of(lambda: _attach_policy(client, org, ps, FULL.id)) == (409, "IIC.1207")
    assert_envelope(recorder.last, 409, "IIC.1207")


def test_unknown_or_mismatched_system_policies_are_refused(server, org, ps) -> None:
    client = org.ic()
    assert failure_of(lambda: _attach_policy(client, org, ps, "0" * 32)) == (404, "IIC.404")
    # A coarse-grained role is no identity policy.
    assert failure_of(lambda: _attach_policy(client, org, ps, TENANT_ADMIN.id)) == (
        404,
        "IIC.404",
    )
    assert failure_of(lambda: _attach_role(client, org, ps, "0" * 32)) == (404, "IIC.404")
    assert failure_of(lambda: _attach_policy(client, org, ps, FULL.id, "Wrong Name")) == (
        400,
        "IIC.400",
    )
    detach = lambda: client.detach_managed_role_from_permission_set(  # noqa: E731
        ic.DetachManagedRoleFromPermissionSetRequest(
            instance_id=org.instance_id,
            permission_set_id=ps,
            body=ic.ResourceDetachManagedPolicyFromPermissionSetReqBody(managed_role_id=READ.id),
        )
    )
    assert failure_of(detach) == (404, "IIC.404")


def _put(client, org, ps, kind: str, document: str):
    if kind == "policy":
        return client.put_custom_policy_to_permission_set(
            ic.PutCustomPolicyToPermissionSetRequest(
                instance_id=org.instance_id,
                permission_set_id=ps,
                body=ic.PutCustomPolicyToPermissionSetReqBody(custom_policy=document),
            )
        )
    return client.put_custom_role_to_permission_set(
        ic.PutCustomRoleToPermissionSetRequest(
            instance_id=org.instance_id,
            permission_set_id=ps,
            body=ic.PutCustomRoleToPermissionSetReqBody(custom_role=document),
        )
    )


def _get(client, org, ps, kind: str) -> str | None:
    if kind == "policy":
        return client.get_custom_policy_for_permission_set(
            ic.GetCustomPolicyForPermissionSetRequest(
                instance_id=org.instance_id, permission_set_id=ps
            )
        ).custom_policy
    return client.get_custom_role_for_permission_set(
        ic.GetCustomRoleForPermissionSetRequest(instance_id=org.instance_id, permission_set_id=ps)
    ).custom_role


def _delete(client, org, ps, kind: str):
    if kind == "policy":
        return client.delete_custom_policy_from_permission_set(
            ic.DeleteCustomPolicyFromPermissionSetRequest(
                instance_id=org.instance_id, permission_set_id=ps
            )
        )
    return client.delete_custom_role_from_permission_set(
        ic.DeleteCustomRoleFromPermissionSetRequest(
            instance_id=org.instance_id, permission_set_id=ps
        )
    )


@pytest.mark.parametrize(
    ("kind", "document"), [("policy", POLICY_DOCUMENT), ("role", ROLE_DOCUMENT)]
)
def test_a_custom_document_is_put_read_replaced_and_deleted(server, org, ps, kind, document):
    client = org.ic()
    assert _get(client, org, ps, kind) is None
    text = json.dumps(document)
    _put(client, org, ps, kind, text)
    assert _get(client, org, ps, kind) == text
    replaced = json.dumps(
        {**document, "Statement": [{**document["Statement"][0], "Effect": "Deny"}]}
    )
    _put(client, org, ps, kind, replaced)
    assert _get(client, org, ps, kind) == replaced
    _delete(client, org, ps, kind)
    assert _get(client, org, ps, kind) is None
    assert failure_of(lambda: _delete(client, org, ps, kind)) == (404, "IIC.404")


@pytest.mark.parametrize(
    ("kind", "document"),
    [
        ("policy", "not json"),
        ("policy", "[]"),
        ("policy", json.dumps(ROLE_DOCUMENT)),  # Version 1.1 is a role's, not a policy's
        ("policy", json.dumps({"Version": "5.0", "Statement": []})),
        ("policy", json.dumps({"Version": "5.0", "Statement": [{"Effect": "Allow"}]})),
        (
            "policy",
            json.dumps({"Version": "5.0", "Statement": [{"Effect": "Maybe", "Action": ["a:b:c"]}]}),
        ),
        (
            "policy",
            json.dumps({"Version": "5.0", "Statement": [{"Effect": "Allow", "Action": ["nope"]}]}),
        ),
        ("role", json.dumps(POLICY_DOCUMENT)),
        ("role", json.dumps({"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": []}]})),
        ("role", json.dumps({**ROLE_DOCUMENT, "Statement": ROLE_DOCUMENT["Statement"] * 200})),
    ],
)
def test_invalid_custom_documents_are_a_400(server, org, ps, kind, document) -> None:
    recorder = Recorder()
    client = org.ic(recorder=recorder)
    assert failure_of(lambda: _put(client, org, ps, kind, document)) == (400, "IIC.400")
    assert_envelope(recorder.last, 400, "IIC.400")
    assert _get(client, org, ps, kind) is None
