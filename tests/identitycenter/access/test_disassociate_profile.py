"""The seed "Disassociating All Account Authorizations from a User or Group":
POST /v1/instances/{instance_id}/disassociate-profile through the official SDK's
`disassociate_profile`, with every documented status (200 with no body, 400, 403 with
encoded_authorization_message), each checked on the SDK exception and on the raw body."""

from __future__ import annotations

import pytest
from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkidentitycenterstore.v1 import model as st

from tests.identitycenter.access.support import (
    Recorder,
    all_for_principal,
    assert_envelope,
    assign,
    create_permission_set,
    deletion_statuses,
    disassociate,
    failure,
)
from tests.identitystore import builders
from tests.identitystore.provisioning.support import another_store
from tests.org_personas import create_member
from tests.personas import iam_user_with_roles


def _body(org, principal_id: str, accessor_type: str = "USER") -> dict:
    return {
        "id": principal_id,
        "accessor_type": accessor_type,
        "identity_store_id": org.identity_store_id,
    }


def _grant_user_and_group(org):
    """A permission set; a user and a group each assigned to both target accounts."""
    client = org.ic()
    ps = create_permission_set(client, org.instance_id)
    user, group = org.user(), org.group()
    for account in org.accounts:
        assign(client, org.instance_id, ps.permission_set_id, "USER", user, account.account_id)
        assign(client, org.instance_id, ps.permission_set_id, "GROUP", group, account.account_id)
    return ps, user, group


def test_disassociating_a_user_leaves_only_the_groups_assignments(server, org) -> None:
    ps, user, group = _grant_user_and_group(org)
    recorder = Recorder()
    client = org.ic(recorder=recorder)
    before = {s.request_id for s in deletion_statuses(client, org.instance_id)}

    response = disassociate(client, org.instance_id, _body(org, user))

    assert response.status_code == 200
    assert recorder.last.status_code == 200
    assert recorder.last.content == b""
    assert all_for_principal(client, org.instance_id, "USER", user) == []
    remaining = all_for_principal(client, org.instance_id, "GROUP", group)
    assert sorted(a.account_id for a in remaining) == sorted(a.account_id for a in org.accounts)
    new = [s for s in deletion_statuses(client, org.instance_id) if s.request_id not in before]
    assert len(new) == 2 and {s.status for s in new} == {"SUCCEEDED"}
    described = [
        client.describe_account_assignment_deletion_status(
            ic.DescribeAccountAssignmentDeletionStatusRequest(
                instance_id=org.instance_id, request_id=s.request_id
            )
        ).account_assignment_deletion_status
        for s in new
    ]
    assert {(d.principal_type, d.principal_id, d.permission_set_id) for d in described} == {
        ("USER", user, ps.permission_set_id)
    }
    assert sorted(d.target_id for d in described) == sorted(a.account_id for a in org.accounts)
    assert {d.target_type for d in described} == {"ACCOUNT"}


def test_disassociating_a_group_removes_its_assignments(server, org) -> None:
    _ps, user, group = _grant_user_and_group(org)
    client = org.ic()
    disassociate(client, org.instance_id, _body(org, group, "GROUP"))
    assert all_for_principal(client, org.instance_id, "GROUP", group) == []
    assert len(all_for_principal(client, org.instance_id, "USER", user)) == 2


def test_a_principal_without_assignments_is_disassociated_with_200(server, org) -> None:
    recorder = Recorder()
    client = org.ic(recorder=recorder)
    assert disassociate(client, org.instance_id, _body(org, org.user())).status_code == 200
    assert recorder.last.content == b""
    unknown = "9190-9834-xxxx"  # the documented example id: no such principal, nothing to do
    assert disassociate(client, org.instance_id, _body(org, unknown)).status_code == 200


def test_group_memberships_are_untouched(server, org) -> None:
    _ps, user, group = _grant_user_and_group(org)
    builders.add_member(org.directory, group, user)
    disassociate(org.ic(), org.instance_id, _body(org, user))
    disassociate(org.ic(), org.instance_id, _body(org, group, "GROUP"))
    request = st.IsMemberInGroupsRequest(
        identity_store_id=org.identity_store_id,
        body=st.IsMemberInGroupsReqBody(group_ids=[group], member_id=st.MemberIdDto(user_id=user)),
    )
    results = org.directory.client().is_member_in_groups(request).results
    assert [r.membership_exists for r in results] == [True]


def test_a_delegated_administrator_disassociates(server, org) -> None:
    _ps, user, _group = _grant_user_and_group(org)
    delegate = org.ic(org.delegate)
    assert disassociate(delegate, org.instance_id, _body(org, user)).status_code == 200
    assert all_for_principal(delegate, org.instance_id, "USER", user) == []


@pytest.mark.parametrize("missing", ["id", "accessor_type", "identity_store_id"])
def test_a_missing_field_is_a_400(server, org, missing) -> None:
    recorder = Recorder()
    client = org.ic(recorder=recorder)
    body = _body(org, org.user())
    del body[missing]
    assert failure(lambda: disassociate(client, org.instance_id, body)) == (400, "IIC.400")
    assert missing in assert_envelope(recorder.last, 400, "IIC.400")["error_msg"]


@pytest.mark.parametrize("accessor_type", ["user", "ROLE", ""])
def test_a_bad_accessor_type_is_a_400(server, org, accessor_type) -> None:
    recorder = Recorder()
    client = org.ic(recorder=recorder)
    body = _body(org, org.user(), accessor_type)
    assert failure(lambda: disassociate(client, org.instance_id, body)) == (400, "IIC.400")
    assert_envelope(recorder.last, 400, "IIC.400")


def test_another_identity_store_is_a_400_and_nothing_is_removed(server, org) -> None:
    _ps, user, _group = _grant_user_and_group(org)
    _other, other_store = another_store(server)
    recorder = Recorder()
    client = org.ic(recorder=recorder)
    for store_id in (other_store, "d-0000000000"):
        body = {**_body(org, user), "identity_store_id": store_id}
        assert failure(lambda b=body: disassociate(client, org.instance_id, b)) == (400, "IIC.400")
        assert "identity_store_id" in assert_envelope(recorder.last, 400, "IIC.400")["error_msg"]
    assert len(all_for_principal(client, org.instance_id, "USER", user)) == 2


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_neither_management_nor_delegate_gets_403_and_nothing_is_removed(server, org, who):
    _ps, user, _group = _grant_user_and_group(org)
    caller = create_member(server, org.management) if who == "member" else server.new_account()
    recorder = Recorder()
    client = org.ic(caller, recorder)
    assert failure(lambda: disassociate(client, org.instance_id, _body(org, user))) == (
        403,
        "IIC.1215",
    )
    assert_envelope(recorder.last, 403, "IIC.1215")
    assert len(all_for_principal(org.ic(), org.instance_id, "USER", user)) == 2


def test_an_iam_user_with_read_only_access_is_refused(server, org) -> None:
    _ps, user, _group = _grant_user_and_group(org)
    reader = iam_user_with_roles(server, org.management, ["IdentityCenter ReadOnlyAccess"])
    recorder = Recorder()
    client = org.ic(reader, recorder)
    assert len(all_for_principal(client, org.instance_id, "USER", user)) == 2  # reads pass
    assert failure(lambda: disassociate(client, org.instance_id, _body(org, user))) == (
        403,
        "IIC.1000",
    )
    assert_envelope(recorder.last, 403, "IIC.1000")
    assert len(all_for_principal(client, org.instance_id, "USER", user)) == 2


def test_an_iam_user_with_full_access_disassociates(server, org) -> None:
    _ps, user, _group = _grant_user_and_group(org)
    admin = iam_user_with_roles(server, org.management, ["IdentityCenter FullAccess"])
    client = org.ic(admin)
    assert disassociate(client, org.instance_id, _body(org, user)).status_code == 200
    assert all_for_principal(client, org.instance_id, "USER", user) == []


def test_another_organizations_instance_is_not_found(server, org) -> None:
    other, _store = another_store(server)
    other_instance = (
        org.ic(other).list_instances(ic.ListInstancesRequest()).instances[0].instance_id
    )
    call = lambda: disassociate(org.ic(), other_instance, _body(org, org.user()))  # noqa: E731
    assert failure(call) == (404, "IIC.404")
