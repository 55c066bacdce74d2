"""Updating and closing member accounts, resource accounts (v2), quotas, the service lists,
dry-run policies and effective tag policies."""

from __future__ import annotations

import json

from huaweicloudsdkiam.v3 import model as iam
from huaweicloudsdkorganizations.v1 import model as org

from tests import clients
from tests.org_personas import create_member, create_organization, unique_name
from tests.organizations.tree_support import attach, create_policy, create_unit, error, root_id


def _management(server, account):
    create_organization(server, account)
    return clients.organizations(server.url, account)


def test_an_account_description_is_updated(server, account) -> None:
    client = _management(server, account)
    member = create_member(server, account)
    body = org.UpdateAccountReqBody(description="payments team")
    updated = client.update_account(
        org.UpdateAccountRequest(account_id=member.account_id, body=body)
    )
    assert updated.account.description == "payments team"


def test_a_closed_account_is_suspended_and_can_do_nothing(server, account) -> None:
    client = _management(server, account)
    member = create_member(server, account)
    client.close_account(org.CloseAccountRequest(account_id=member.account_id))
    shown = client.show_account(org.ShowAccountRequest(account_id=member.account_id)).account
    assert shown.status == "suspended"
    statuses = client.list_close_account_statuses(org.ListCloseAccountStatusesRequest())
    assert [(s.account_id, s.state) for s in statuses.close_account_statuses] == [
        (member.account_id, "succeeded")
    ]
    raised = error(
        lambda: clients.iam(server.url, member).keystone_list_users(iam.KeystoneListUsersRequest())
    )
    assert raised.status_code == 403
    raised = error(
        lambda: client.close_account(org.CloseAccountRequest(account_id=account.account_id))
    )
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1306")


def test_a_resource_account_is_created_through_v2(server, account) -> None:
    client = _management(server, account)
    name = unique_name("res")
    body = org.CreateResourceAccountReqBody(name=name, description="logs")
    status = client.create_resource_account(
        org.CreateResourceAccountRequest(body=body)
    ).create_account_status
    assert (status.account_name, status.state) == (name, "succeeded")


def test_quotas_count_accounts_units_and_policies(server, account) -> None:
    client = _management(server, account)
    create_unit(client, root_id(client))
    quotas = {q.type: q for q in client.list_quotas(org.ListQuotasRequest()).quotas.resources}
    assert (quotas["account"].quota, quotas["account"].used) == (10, 1)
    assert (quotas["organizational_unit"].quota, quotas["organizational_unit"].used) == (1000, 1)
    assert (quotas["policy"].quota, quotas["policy"].used) == (1000, 0)


def test_an_organization_holds_at_most_ten_accounts(server, account) -> None:
    client = _management(server, account)
    for _ in range(9):
        body = org.CreateAccountReqBody(name=unique_name("fill"))
        client.create_account(org.CreateAccountRequest(body=body))
    body = org.CreateAccountReqBody(name=unique_name("over"))
    raised = error(lambda: client.create_account(org.CreateAccountRequest(body=body)))
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1305")


def test_the_service_lists_answer(server, account) -> None:
    client = _management(server, account)
    assert "service.IdentityCenter" in client.list_services(org.ListServicesRequest()).services
    tag_services = client.list_tag_policy_services(org.ListTagPolicyServicesRequest()).services
    assert {s.service_name for s in tag_services} >= {"ecs"}


def test_dry_run_policies_are_kept_apart_and_never_enforced(server, account) -> None:
    client = _management(server, account)
    root = root_id(client)
    deny_all = json.dumps({"Version": "5.0", "Statement": [{"Effect": "Deny", "Action": ["*"]}]})
    body = org.CreateDryRunPolicyReqBody(
        content=deny_all, description="try", name="deny-all", type="service_control_policy"
    )
    policy = client.create_dry_run_policy(org.CreateDryRunPolicyRequest(body=body)).policy
    policy_id = policy.policy_summary.id
    update = org.UpdatePolicyReqBody(description="tried")
    client.update_dry_run_policy(org.UpdateDryRunPolicyRequest(policy_id=policy_id, body=update))
    shown = client.show_dry_run_policy(org.ShowDryRunPolicyRequest(policy_id=policy_id)).policy
    assert shown.policy_summary.description == "tried"
    dry = client.list_dry_run_policies(org.ListDryRunPoliciesRequest()).policies
    assert [p.id for p in dry] == [policy_id]
    tach = org.PolicyTachReqBody(entity_id=root)
    client.attach_dry_run_policy(org.AttachDryRunPolicyRequest(policy_id=policy_id, body=tach))
    attached = client.list_entities_for_dry_run_policy(
        org.ListEntitiesForDryRunPolicyRequest(policy_id=policy_id)
    ).attached_entities
    assert [(e.id, e.type) for e in attached] == [(root, "root")]
    assert [p.id for p in client.list_policies(org.ListPoliciesRequest()).policies] == [
        "p-FullAccess"
    ]
    member = create_member(server, account)
    clients.iam(server.url, member).keystone_list_users(iam.KeystoneListUsersRequest())
    config = org.UpdateDryRunConfigReqBody(
        policy_type="service_control_policy", root_id=root, status="enabled", bucket_name="logs"
    )
    client.update_dry_run_config(org.UpdateDryRunConfigRequest(body=config))
    shown = client.show_dry_run_config(
        org.ShowDryRunConfigRequest(root_id=root, policy_type="service_control_policy")
    ).root
    assert (shown.status, shown.bucket_name) == ("enabled", "logs")
    client.detach_dry_run_policy(org.DetachDryRunPolicyRequest(policy_id=policy_id, body=tach))
    client.delete_dry_run_policy(org.DeleteDryRunPolicyRequest(policy_id=policy_id))


def test_the_effective_tag_policy_merges_the_policies_along_the_path(server, account) -> None:
    client = _management(server, account)
    root = root_id(client)
    body = org.PolicyTypeReqBody(policy_type="tag_policy", root_id=root)
    client.enable_policy_type(org.EnablePolicyTypeRequest(body=body))
    unit = create_unit(client, root)
    upper = {"tags": {"env": {"tag_key": {"@@assign": "env"}}}}
    lower = {"tags": {"team": {"tag_key": {"@@assign": "team"}}}}
    attach(client, create_policy(client, json.dumps(upper), type_="tag_policy"), root)
    attach(client, create_policy(client, json.dumps(lower), type_="tag_policy"), unit)
    shown = client.show_effective_policies(
        org.ShowEffectivePoliciesRequest(entity_id=unit, policy_type="tag_policy")
    )
    merged = {"tags": {**upper["tags"], **lower["tags"]}}
    assert json.loads(shown.policy_content) == merged
    raised = error(
        lambda: client.show_effective_policies(
            org.ShowEffectivePoliciesRequest(entity_id=unit, policy_type="service_control_policy")
        )
    )
    assert raised.status_code == 400
