"""IAM users meet two checks on Identity Center and Organizations: their IAM policies (403
IIC.1000 / Organizations.1007 when no Allow or an explicit Deny) and then the account rule
(management account or Identity Center delegated administrator, else 403 IIC.1215)."""

from __future__ import annotations

import uuid

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkorganizations.v1 import model as org

from tests import clients
from tests.org_personas import create_member, identity_center_with_delegate
from tests.personas import iam_user_with_policy, iam_user_with_roles

OK = "ok"
POLICY_DENIED = (403, "IIC.1000")
NOT_ADMIN = (403, "IIC.1215")
ORG_DENIED = (403, "Organizations.1007")
DENY_LISTING = [{"Effect": "Deny", "Action": ["IdentityCenter:instance:list"]}]


@pytest.fixture(scope="module")
def cast(server):
    management, delegate = identity_center_with_delegate(server)
    member = create_member(server, management)
    full, read_only = ["IdentityCenter FullAccess"], ["IdentityCenter ReadOnlyAccess"]
    cast = {
        "management_full": iam_user_with_roles(server, management, full),
        "management_read_only": iam_user_with_roles(server, management, read_only),
        "management_full_with_deny": iam_user_with_policy(server, management, DENY_LISTING, full),
        "management_org_full": iam_user_with_roles(
            server, management, ["Organizations FullAccess"]
        ),
        "delegate_full": iam_user_with_roles(server, delegate, full),
        "delegate_read_only": iam_user_with_roles(server, delegate, read_only),
        "member_full": iam_user_with_roles(server, member, full),
    }
    instances = clients.identitycenter(server.url, management).list_instances(
        ic.ListInstancesRequest()
    )
    cast["instance_id"] = instances.instances[0].instance_id
    return cast


def _list_instances(server, creds, cast):
    clients.identitycenter(server.url, creds).list_instances(ic.ListInstancesRequest())


def _create_alias(server, creds, cast):
    body = ic.CreateAliasReqBody(alias=f"a{uuid.uuid4().hex[:12]}")
    clients.identitycenter(server.url, creds).create_alias(
        ic.CreateAliasRequest(instance_id=cast["instance_id"], body=body)
    )


def _show_organization(server, creds, cast):
    clients.organizations(server.url, creds).show_organization(org.ShowOrganizationRequest())


def _list_roots(server, creds, cast):
    clients.organizations(server.url, creds).list_roots(org.ListRootsRequest())


MATRIX = {
    ("management_full", "list_instances"): OK,
    ("management_full", "create_alias"): OK,
    ("management_read_only", "list_instances"): OK,
    ("management_read_only", "create_alias"): POLICY_DENIED,
    ("management_full_with_deny", "list_instances"): POLICY_DENIED,
    ("management_full_with_deny", "create_alias"): OK,
    ("management_org_full", "list_instances"): POLICY_DENIED,
    ("management_org_full", "show_organization"): OK,
    ("management_org_full", "list_roots"): OK,
    # IdentityCenter FullAccess carries the Organizations reads it depends on, nothing more.
    ("management_full", "show_organization"): OK,
    ("management_full", "list_roots"): ORG_DENIED,
    ("delegate_full", "list_instances"): OK,
    ("delegate_full", "create_alias"): OK,
    ("delegate_read_only", "list_instances"): OK,
    ("delegate_read_only", "create_alias"): POLICY_DENIED,
    ("member_full", "list_instances"): NOT_ADMIN,
    ("member_full", "create_alias"): NOT_ADMIN,
}
CALLS = {
    "list_instances": _list_instances,
    "create_alias": _create_alias,
    "show_organization": _show_organization,
    "list_roots": _list_roots,
}


@pytest.mark.parametrize(
    ("persona", "operation"), list(MATRIX), ids=[f"{p}-{o}" for p, o in MATRIX]
)
def test_iam_user_persona_matrix(server, cast, persona, operation) -> None:
    try:
        CALLS[operation](server, cast[persona], cast)
        outcome = OK
    except ClientRequestException as error:
        outcome = (error.status_code, error.error_code)
    assert outcome == MATRIX[(persona, operation)]
