"""Keys a user got through the portal for a group's assignment stop at once when the user
leaves the group, through the Identity Store API or over SCIM, in the transaction that removes
the membership; a user still granted the same through another assignment keeps them."""

from __future__ import annotations

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as iam
from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkidentitycenterstore.v1 import model as ids

from idplane.iam.roles.catalog import system_roles
from tests.identitycenter.access.support import Org, assign, create_permission_set, new_org
from tests.identitystore import builders
from tests.identitystore.provisioning.support import create_tenant, create_token, store_client
from tests.scim.endpoint.support import PATCH_OP, Scim
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


@pytest.fixture(scope="module")
def read_only(org):
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
    return ps


def keys_through_a_group(server, org, portal, ps):
    """(user id, group id, membership id, an IAM client with the portal's keys)."""
    user_id, name, password = portal.user_with_password(PASSWORD)
    group_id = builders.create_group(org.directory)
    membership_id = builders.add_member(org.directory, group_id, user_id)
    target = org.accounts[0].account_id
    assign(org.ic(), org.instance_id, ps.permission_set_id, "GROUP", group_id, target)
    token = signed_in_token(portal, name, password).access_token
    (agency,) = [a for a in agencies(server, token, target) if a.permission_set_name == ps.name]
    client = iam_as(server, target, credentials(server, token, target, agency.agency_urn))
    listing = iam.KeystoneListUsersRequest(domain_id=target)
    client.keystone_list_users(listing)  # the keys work
    return user_id, group_id, membership_id, lambda: client.keystone_list_users(listing)


def refused(call) -> int:
    with pytest.raises(ClientRequestException) as error:
        call()
    return error.value.status_code


def test_removing_the_membership_stops_the_users_keys_at_once(server, org, portal, read_only):
    _, _, membership_id, use_keys = keys_through_a_group(server, org, portal, read_only)
    org.directory.client().delete_group_membership(
        ids.DeleteGroupMembershipRequest(
            identity_store_id=org.identity_store_id, membership_id=membership_id
        )
    )
    assert refused(use_keys) in (401, 403)


def test_keys_also_granted_directly_survive_leaving_the_group(server, org, portal, read_only):
    user_id, _, membership_id, use_keys = keys_through_a_group(server, org, portal, read_only)
    target = org.accounts[0].account_id
    assign(org.ic(), org.instance_id, read_only.permission_set_id, "USER", user_id, target)
    org.directory.client().delete_group_membership(
        ids.DeleteGroupMembershipRequest(
            identity_store_id=org.identity_store_id, membership_id=membership_id
        )
    )
    use_keys()


def test_removing_the_member_over_scim_stops_the_users_keys(server, org, portal, read_only):
    user_id, group_id, _, use_keys = keys_through_a_group(server, org, portal, read_only)
    client = store_client(server, org.management)
    tenant = create_tenant(client, org.identity_store_id)
    token = create_token(client, org.identity_store_id, tenant.tenant_id).token
    scim = Scim(
        server, org.management, org.identity_store_id, tenant.tenant_id, token, tenant.scim_endpoint
    )
    patch = {
        "schemas": [PATCH_OP],
        "Operations": [{"op": "remove", "path": f'members[value eq "{user_id}"]'}],
    }
    with scim.http() as http:
        answer = http.patch(f"/Groups/{group_id}", json=patch)
        assert answer.status_code in (200, 204), answer.text
    assert refused(use_keys) in (401, 403)
