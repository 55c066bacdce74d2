"""System roles and policies (`/v3/roles`) and custom policies (`/v3.0/OS-ROLE/roles`)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from huaweicloudsdkiam.v3 import model as m

from tests import clients, personas
from tests.iam.conftest import fails
from tests.iam.test_tokens import issue_token

REAL_NAMES = {
    "secu_admin": "Security Administrator",
    "te_admin": "Tenant Administrator",
    "readonly": "Tenant Guest",
}


def _option(statements, display_name=None, kind="AX"):
    return m.ServicePolicyRoleOption(
        display_name=display_name or f"p-{uuid.uuid4().hex[:10]}",
        type=kind,
        description="test policy",
        policy=m.ServicePolicy(
            version="1.1",
            statement=[m.ServiceStatement(action=a, effect=e) for e, a in statements],
        ),
    )


def _create(client, statements=(("Allow", ["iam:users:get*"]),), **kwargs):
    return client.create_cloud_service_custom_policy(
        m.CreateCloudServiceCustomPolicyRequest(
            body=m.CreateCloudServiceCustomPolicyRequestBody(role=_option(statements, **kwargs))
        )
    ).role


def test_the_system_catalog_has_the_real_roles_and_policies(root_iam) -> None:
    roles = root_iam.keystone_list_permissions(m.KeystoneListPermissionsRequest()).roles
    by_name = {r.name: r.display_name for r in roles}
    assert REAL_NAMES.items() <= by_name.items()
    displays = set(by_name.values())
    for policy in (
        "IdentityCenter FullAccess",
        "IdentityCenter ReadOnlyAccess",
        "Organizations FullAccess",
    ):
        assert policy in displays
    assert all(r.domain_id is None for r in roles)


def test_a_permission_is_shown_by_id(root_iam) -> None:
    guest = root_iam.keystone_list_permissions(
        m.KeystoneListPermissionsRequest(name="readonly")
    ).roles[0]
    shown = root_iam.keystone_show_permission(m.KeystoneShowPermissionRequest(role_id=guest.id))
    assert shown.role.display_name == "Tenant Guest" and shown.role.type == "AA"
    request = m.KeystoneShowPermissionRequest(role_id="0" * 32)
    fails(lambda: root_iam.keystone_show_permission(request), 404, "IAM.0004")


def test_permissions_are_filtered_and_paged(root_iam) -> None:
    policies = root_iam.keystone_list_permissions(
        m.KeystoneListPermissionsRequest(permission_type="policy")
    ).roles
    assert policies and all(r.policy.version == "1.1" for r in policies)
    identity = root_iam.keystone_list_permissions(
        m.KeystoneListPermissionsRequest(catalog="IdentityCenter")
    ).roles
    assert {r.display_name for r in identity} == {
        "IdentityCenter FullAccess",
        "IdentityCenter ReadOnlyAccess",
    }
    projects = root_iam.keystone_list_permissions(m.KeystoneListPermissionsRequest(type="project"))
    assert all(r.type in ("AA", "XA") for r in projects.roles)
    page = root_iam.keystone_list_permissions(m.KeystoneListPermissionsRequest(page=2, per_page=2))
    assert len(page.roles) == 2 and page.total_number > 4
    fails(lambda: root_iam.keystone_list_permissions(m.KeystoneListPermissionsRequest(page=1)), 400)


def test_a_custom_policy_is_created_shown_listed_updated_and_deleted(root_iam, account) -> None:
    made = _create(root_iam)
    assert made.domain_id == account.account_id and made.catalog == "CUSTOMED"
    assert made.name.startswith("custom_")
    shown = root_iam.show_custom_policy(m.ShowCustomPolicyRequest(role_id=made.id)).role
    assert shown.policy.statement[0].action == ["iam:users:get*"] and shown.references == 0
    listed = root_iam.list_custom_policies(m.ListCustomPoliciesRequest()).roles
    assert [p.id for p in listed] == [made.id]
    through_roles = root_iam.keystone_list_permissions(
        m.KeystoneListPermissionsRequest(domain_id=account.account_id)
    ).roles
    assert [p.id for p in through_roles] == [made.id]
    updated = root_iam.update_cloud_service_custom_policy(
        m.UpdateCloudServiceCustomPolicyRequest(
            role_id=made.id,
            body=m.UpdateCloudServiceCustomPolicyRequestBody(
                role=_option([("Deny", ["iam:*:*"])], display_name=made.display_name)
            ),
        )
    ).role
    assert updated.policy.statement[0].effect == "Deny"
    root_iam.delete_custom_policy(m.DeleteCustomPolicyRequest(role_id=made.id))
    request = m.ShowCustomPolicyRequest(role_id=made.id)
    fails(lambda: root_iam.show_custom_policy(request), 404, "IAM.0004")


def test_deleting_a_custom_policy_removes_its_grants(server, root_iam, account) -> None:
    user = personas.iam_user_with_policy(
        server, account, [{"Effect": "Allow", "Action": ["iam:groups:listGroups"]}]
    )
    own = clients.iam(server.url, user)
    own.keystone_list_groups(m.KeystoneListGroupsRequest())
    policy = root_iam.list_custom_policies(m.ListCustomPoliciesRequest()).roles[0]
    shown = root_iam.show_custom_policy(m.ShowCustomPolicyRequest(role_id=policy.id)).role
    assert shown.references == 1
    root_iam.delete_custom_policy(m.DeleteCustomPolicyRequest(role_id=policy.id))
    fails(lambda: own.keystone_list_groups(m.KeystoneListGroupsRequest()), 403, "IAM.0003")


def test_display_names_are_unique_in_an_account(root_iam) -> None:
    made = _create(root_iam)
    fails(lambda: _create(root_iam, display_name=made.display_name), 409)


@pytest.mark.parametrize(
    "statements",
    [
        [("Maybe", ["iam:users:get*"])],
        [("Allow", [])],
        [("Allow", ["iam-users-get"])],
        [],
    ],
    ids=["bad effect", "empty action", "malformed action", "no statement"],
)
def test_bad_policies_are_refused(root_iam, statements) -> None:
    fails(lambda: _create(root_iam, statements), 400)


def test_a_custom_policy_is_ax_or_xa(root_iam) -> None:
    fails(lambda: _create(root_iam, kind="AA"), 400)


def _raw_create(server, account, text: str) -> httpx.Response:
    token = issue_token(server, account)
    return httpx.post(
        f"{server.url}/v3.0/OS-ROLE/roles",
        content=text,
        headers={"X-Auth-Token": token, "Content-Type": "application/json"},
    )


def test_bad_json_and_a_wrong_version_are_refused_in_the_iam_envelope(server, account) -> None:
    answer = _raw_create(server, account, '{"role": {"display_name": ')
    assert answer.status_code == 400 and answer.json()["error_code"].startswith("IAM.")
    old = (
        '{"role": {"display_name": "v10", "type": "AX", "description": "d", "policy": '
        '{"Version": "1.0", "Statement": [{"Effect": "Allow", "Action": ["iam:*:*"]}]}}}'
    )
    answer = _raw_create(server, account, old)
    assert answer.status_code == 400 and "Version" in answer.json()["error_msg"]


def test_custom_policies_of_another_account_are_not_found(server, root_iam) -> None:
    other = server.new_account()
    theirs = _create(clients.iam(server.url, other))
    request = m.ShowCustomPolicyRequest(role_id=theirs.id)
    fails(lambda: root_iam.show_custom_policy(request), 404, "IAM.0004")
    request = m.DeleteCustomPolicyRequest(role_id=theirs.id)
    fails(lambda: root_iam.delete_custom_policy(request), 404, "IAM.0004")
    assert root_iam.list_custom_policies(m.ListCustomPoliciesRequest()).roles == []
