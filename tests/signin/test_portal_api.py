"""The portal API through the official client, after a device sign-in approved in the pages:
the accounts and agencies assigned to the user (directly or through a group), temporary
credentials that can do what the permission set allows and nothing else, and logout."""

from __future__ import annotations

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as iam
from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkidentitycenterportalapi.v1 import model as pm

from idplane.iam.roles.catalog import system_roles
from idplane.iam.service import AccountCredentials
from tests import clients
from tests.identitycenter.access.support import (
    Org,
    assign,
    create_permission_set,
    disassociate,
    failure,
    new_org,
)
from tests.identitystore import builders
from tests.signin.support import Portal, actions_of, portal_client, signed_in_token

PASSWORD = "Chosen-Passw0rd!"


@pytest.fixture(scope="module")
def org(server) -> Org:
    return new_org(server)


@pytest.fixture(scope="module")
def portal(server, org) -> Portal:
    from idplane.signin.assembly import Signin

    directory = org.directory
    return Portal(server, directory, Signin.build(server.core.store, server.url, server.core.box))


@pytest.fixture(scope="module")
def read_only(org) -> str:
    """A permission set granting IAM ReadOnlyAccess."""
    client = org.ic()
    ps = create_permission_set(client, org.instance_id, session_duration="PT2H")
    role = system_roles().named("IAM ReadOnlyAccess")
    client.attach_managed_role_to_permission_set(
        ic.AttachManagedRoleToPermissionSetRequest(
            instance_id=org.instance_id,
            permission_set_id=ps.permission_set_id,
            body=ic.ResourceAttachManagedPolicyToPermissionSetReqBody(managed_role_id=role.id),
        )
    )
    return ps


def accounts(server, token: str) -> list:
    response = portal_client(server).list_accounts(pm.ListAccountsRequest(access_token=token))
    return response.account_list or []


def agencies(server, token: str, account_id: str) -> list:
    request = pm.ListAccountAgenciesRequest(access_token=token, account_id=account_id)
    return portal_client(server).list_account_agencies(request).agency_list or []


def credentials(server, token: str, account_id: str, urn: str):
    request = pm.GetAgencyCredentialsRequest(
        access_token=token, target_account_id=account_id, agency_urn=urn
    )
    return portal_client(server).get_agency_credentials(request).agency_credentials


def iam_as(server, account_id: str, issued) -> object:
    creds = AccountCredentials(
        account_id=account_id,
        account_name="",
        user_id="",
        user_name="",
        password="",
        access_key=issued.access_key_id,
        secret_key=issued.secret_access_key,
        project_id="",
        region="",
        endpoint=server.url,
    )
    return clients.iam(server.url, creds, security_token=issued.session_token)


def user_assigned_directly(org, portal, ps) -> tuple[str, str, str]:
    user_id, name, password = portal.user_with_password(PASSWORD)
    assign(
        org.ic(), org.instance_id, ps.permission_set_id, "USER", user_id, org.accounts[0].account_id
    )
    return user_id, name, password


def test_a_directly_assigned_user_lists_the_account_and_its_agency(server, org, portal, read_only):
    _, name, password = user_assigned_directly(org, portal, read_only)
    token = signed_in_token(portal, name, password).access_token
    target = org.accounts[0].account_id
    assert [a.account_id for a in accounts(server, token)] == [target]
    (agency,) = agencies(server, token, target)
    assert agency.permission_set_name == read_only.name
    assert agency.agency_name == f"IdentityCenter_{read_only.name}"
    assert agency.agency_urn == f"iam::{target}:agency:{agency.agency_name}"


def test_provisioning_made_a_real_agency_in_the_member_account(server, org, portal, read_only):
    user_assigned_directly(org, portal, read_only)
    member = org.accounts[0]
    found = (
        clients.iam(server.url, member)
        .list_agencies(
            iam.ListAgenciesRequest(
                domain_id=member.account_id, name=f"IdentityCenter_{read_only.name}"
            )
        )
        .agencies
    )
    assert len(found) == 1 and found[0].trust_domain_name == "op_svc_IdentityCenter"


def test_a_user_assigned_through_a_group_lists_the_account(server, org, portal, read_only):
    user_id, name, password = portal.user_with_password(PASSWORD)
    group_id = builders.create_group(org.directory)
    builders.add_member(org.directory, group_id, user_id)
    target = org.accounts[1].account_id
    assign(org.ic(), org.instance_id, read_only.permission_set_id, "GROUP", group_id, target)
    token = signed_in_token(portal, name, password).access_token
    assert [a.account_id for a in accounts(server, token)] == [target]


def test_a_user_without_assignments_lists_nothing_and_gets_no_credentials(
    server, org, portal, read_only
):
    _, name, password = portal.user_with_password(PASSWORD)
    token = signed_in_token(portal, name, password).access_token
    target = org.accounts[0].account_id
    assert accounts(server, token) == []
    urn = f"iam::{target}:agency:IdentityCenter_{read_only.name}"
    assert failure(lambda: credentials(server, token, target, urn)) == (404, "IIC.404")


def test_the_credentials_read_the_member_accounts_users_and_are_refused_a_write(
    server, org, portal, read_only
):
    user_id, name, password = user_assigned_directly(org, portal, read_only)
    token = signed_in_token(portal, name, password).access_token
    target = org.accounts[0].account_id
    (agency,) = agencies(server, token, target)
    issued = credentials(server, token, target, agency.agency_urn)
    assert issued.access_key_id and issued.session_token
    assert ("portal:getAgencyCredentials", "success") in actions_of(portal, user_id)
    client = iam_as(server, target, issued)
    client.keystone_list_users(iam.KeystoneListUsersRequest(domain_id=target))
    body = iam.CreateUserOption(name="not-allowed", domain_id=target, password="Passw0rd-Long!")
    status, _ = failure(
        lambda: client.create_user(iam.CreateUserRequest(body=iam.CreateUserRequestBody(user=body)))
    )
    assert status == 403


def test_after_disassociate_profile_the_portal_lists_nothing_and_credentials_stop(
    server, org, portal, read_only
):
    user_id, name, password = user_assigned_directly(org, portal, read_only)
    token = signed_in_token(portal, name, password).access_token
    target = org.accounts[0].account_id
    (agency,) = agencies(server, token, target)
    issued = credentials(server, token, target, agency.agency_urn)
    client = iam_as(server, target, issued)
    body = {"id": user_id, "accessor_type": "USER", "identity_store_id": org.identity_store_id}
    disassociate(org.ic(), org.instance_id, body)
    assert accounts(server, token) == []
    assert failure(lambda: credentials(server, token, target, agency.agency_urn))[0] == 404
    with pytest.raises(ClientRequestException) as refused:
        client.keystone_list_users(iam.KeystoneListUsersRequest(domain_id=target))
    assert refused.value.status_code in (401, 403)


def test_logout_ends_the_token(server, org, portal, read_only):
    _, name, password = portal.user_with_password(PASSWORD)
    token = signed_in_token(portal, name, password).access_token
    portal_client(server).logout(pm.LogoutRequest(access_token=token))
    assert failure(lambda: accounts(server, token))[0] == 401


def test_an_unknown_access_token_is_refused(server):
    assert failure(lambda: accounts(server, "not-a-token"))[0] == 401


def test_disabling_the_user_refuses_their_access_token(server, org, portal, read_only):
    from huaweicloudsdkidentitycenterstore.v1 import model as ids

    user_id, name, password = user_assigned_directly(org, portal, read_only)
    token = signed_in_token(portal, name, password).access_token
    assert accounts(server, token)
    portal.directory.client().disable_user(
        ids.DisableUserRequest(identity_store_id=portal.store_id, user_id=user_id)
    )
    assert failure(lambda: accounts(server, token))[0] == 401


def test_a_custom_role_of_the_permission_set_is_what_the_credentials_may_do(server, org, portal):
    import json

    client = org.ic()
    ps = create_permission_set(client, org.instance_id)
    document = {
        "Version": "1.1",
        "Statement": [{"Effect": "Allow", "Action": ["iam:users:listUsers"]}],
    }
    client.put_custom_role_to_permission_set(
        ic.PutCustomRoleToPermissionSetRequest(
            instance_id=org.instance_id,
            permission_set_id=ps.permission_set_id,
            body=ic.PutCustomRoleToPermissionSetReqBody(custom_role=json.dumps(document)),
        )
    )
    user_id, name, password = portal.user_with_password(PASSWORD)
    target = org.accounts[1].account_id
    assign(client, org.instance_id, ps.permission_set_id, "USER", user_id, target)
    token = signed_in_token(portal, name, password).access_token
    (agency,) = [a for a in agencies(server, token, target) if a.permission_set_name == ps.name]
    iam_client = iam_as(server, target, credentials(server, token, target, agency.agency_urn))
    iam_client.keystone_list_users(iam.KeystoneListUsersRequest(domain_id=target))
    status, _ = failure(lambda: iam_client.keystone_list_groups(iam.KeystoneListGroupsRequest()))
    assert status == 403


def test_the_custom_policy_sits_on_the_agency_beside_the_managed_roles(server, org, portal):
    """A permission set with IAM ReadOnlyAccess and an inline (5.0) policy denying the user
    list: the credentials read groups (the managed role) and are refused the users (the
    custom policy)."""
    import json

    client = org.ic()
    ps = create_permission_set(client, org.instance_id)
    role = system_roles().named("IAM ReadOnlyAccess")
    client.attach_managed_role_to_permission_set(
        ic.AttachManagedRoleToPermissionSetRequest(
            instance_id=org.instance_id,
            permission_set_id=ps.permission_set_id,
            body=ic.ResourceAttachManagedPolicyToPermissionSetReqBody(managed_role_id=role.id),
        )
    )
    document = {
        "Version": "5.0",
        "Statement": [{"Effect": "Deny", "Action": ["iam:users:listUsers"]}],
    }
    client.put_custom_policy_to_permission_set(
        ic.PutCustomPolicyToPermissionSetRequest(
            instance_id=org.instance_id,
            permission_set_id=ps.permission_set_id,
            body=ic.PutCustomPolicyToPermissionSetReqBody(custom_policy=json.dumps(document)),
        )
    )
    user_id, name, password = portal.user_with_password(PASSWORD)
    target = org.accounts[1].account_id
    assign(client, org.instance_id, ps.permission_set_id, "USER", user_id, target)
    token = signed_in_token(portal, name, password).access_token
    (agency,) = [a for a in agencies(server, token, target) if a.permission_set_name == ps.name]
    iam_client = iam_as(server, target, credentials(server, token, target, agency.agency_urn))
    iam_client.keystone_list_groups(iam.KeystoneListGroupsRequest(domain_id=target))
    listing = iam.KeystoneListUsersRequest(domain_id=target)
    assert failure(lambda: iam_client.keystone_list_users(listing))[0] == 403
