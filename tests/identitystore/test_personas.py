"""Who may use the identity store: each account-level persona against reads and writes of
users, groups, memberships and the summary. Only the organization's management account and
the delegated administrator for service.IdentityCenter pass (403 IIC.1215 for a plain member
or an account outside the organization); an IAM user without policies is denied by policy."""

from __future__ import annotations

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkidentitycenterstore.v1 import model as ids

from tests import clients
from tests.identitystore.builders import Directory, add_member, create_group, create_user, user_body
from tests.org_personas import personas

OK = "ok"
NOT_ADMIN = (403, "IIC.1215")
EXPIRED = (401, "APIGW.0301")
POLICY_DENIED = (403, "IIC.1000")


@pytest.fixture(scope="module")
def cast(server):
    cast = personas(server)
    management = cast["management"].creds
    instance = (
        clients.identitycenter(server.url, management)
        .list_instances(ic.ListInstancesRequest())
        .instances[0]
    )
    directory = Directory(
        server, management, cast["delegate"].creds, instance.identity_store_id, instance.instance_id
    )
    user_id, group_id = create_user(directory), create_group(directory)
    return {"personas": cast, "directory": directory, "user_id": user_id, "group_id": group_id}


def _store(cast) -> dict:
    return {"identity_store_id": cast["directory"].identity_store_id}


def _create_user(client, cast):
    client.create_user(ids.CreateUserRequest(**_store(cast), body=user_body()))


def _create_otp_user(client, cast):
    body = user_body(password_mode="OTP")
    assert client.create_user(ids.CreateUserRequest(**_store(cast), body=body)).password


def _list_users(client, cast):
    client.list_users(ids.ListUsersRequest(**_store(cast)))


def _describe_user(client, cast):
    client.describe_user(ids.DescribeUserRequest(**_store(cast), user_id=cast["user_id"]))


def _update_user(client, cast):
    operation = ids.AttributeOperationDto(attribute_path="title", attribute_value="t")
    body = ids.UpdateUserReqBody(operations=[operation])
    client.update_user(ids.UpdateUserRequest(**_store(cast), user_id=cast["user_id"], body=body))


def _delete_user(client, cast):
    user_id = create_user(cast["directory"])
    client.delete_user(ids.DeleteUserRequest(**_store(cast), user_id=user_id))


def _create_group(client, cast):
    create_group(cast["directory"], client=client)


def _list_groups(client, cast):
    client.list_groups(ids.ListGroupsRequest(**_store(cast)))


def _add_member(client, cast):
    add_member(cast["directory"], cast["group_id"], create_user(cast["directory"]), client=client)


def _list_members(client, cast):
    request = ids.ListGroupMembershipsRequest(**_store(cast), group_id=cast["group_id"])
    client.list_group_memberships(request)


def _summary(client, cast):
    client.get_identity_store_summary(ids.GetIdentityStoreSummaryRequest(**_store(cast)))


EXPECTED = {
    "management": OK,
    "temporary": OK,
    "delegate": OK,
    "member": NOT_ADMIN,
    "outsider": NOT_ADMIN,
    "expired": EXPIRED,
    "iam_user": POLICY_DENIED,
}
OPERATIONS = {
    "create_user": _create_user,
    "create_user_otp": _create_otp_user,
    "list_users": _list_users,
    "describe_user": _describe_user,
    "update_user": _update_user,
    "delete_user": _delete_user,
    "create_group": _create_group,
    "list_groups": _list_groups,
    "create_group_membership": _add_member,
    "list_group_memberships": _list_members,
    "get_identity_store_summary": _summary,
}
CASES = [(operation, persona) for operation in OPERATIONS for persona in EXPECTED]


def outcome(call) -> object:
    try:
        call()
    except ClientRequestException as error:
        return (error.status_code, error.error_code)
    return OK


@pytest.mark.parametrize(("operation", "persona"), CASES, ids=[f"{o}-{p}" for o, p in CASES])
def test_persona_matrix(server, cast, operation, persona) -> None:
    who = cast["personas"][persona]
    client = clients.identitystore(server.url, who.creds, **who.temporary)
    assert outcome(lambda: OPERATIONS[operation](client, cast)) == EXPECTED[persona]
