"""Account assignments through the official SDK: the asynchronous contract (status objects
with a request_id, described and listed with the status filter), the lists by account and by
principal, and what is refused."""

from __future__ import annotations

import uuid

import pytest
from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkorganizations.v1 import model as org_model

from tests import clients
from tests.identitycenter.access.support import (
    Recorder,
    all_for_principal,
    assert_envelope,
    assign,
    assignment_body,
    create_permission_set,
    failure,
    for_account,
    new_org,
    unassign,
)
from tests.org_personas import create_member


def _creation(client, org, request_id):
    return client.describe_account_assignment_creation_status(
        ic.DescribeAccountAssignmentCreationStatusRequest(
            instance_id=org.instance_id, request_id=request_id
        )
    ).account_assignment_creation_status


def _creations(client, org, **kw):
    return client.list_account_assignment_creation_status(
        ic.ListAccountAssignmentCreationStatusRequest(instance_id=org.instance_id, **kw)
    )


def test_creating_an_assignment_answers_a_succeeded_status_to_describe(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    user, account = org.user(), org.accounts[0].account_id
    status = assign(client, org.instance_id, ps, "USER", user, account)
    uuid.UUID(status.request_id)
    assert (status.status, status.permission_set_id, status.principal_id) == ("SUCCEEDED", ps, user)
    assert (status.principal_type, status.target_id, status.target_type) == (
        "USER",
        account,
        "ACCOUNT",
    )
    assert status.created_date > 1_600_000_000_000 and status.failure_reason is None
    assert _creation(client, org, status.request_id).to_dict() == status.to_dict()
    listed = for_account(client, org.instance_id, account, permission_set_id=ps).account_assignments
    assert [
        (a.account_id, a.permission_set_id, a.principal_type, a.principal_id) for a in listed
    ] == [(account, ps, "USER", user)]


def test_creation_statuses_are_listed_in_pages_and_filtered_by_status(server) -> None:
    org = new_org(server)
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    made = [
        assign(
            client, org.instance_id, ps, "USER", org.user(), org.accounts[0].account_id
        ).request_id
        for _ in range(3)
    ]
    seen, marker = [], None
    while True:
        page = _creations(client, org, limit=2, marker=marker)
        seen.extend(s.request_id for s in page.account_assignments_creation_status)
        marker = page.page_info.next_marker
        if not marker:
            break
    assert seen == made
    succeeded = _creations(client, org, status="SUCCEEDED").account_assignments_creation_status
    assert [s.request_id for s in succeeded] == made
    assert _creations(client, org, status="FAILED").account_assignments_creation_status == []
    assert _creations(client, org, status="IN_PROGRESS").account_assignments_creation_status == []
    assert failure(lambda: _creations(client, org, status="DONE")) == (400, "IIC.400")


def test_creating_an_existing_assignment_succeeds_again_without_a_duplicate(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    group, account = org.group(), org.accounts[0].account_id
    first = assign(client, org.instance_id, ps, "GROUP", group, account)
    second = assign(client, org.instance_id, ps, "GROUP", group, account)
    assert first.request_id != second.request_id and second.status == "SUCCEEDED"
    assert len(all_for_principal(client, org.instance_id, "GROUP", group)) == 1


def test_deleting_an_assignment_answers_a_deletion_status(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    user, account = org.user(), org.accounts[1].account_id
    assign(client, org.instance_id, ps, "USER", user, account)
    status = unassign(client, org.instance_id, ps, "USER", user, account)
    assert (status.status, status.target_id, status.principal_id) == ("SUCCEEDED", account, user)
    described = client.describe_account_assignment_deletion_status(
        ic.DescribeAccountAssignmentDeletionStatusRequest(
            instance_id=org.instance_id, request_id=status.request_id
        )
    ).account_assignment_deletion_status
    assert described.to_dict() == status.to_dict()
    assert all_for_principal(client, org.instance_id, "USER", user) == []
    # A creation's request id is no deletion's, and the other way round.
    assert failure(lambda: _creation(client, org, status.request_id)) == (404, "IIC.404")
    assert failure(lambda: unassign(client, org.instance_id, ps, "USER", user, account)) == (
        404,
        "IIC.404",
    )


def test_the_lists_by_account_and_by_principal_agree(server) -> None:
    org = new_org(server)
    client = org.ic()
    ps1, ps2 = (create_permission_set(client, org.instance_id).permission_set_id for _ in range(2))
    user, group = org.user(), org.group()
    a, b = (account.account_id for account in org.accounts)
    for ps, kind, who, account in [
        (ps1, "USER", user, a),
        (ps2, "USER", user, a),
        (ps1, "USER", user, b),
        (ps1, "GROUP", group, a),
    ]:
        assign(client, org.instance_id, ps, kind, who, account)
    on_a = for_account(client, org.instance_id, a).account_assignments
    assert len(on_a) == 3
    assert (
        len(for_account(client, org.instance_id, a, permission_set_id=ps1).account_assignments) == 2
    )
    page = for_account(client, org.instance_id, a, limit=2)
    assert len(page.account_assignments) == 2 and page.page_info.next_marker
    mine = all_for_principal(client, org.instance_id, "USER", user)
    assert sorted((x.account_id, x.permission_set_id) for x in mine) == sorted(
        [(a, ps1), (a, ps2), (b, ps1)]
    )
    request = ic.ListAccountAssignmentsForPrincipalRequest(
        instance_id=org.instance_id, principal_type="USER", principal_id=user, account_id=b
    )
    only_b = client.list_account_assignments_for_principal(request).account_assignments
    assert [(x.account_id, x.permission_set_id) for x in only_b] == [(b, ps1)]
    bad = ic.ListAccountAssignmentsForPrincipalRequest(
        instance_id=org.instance_id, principal_type="ROLE", principal_id=user
    )
    assert failure(lambda: client.list_account_assignments_for_principal(bad)) == (400, "IIC.400")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"permission_set_id": "ps-0000000000000000"}, (404, "IIC.1205")),
        ({"principal_id": str(uuid.uuid4())}, (404, "IIC.404")),
        ({"principal_type": "GROUP"}, (404, "IIC.404")),  # the id is a user's, not a group's
        ({"target_id": uuid.uuid4().hex}, (404, "IIC.404")),
        ({"principal_type": "ROLE"}, (400, "IIC.400")),
        ({"target_type": "OU"}, (400, "IIC.400")),
        ({"target_id": None}, (400, "IIC.400")),
    ],
)
def test_what_an_assignment_names_must_exist(server, org, change, expected) -> None:
    recorder = Recorder()
    client = org.ic(recorder=recorder)
    ps = create_permission_set(client, org.instance_id).permission_set_id
    body = {**assignment_body(ps, "USER", org.user(), org.accounts[0].account_id), **change}
    request = ic.CreateAccountAssignmentRequest(
        instance_id=org.instance_id, body=ic.CreateAccountAssignmentReqBody(**body)
    )
    assert failure(lambda: client.create_account_assignment(request)) == expected
    assert_envelope(recorder.last, *expected)
    assert (
        for_account(
            client, org.instance_id, org.accounts[0].account_id, permission_set_id=ps
        ).account_assignments
        == []
    )


def test_an_account_of_another_organization_cannot_be_a_target(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    stranger = server.new_account("stranger").account_id
    assert failure(lambda: assign(client, org.instance_id, ps, "USER", org.user(), stranger)) == (
        404,
        "IIC.404",
    )


def test_an_account_leaving_the_organization_takes_its_assignments(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    leaving = create_member(server, org.management, "leaving")
    user = org.user()
    assign(client, org.instance_id, ps, "USER", user, leaving.account_id)
    assign(client, org.instance_id, ps, "USER", user, org.accounts[0].account_id)
    clients.organizations(server.url, org.management).remove_account(
        org_model.RemoveAccountRequest(account_id=leaving.account_id)
    )
    left = all_for_principal(client, org.instance_id, "USER", user)
    assert [a.account_id for a in left] == [org.accounts[0].account_id]
