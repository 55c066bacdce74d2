"""Provisioning through the official SDK: `provision` to one account or to every provisioned
account, its status objects, the lists of provisioned accounts and permission sets with the
LATEST_PERMISSION_SET_(NOT_)PROVISIONED filter, and the provisioning assignments imply."""

from __future__ import annotations

import uuid

from huaweicloudsdkidentitycenter.v1 import model as ic

from tests.identitycenter.access.support import (
    assign,
    create_permission_set,
    failure,
    new_org,
    unassign,
)

LATEST = "LATEST_PERMISSION_SET_PROVISIONED"
OUTDATED = "LATEST_PERMISSION_SET_NOT_PROVISIONED"


def _provision(client, org, ps, target_type="ACCOUNT", target_id=None):
    body = ic.ProvisionPermissionSetReqBody(target_type=target_type, target_id=target_id)
    return client.provision_permission_set(
        ic.ProvisionPermissionSetRequest(
            instance_id=org.instance_id, permission_set_id=ps, body=body
        )
    ).permission_set_provisioning_status


def _accounts(client, org, ps, status=None) -> list[str]:
    return client.list_accounts_for_provisioned_permission_set(
        ic.ListAccountsForProvisionedPermissionSetRequest(
            instance_id=org.instance_id, permission_set_id=ps, provisioning_status=status
        )
    ).account_ids


def _sets(client, org, account_id, status=None) -> list[str]:
    return client.list_permission_sets_provisioned_to_account(
        ic.ListPermissionSetsProvisionedToAccountRequest(
            instance_id=org.instance_id, account_id=account_id, provisioning_status=status
        )
    ).permission_sets


def _change(client, org, ps) -> None:
    client.update_permission_set(
        ic.UpdatePermissionSetRequest(
            instance_id=org.instance_id,
            permission_set_id=ps,
            body=ic.UpdatePermissionSetReqBody(session_duration="PT2H"),
        )
    )


def test_provisioning_to_an_account_answers_a_status_to_describe(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    account = org.accounts[0].account_id
    status = _provision(client, org, ps, target_id=account)
    uuid.UUID(status.request_id)
    assert (status.status, status.account_id, status.permission_set_id) == (
        "SUCCEEDED",
        account,
        ps,
    )
    described = client.describe_permission_set_provisioning_status(
        ic.DescribePermissionSetProvisioningStatusRequest(
            instance_id=org.instance_id, request_id=status.request_id
        )
    ).permission_set_provisioning_status
    assert described.to_dict() == status.to_dict()
    assert _accounts(client, org, ps) == [account]
    assert ps in _sets(client, org, account)


def test_a_change_makes_provisioned_accounts_outdated_until_provisioned_again(server) -> None:
    org = new_org(server)
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    a, b = (account.account_id for account in org.accounts)
    _provision(client, org, ps, target_id=a)
    _provision(client, org, ps, target_id=b)
    assert _accounts(client, org, ps, LATEST) == [a, b]
    _change(client, org, ps)
    assert (_accounts(client, org, ps, LATEST), _accounts(client, org, ps, OUTDATED)) == (
        [],
        [a, b],
    )
    assert _sets(client, org, a, OUTDATED) == [ps] and _sets(client, org, a, LATEST) == []
    _provision(client, org, ps, target_id=a)
    assert (_accounts(client, org, ps, LATEST), _accounts(client, org, ps, OUTDATED)) == ([a], [b])
    everywhere = _provision(client, org, ps, "ALL_PROVISIONED_ACCOUNTS")
    assert everywhere.status == "SUCCEEDED" and everywhere.account_id is None
    assert _accounts(client, org, ps, LATEST) == [a, b]


def test_provisioning_statuses_are_listed_and_filtered(server) -> None:
    org = new_org(server)
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    made = [
        _provision(client, org, ps, target_id=org.accounts[0].account_id).request_id
        for _ in range(3)
    ]

    def listed(**kw):
        return client.list_permission_set_provisioning_status(
            ic.ListPermissionSetProvisioningStatusRequest(instance_id=org.instance_id, **kw)
        )

    page = listed(limit=2)
    assert [s.request_id for s in page.permission_sets_provisioning_status] == made[:2]
    rest = listed(limit=2, marker=page.page_info.next_marker)
    assert [s.request_id for s in rest.permission_sets_provisioning_status] == made[2:]
    assert rest.page_info.next_marker is None
    assert len(listed(status="SUCCEEDED").permission_sets_provisioning_status) == 3
    assert listed(status="FAILED").permission_sets_provisioning_status == []
    assert failure(lambda: listed(status="OK")) == (400, "IIC.400")


def test_provisioning_needs_an_account_of_the_organization(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    assert failure(lambda: _provision(client, org, ps)) == (400, "IIC.400")  # no target_id
    assert failure(lambda: _provision(client, org, ps, "OU", "x")) == (400, "IIC.400")
    stranger = server.new_account("stranger").account_id
    assert failure(lambda: _provision(client, org, ps, target_id=stranger)) == (404, "IIC.404")
    missing = "ps-0000000000000000"
    assert failure(lambda: _provision(client, org, missing, target_id=stranger)) == (
        404,
        "IIC.1205",
    )
    assert failure(lambda: _accounts(client, org, ps, "SOMETIMES")) == (400, "IIC.400")


def test_assignments_provision_and_the_last_one_deprovisions(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    account = org.accounts[1].account_id
    user, group = org.user(), org.group()
    assign(client, org.instance_id, ps, "USER", user, account)
    assign(client, org.instance_id, ps, "GROUP", group, account)
    assert _accounts(client, org, ps, LATEST) == [account]
    _change(client, org, ps)
    assign(client, org.instance_id, ps, "USER", user, account)  # provisions the latest again
    assert _accounts(client, org, ps, LATEST) == [account]
    unassign(client, org.instance_id, ps, "USER", user, account)
    assert _accounts(client, org, ps) == [account]  # the group still uses it there
    unassign(client, org.instance_id, ps, "GROUP", group, account)
    assert _accounts(client, org, ps) == []
    assert ps not in _sets(client, org, account)
