"""Concurrent changes around one entity of the tree serialise on that entity's row."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkorganizations.v1 import model as org

from tests import clients
from tests.org_personas import create_organization
from tests.organizations.tree_support import (
    attach,
    create_policy,
    create_unit,
    detach,
    enable_scps,
    root_id,
    scp,
)


def _outcome(call) -> object:
    try:
        call()
    except ClientRequestException as error:
        return (error.status_code, error.error_code)
    return "ok"


def test_concurrent_detaches_leave_an_entity_one_scp(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    enable_scps(client, root_id(client))
    extra = create_policy(client, scp([{"Effect": "Deny", "Action": ["iam:users:delete*"]}]))
    attach(client, extra, account.account_id)
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(
            pool.map(
                lambda policy: _outcome(lambda: detach(client, policy, account.account_id)),
                ["p-FullAccess", extra],
            )
        )
    assert sorted(map(str, outcomes)) == ["(400, 'Organizations.1411')", "ok"]
    left = client.list_policies(org.ListPoliciesRequest(attached_entity_id=account.account_id))
    assert len(left.policies) == 1


def test_a_unit_deleted_while_a_child_is_created_keeps_no_orphan(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    unit = create_unit(client, root_id(client))
    delete = org.DeleteOrganizationalUnitRequest(organizational_unit_id=unit)
    with ThreadPoolExecutor(max_workers=2) as pool:
        created = pool.submit(_outcome, lambda: create_unit(client, unit))
        deleted = pool.submit(_outcome, lambda: client.delete_organizational_unit(delete))
        outcomes = (created.result(), deleted.result())
    # Either the child came first (the delete is refused) or the delete did (the parent is gone).
    assert outcomes in [
        ("ok", (400, "Organizations.1203")),
        ((404, "Organizations.1201"), "ok"),
    ]
