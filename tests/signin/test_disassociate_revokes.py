"""What disassociate-profile takes with the assignments it removes: the portal keys of the users
they granted stop at once, in the agencies that stay (another principal still holds the same
permission set in the account) as in the agencies it deletes (the last assignment of a pair
went: the agency and its custom documents go from the member account), and nobody else's."""

from __future__ import annotations

import json

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as iam
from huaweicloudsdkidentitycenter.v1 import model as ic
from sqlalchemy import func, select

from idplane.iam.agencies.tables import Agency
from idplane.iam.roles.catalog import system_roles
from idplane.iam.roles.tables import CustomPolicy
from idplane.identitycenter.permission_sets.agencies import agency_name
from tests.identitycenter.access.support import (
    Org,
    assign,
    create_permission_set,
    disassociate,
    new_org,
)
from tests.identitystore import builders
from tests.signin.support import Portal, signed_in_token
from tests.signin.test_portal_api import PASSWORD, agencies, credentials, iam_as


@pytest.fixture(scope="module")
def org(server) -> Org:
    return new_org(server)


@pytest.fixture(scope="module")
def portal(server, org) -> Portal:
    from idplane.signin.assembly import Signin

    return Portal(
        server, org.directory, Signin.build(server.core.store, server.url, server.core.box)
    )


def _read_only(org, custom_policy: dict | None = None):
    """A new permission set granting IAM ReadOnlyAccess (and a custom policy, if given)."""
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
    if custom_policy is not None:
        client.put_custom_policy_to_permission_set(
            ic.PutCustomPolicyToPermissionSetRequest(
                instance_id=org.instance_id,
                permission_set_id=ps.permission_set_id,
                body=ic.PutCustomPolicyToPermissionSetReqBody(
                    custom_policy=json.dumps(custom_policy)
                ),
            )
        )
    return ps


def _keys(server, portal, user_name, target, ps):
    """Lists the account's users with the portal's keys for the permission set's agency."""
    token = signed_in_token(portal, user_name, PASSWORD).access_token
    (agency,) = [a for a in agencies(server, token, target) if a.permission_set_name == ps.name]
    client = iam_as(server, target, credentials(server, token, target, agency.agency_urn))
    listing = iam.KeystoneListUsersRequest(domain_id=target)
    client.keystone_list_users(listing)  # the keys work
    return lambda: client.keystone_list_users(listing)


def _refused(call) -> int:
    with pytest.raises(ClientRequestException) as error:
        call()
    return error.value.status_code


def _body(org, principal_id: str, accessor_type: str = "USER") -> dict:
    return {
        "id": principal_id,
        "accessor_type": accessor_type,
        "identity_store_id": org.identity_store_id,
    }


def _count(server, model, *where) -> int:
    with server.core.store.read() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_a_disassociated_users_keys_stop_and_another_users_assigned_the_same_work(
    server, org, portal
):
    ps, target = _read_only(org), org.accounts[0].account_id
    leaver, leaver_name, _ = portal.user_with_password(PASSWORD)
    stayer, stayer_name, _ = portal.user_with_password(PASSWORD)
    for user_id in (leaver, stayer):
        assign(org.ic(), org.instance_id, ps.permission_set_id, "USER", user_id, target)
    leavers_keys = _keys(server, portal, leaver_name, target, ps)
    stayers_keys = _keys(server, portal, stayer_name, target, ps)

    disassociate(org.ic(), org.instance_id, _body(org, leaver))

    assert _refused(leavers_keys) in (401, 403)
    stayers_keys()
    assert _count(server, Agency, Agency.account_id == target, Agency.name == agency_name(ps.name))


def test_a_disassociated_groups_members_keys_stop_and_a_directly_assigned_users_work(
    server, org, portal
):
    ps, target = _read_only(org), org.accounts[0].account_id
    member, member_name, _ = portal.user_with_password(PASSWORD)
    direct, direct_name, _ = portal.user_with_password(PASSWORD)
    group = builders.create_group(org.directory)
    builders.add_member(org.directory, group, member)
    assign(org.ic(), org.instance_id, ps.permission_set_id, "GROUP", group, target)
    assign(org.ic(), org.instance_id, ps.permission_set_id, "USER", direct, target)
    members_keys = _keys(server, portal, member_name, target, ps)
    direct_keys = _keys(server, portal, direct_name, target, ps)

    disassociate(org.ic(), org.instance_id, _body(org, group, "GROUP"))

    assert _refused(members_keys) in (401, 403)
    direct_keys()


def test_the_last_assignment_of_a_pair_takes_its_agency_and_custom_policy_and_keys_with_it(
    server, org, portal
):
    deny = {"Version": "5.0", "Statement": [{"Effect": "Deny", "Action": ["iam:groups:*"]}]}
    ps = _read_only(org, custom_policy=deny)
    alone, shared = org.accounts[0].account_id, org.accounts[1].account_id
    leaver, leaver_name, _ = portal.user_with_password(PASSWORD)
    for account in (alone, shared):
        assign(org.ic(), org.instance_id, ps.permission_set_id, "USER", leaver, account)
    assign(org.ic(), org.instance_id, ps.permission_set_id, "USER", org.user(), shared)
    keys = _keys(server, portal, leaver_name, alone, ps)
    name = agency_name(ps.name)
    named = CustomPolicy.display_name.startswith(name)

    disassociate(org.ic(), org.instance_id, _body(org, leaver))

    assert _refused(keys) in (401, 403)
    assert _count(server, Agency, Agency.account_id == alone, Agency.name == name) == 0
    assert _count(server, CustomPolicy, CustomPolicy.account_id == alone, named) == 0
    assert _count(server, Agency, Agency.account_id == shared, Agency.name == name) == 1
    assert _count(server, CustomPolicy, CustomPolicy.account_id == shared, named) == 1
