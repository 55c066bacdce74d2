"""Service control policies: policy types on the root, the documented grammar, FullAccess,
attachments and the entities a policy is attached to, through the official SDK."""

from __future__ import annotations

import json

import pytest
from huaweicloudsdkorganizations.v1 import model as org

from tests import clients
from tests.org_personas import create_member, create_organization
from tests.organizations.tree_support import (
    SCP,
    attach,
    create_policy,
    create_unit,
    detach,
    enable_scps,
    error,
    root_id,
    scp,
)

DENY_DELETE = [{"Effect": "Deny", "Action": ["iam:users:delete*"], "Resource": ["*"]}]


def _organization(server, account):
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    return client, root_id(client)


def _attached(client, policy_id: str) -> set[tuple[str, str]]:
    request = org.ListEntitiesForPolicyRequest(policy_id=policy_id)
    return {(e.id, e.type) for e in client.list_entities_for_policy(request).attached_entities}


def test_enabling_scps_attaches_full_access_to_every_entity(server, account) -> None:
    client, root = _organization(server, account)
    unit = create_unit(client, root)
    enabled = enable_scps(client, root)
    assert [(t.type, t.status) for t in enabled.policy_types] == [(SCP, "enabled")]
    listed = client.list_roots(org.ListRootsRequest()).roots[0]
    assert [t.type for t in listed.policy_types] == [SCP]
    later = create_unit(client, root)
    assert _attached(client, "p-FullAccess") == {
        (root, "root"),
        (unit, "organizational_unit"),
        (later, "organizational_unit"),
        (account.account_id, "account"),
    }
    shown = client.show_policy(org.ShowPolicyRequest(policy_id="p-FullAccess")).policy
    assert shown.policy_summary.is_builtin and json.loads(shown.content)["Version"] == "5.0"


def test_a_policy_is_created_shown_updated_listed_and_deleted(server, account) -> None:
    client, _ = _organization(server, account)
    policy_id = create_policy(client, scp(DENY_DELETE), name="no-delete")
    body = org.UpdatePolicyReqBody(name="no-user-delete", description="changed")
    updated = client.update_policy(org.UpdatePolicyRequest(policy_id=policy_id, body=body))
    assert updated.policy.policy_summary.name == "no-user-delete"
    assert json.loads(updated.policy.content)["Statement"] == DENY_DELETE
    listed = client.list_policies(org.ListPoliciesRequest()).policies
    assert {p.id for p in listed} == {"p-FullAccess", policy_id}
    client.delete_policy(org.DeletePolicyRequest(policy_id=policy_id))
    raised = error(lambda: client.show_policy(org.ShowPolicyRequest(policy_id=policy_id)))
    assert (raised.status_code, raised.error_code) == (404, "Organizations.1401")


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        json.dumps({"Version": "1.1", "Statement": DENY_DELETE}),
        scp([]),
        scp([{"Effect": "Maybe", "Action": ["iam:users:list"]}]),
        scp([{"Effect": "Deny", "Action": ["*:users:list"]}]),
        scp([{"Effect": "Deny", "Action": ["iam:users"]}]),
        scp([{"Effect": "Allow", "Action": ["iam:*"], "Resource": ["iam:*:*:user:*"]}]),
        scp([{"Effect": "Allow", "NotAction": ["iam:*"]}]),
        scp([{"Effect": "Deny", "Action": ["iam:*"], "Principal": {"ID": ["x"]}}]),
        scp([{"Effect": "Deny", "Action": ["iam:*"], "NotAction": ["iam:users:list"]}]),
        scp([{"Effect": "Deny", "Action": ["iam:*"], "Condition": "no"}]),
        scp([{"Effect": "Deny", "Action": ["iam:users:" + "x" * 5200]}]),
    ],
    ids=[
        "not-json",
        "wrong-version",
        "no-statement",
        "bad-effect",
        "leading-wildcard",
        "two-part-action",
        "allow-with-resource",
        "allow-with-notaction",
        "principal",
        "action-and-notaction",
        "bad-condition",
        "too-long",
    ],
)
def test_malformed_scps_are_refused(server, account, content: str) -> None:
    client, _ = _organization(server, account)
    raised = error(lambda: create_policy(client, content))
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1409")


def test_well_formed_deny_statements_are_accepted(server, account) -> None:
    client, _ = _organization(server, account)
    content = scp(
        [
            {"Sid": "a", "Effect": "Deny", "NotAction": ["iam:*", "sts:*"]},
            {
                "Effect": "Deny",
                "Action": "ecs:*",
                "Resource": ["ecs:*:*:instance:*"],
                "Condition": {"StringEquals": {"g:RequestedRegion": ["cn-north-4"]}},
            },
        ]
    )
    assert create_policy(client, content).startswith("p-")


def test_attaching_needs_the_policy_type_enabled_and_never_twice(server, account) -> None:
    client, root = _organization(server, account)
    policy_id = create_policy(client, scp(DENY_DELETE))
    raised = error(lambda: attach(client, policy_id, root))
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1403")
    enable_scps(client, root)
    attach(client, policy_id, root)
    raised = error(lambda: attach(client, policy_id, root))
    assert (raised.status_code, raised.error_code) == (409, "Organizations.1405")
    attached = client.list_policies(org.ListPoliciesRequest(attached_entity_id=root)).policies
    assert {p.id for p in attached} == {"p-FullAccess", policy_id}


def test_an_attached_policy_cannot_be_deleted_and_the_last_scp_not_detached(
    server, account
) -> None:
    client, root = _organization(server, account)
    enable_scps(client, root)
    policy_id = create_policy(client, scp(DENY_DELETE))
    attach(client, policy_id, account.account_id)
    raised = error(lambda: client.delete_policy(org.DeletePolicyRequest(policy_id=policy_id)))
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1407")
    detach(client, "p-FullAccess", account.account_id)
    raised = error(lambda: detach(client, policy_id, account.account_id))
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1411")
    raised = error(lambda: detach(client, "p-FullAccess", account.account_id))
    assert (raised.status_code, raised.error_code) == (404, "Organizations.1406")


def test_an_entity_holds_at_most_five_scps(server, account) -> None:
    client, root = _organization(server, account)
    enable_scps(client, root)
    for _ in range(4):
        attach(client, create_policy(client, scp(DENY_DELETE)), root)
    extra = create_policy(client, scp(DENY_DELETE))
    raised = error(lambda: attach(client, extra, root))
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1410")


def test_the_builtin_policy_cannot_be_changed(server, account) -> None:
    client, _ = _organization(server, account)
    raised = error(lambda: client.delete_policy(org.DeletePolicyRequest(policy_id="p-FullAccess")))
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1408")


def test_disabling_scps_detaches_every_scp(server, account) -> None:
    client, root = _organization(server, account)
    enable_scps(client, root)
    policy_id = create_policy(client, scp(DENY_DELETE))
    attach(client, policy_id, root)
    body = org.PolicyTypeReqBody(policy_type=SCP, root_id=root)
    disabled = client.disable_policy_type(org.DisablePolicyTypeRequest(body=body)).root
    assert disabled.policy_types == []
    assert _attached(client, policy_id) == set()
    raised = error(lambda: client.disable_policy_type(org.DisablePolicyTypeRequest(body=body)))
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1403")


def test_a_member_reads_no_policies(server, account) -> None:
    create_organization(server, account)
    member = create_member(server, account)
    member_client = clients.organizations(server.url, member)
    raised = error(lambda: member_client.list_policies(org.ListPoliciesRequest()))
    assert (raised.status_code, raised.error_code) == (401, "Organizations.1002")
