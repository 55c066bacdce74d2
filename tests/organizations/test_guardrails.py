"""Service control policies are enforced: every request made in a member account is judged
by the SCPs along the account's path from the root, on top of IAM."""

from __future__ import annotations

import json

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as iam
from huaweicloudsdkorganizations.v1 import model as org
from huaweicloudsdksts.v1 import model as sts

from idplane.iam.sessions.service import SessionSpec, SourcePrincipal
from idplane.platform.auth.caller import SourceKind
from tests import clients, personas
from tests.organizations.tree_support import (
    attach,
    create_policy,
    detach,
    enable_scps,
    error,
    move,
    scp,
    three_level_tree,
)
from tests.sts.conftest import make_agency, session_credentials

IAM_ADMIN = [{"Effect": "Allow", "Action": ["iam:*:*"]}]
DENY_USER_DELETE = [{"Effect": "Deny", "Action": ["iam:users:delete*"], "Resource": ["*"]}]


def _delete_user(server, admin, account) -> None:
    """An IAM admin of `account` deletes a fresh IAM user of that account."""
    victim = personas.iam_user(server, account)
    clients.iam(server.url, admin).keystone_delete_user(
        iam.KeystoneDeleteUserRequest(user_id=victim.user_id)
    )


def _list_users(server, creds) -> None:
    clients.iam(server.url, creds).keystone_list_users(iam.KeystoneListUsersRequest())


@pytest.fixture
def tree(server):
    tree = three_level_tree(server)
    tree.admin_inside = personas.iam_user_with_policy(server, tree.inside, IAM_ADMIN)
    tree.admin_outside = personas.iam_user_with_policy(server, tree.outside, IAM_ADMIN)
    enable_scps(tree.client, tree.root)
    return tree


def test_an_scp_on_a_unit_refuses_an_iam_admin_below_it_and_not_one_outside(server, tree) -> None:
    policy_id = create_policy(tree.client, scp(DENY_USER_DELETE), name="no-user-delete")
    attach(tree.client, policy_id, tree.top)
    raised = error(lambda: _delete_user(server, tree.admin_inside, tree.inside))
    assert raised.status_code == 403, raised.error_msg
    assert "no-user-delete" in raised.error_msg and policy_id in raised.error_msg
    _delete_user(server, tree.admin_outside, tree.outside)
    _list_users(server, tree.admin_inside)  # other actions still pass


def test_detaching_the_scp_restores_access(server, tree) -> None:
    policy_id = create_policy(tree.client, scp(DENY_USER_DELETE))
    attach(tree.client, policy_id, tree.middle)
    assert error(lambda: _delete_user(server, tree.admin_inside, tree.inside)).status_code == 403
    detach(tree.client, policy_id, tree.middle)
    _delete_user(server, tree.admin_inside, tree.inside)


def test_a_member_accounts_root_user_is_bound_too(server, tree) -> None:
    attach(tree.client, create_policy(tree.client, scp(DENY_USER_DELETE)), tree.inside.account_id)
    raised = error(lambda: _delete_user(server, tree.inside, tree.inside))
    assert raised.status_code == 403


def test_temporary_credentials_of_a_member_are_bound_too(server, tree) -> None:
    attach(tree.client, create_policy(tree.client, scp(DENY_USER_DELETE)), tree.root)
    session = personas.temporary(server, tree.admin_inside)
    assert error(lambda: _delete_user(server, session, tree.inside)).status_code == 403


def test_the_management_account_is_never_restricted(server, tree) -> None:
    attach(tree.client, create_policy(tree.client, scp(DENY_USER_DELETE)), tree.root)
    _delete_user(server, tree.management, tree.management)
    admin = personas.iam_user_with_policy(server, tree.management, IAM_ADMIN)
    _delete_user(server, admin, tree.management)


def test_a_level_without_an_allow_refuses_everything_not_allowed(server, tree) -> None:
    allow_iam_reads = [{"Effect": "Allow", "Action": ["iam:users:list*", "iam:users:get*"]}]
    narrow = create_policy(tree.client, scp(allow_iam_reads))
    attach(tree.client, narrow, tree.bottom)
    detach(tree.client, "p-FullAccess", tree.bottom)
    _list_users(server, tree.admin_inside)
    raised = error(lambda: _delete_user(server, tree.admin_inside, tree.inside))
    assert raised.status_code == 403 and tree.bottom in raised.error_msg
    _delete_user(server, tree.admin_outside, tree.outside)


def test_a_not_action_deny_spares_only_the_listed_actions(server, tree) -> None:
    only_user_reads = [{"Effect": "Deny", "NotAction": ["iam:users:list*", "iam:users:get*"]}]
    attach(tree.client, create_policy(tree.client, scp(only_user_reads)), tree.inside.account_id)
    _list_users(server, tree.admin_inside)
    assert error(lambda: _delete_user(server, tree.admin_inside, tree.inside)).status_code == 403


def test_disabling_scps_lifts_every_guardrail(server, tree) -> None:
    attach(tree.client, create_policy(tree.client, scp(DENY_USER_DELETE)), tree.root)
    body = org.PolicyTypeReqBody(policy_type="service_control_policy", root_id=tree.root)
    tree.client.disable_policy_type(org.DisablePolicyTypeRequest(body=body))
    _delete_user(server, tree.admin_inside, tree.inside)


def test_moving_an_account_out_of_a_restricted_unit_frees_it(server, tree) -> None:
    attach(tree.client, create_policy(tree.client, scp(DENY_USER_DELETE)), tree.top)
    assert error(lambda: _delete_user(server, tree.admin_inside, tree.inside)).status_code == 403
    move(tree.client, tree.inside.account_id, tree.bottom, tree.root)
    _delete_user(server, tree.admin_inside, tree.inside)


def test_scps_refuse_organizations_calls_of_a_member_too(server, tree) -> None:
    deny_leave = [{"Effect": "Deny", "Action": ["organizations:organizations:leave"]}]
    attach(tree.client, create_policy(tree.client, scp(deny_leave)), tree.outside.account_id)
    member = clients.organizations(server.url, tree.outside)
    with pytest.raises(ClientRequestException) as raised:
        member.leave_organization(org.LeaveOrganizationRequest())
    assert (raised.value.status_code, raised.value.error_code) == (403, "Organizations.1007")


def test_an_identity_center_agency_session_in_a_member_is_bound_too(server, tree) -> None:
    agency = make_agency(server, tree.inside, tree.management)
    source = SourcePrincipal(
        kind=SourceKind.IDENTITY_STORE_USER,
        account_id=tree.management.account_id,
        principal_id="portal-user",
        principal_urn=f"identitystore::{tree.management.account_id}:user:alice",
        trusted_party=tree.management.account_id,
    )
    issued = server.core.sessions.open_agency_session(
        tree.inside.account_id, agency.name, source, SessionSpec(session_name="alice")
    )
    creds = session_credentials(tree.inside, issued.access, issued.secret, issued.security_token)
    _list_users(server, creds)
    deny_reads = [{"Effect": "Deny", "Action": ["iam:users:list*"]}]
    attach(tree.client, create_policy(tree.client, scp(deny_reads)), tree.bottom)
    assert error(lambda: _list_users(server, creds)).status_code == 403


def test_a_refusal_carries_a_decodable_message_naming_the_policy(server, tree) -> None:
    policy_id = create_policy(tree.client, scp(DENY_USER_DELETE), name="no-user-delete")
    attach(tree.client, policy_id, tree.middle)
    raised = error(lambda: _delete_user(server, tree.admin_inside, tree.inside))
    decoded = clients.sts(server.url, tree.inside).decode_authorization_message(
        sts.DecodeAuthorizationMessageRequest(
            body=sts.DecodeAuthorizationMessageReq(encoded_message=raised.encoded_auth_msg)
        )
    )
    message = json.loads(decoded.decoded_message)
    assert (message["allowed"], message["explicit_deny"]) == (False, True)
    assert f"no-user-delete ({policy_id}) attached to {tree.middle}" in message["reason"]
    assert message["context"]["action"] == "iam:users:deleteUser"
    assert message["matched_statements"][0]["source"].startswith("service control policy")


def test_a_conditional_scp_binds_only_the_principals_it_names(server, tree) -> None:
    roots_only = [
        {
            "Effect": "Deny",
            "Action": ["iam:users:delete*"],
            "Condition": {"Bool": {"g:PrincipalIsRootUser": ["true"]}},
        }
    ]
    attach(tree.client, create_policy(tree.client, scp(roots_only)), tree.root)
    assert error(lambda: _delete_user(server, tree.inside, tree.inside)).status_code == 403
    _delete_user(server, tree.admin_inside, tree.inside)
