"""Who may do what with the Identity Center instance: each account-level persona against the
reads and writes of the service. Only the organization's management account and the delegated
administrator for service.IdentityCenter pass the gate (403 IIC.1215 otherwise); starting,
deleting and choosing the region are the management account's alone."""

from __future__ import annotations

import uuid

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkidentitycenter.v1 import model as ic

from tests.org_personas import personas

OK = "ok"
NOT_ADMIN = (403, "IIC.1215")
EXPIRED = (401, "APIGW.0301")
POLICY_DENIED = (403, "IIC.1000")


@pytest.fixture(scope="module")
def cast(server):
    cast = personas(server)
    client = cast["management"].identitycenter(server)
    cast["instance_id"] = client.list_instances(ic.ListInstancesRequest()).instances[0].instance_id
    return cast


def _status(client, cast):
    client.get_identity_center_service_status(ic.GetIdentityCenterServiceStatusRequest())


def _list_instances(client, cast):
    client.list_instances(ic.ListInstancesRequest())


def _associations(client, cast):
    request = ic.ListIdentityStoreAssociationRequest(instance_id=cast["instance_id"])
    client.list_identity_store_association(request)


def _regions(client, cast):
    client.describe_registered_regions(ic.DescribeRegisteredRegionsRequest())


def _create_alias(client, cast):
    body = ic.CreateAliasReqBody(alias=f"m{uuid.uuid4().hex[:12]}")
    client.create_alias(ic.CreateAliasRequest(instance_id=cast["instance_id"], body=body))


def _register_region(client, cast):
    body = ic.RegisterRegionReqBody(region_id="cn-north-4")
    client.register_region(ic.RegisterRegionRequest(body=body))


def _start(client, cast):
    client.start_identity_center(ic.StartIdentityCenterRequest())


def _expect(management, delegate):
    return {
        "management": management,
        "temporary": management,
        "delegate": delegate,
        "member": NOT_ADMIN,
        "outsider": NOT_ADMIN,
        "expired": EXPIRED,
        "iam_user": POLICY_DENIED,
    }


MATRIX = {
    "get_identity_center_service_status": (_status, _expect(OK, OK)),
    "list_instances": (_list_instances, _expect(OK, OK)),
    "list_identity_store_association": (_associations, _expect(OK, OK)),
    "describe_registered_regions": (_regions, _expect(OK, OK)),
    "create_alias": (_create_alias, _expect(OK, OK)),
    "register_region": (_register_region, _expect(OK, NOT_ADMIN)),
    # Past the gate the management account meets "already enabled".
    "start_identity_center": (_start, _expect((409, "IIC.1257"), NOT_ADMIN)),
}
CASES = [(op, who) for op, (_call, expected) in MATRIX.items() for who in expected]


def outcome(call) -> object:
    try:
        call()
    except ClientRequestException as error:
        return (error.status_code, error.error_code)
    return OK


@pytest.mark.parametrize(("operation", "persona"), CASES, ids=[f"{o}-{p}" for o, p in CASES])
def test_persona_matrix(server, cast, operation, persona) -> None:
    call, expected = MATRIX[operation]
    client = cast[persona].identitycenter(server)
    assert outcome(lambda: call(client, cast)) == expected[persona]
