"""The agency provisioning leaves in the member account, seen through IAM: an assignment of a
changed permission set rebuilds it, one of an unchanged permission set leaves it as it is (or
re-creates it when it is gone), and an explicit provisioning to every account rebuilds it
everywhere."""

from __future__ import annotations

from huaweicloudsdkiam.v3 import model as iam
from huaweicloudsdkidentitycenter.v1 import model as ic

from idplane.iam.roles.catalog import system_roles
from tests import clients
from tests.identitycenter.access.support import assign, create_permission_set


def _agency(server, account, ps_name: str) -> iam.AgencyResult | None:
    request = iam.ListAgenciesRequest(
        domain_id=account.account_id, name=f"IdentityCenter_{ps_name}"
    )
    found = clients.iam(server.url, account).list_agencies(request).agencies
    return found[0] if found else None


def _roles(server, account, ps_name: str) -> list[str]:
    agency = _agency(server, account, ps_name)
    assert agency is not None
    request = iam.ListDomainPermissionsForAgencyRequest(
        domain_id=account.account_id, agency_id=agency.id
    )
    roles = clients.iam(server.url, account).list_domain_permissions_for_agency(request).roles
    return sorted(r.display_name for r in roles)


def _attach(org, ps_id: str, role_name: str) -> None:
    org.ic().attach_managed_role_to_permission_set(
        ic.AttachManagedRoleToPermissionSetRequest(
            instance_id=org.instance_id,
            permission_set_id=ps_id,
            body=ic.ResourceAttachManagedPolicyToPermissionSetReqBody(
                managed_role_id=system_roles().named(role_name).id
            ),
        )
    )


def test_an_assignment_of_a_changed_permission_set_rebuilds_its_agency(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id)
    member = org.accounts[0]
    assign(client, org.instance_id, ps.permission_set_id, "USER", org.user(), member.account_id)
    assert _roles(server, member, ps.name) == []
    _attach(org, ps.permission_set_id, "IAM ReadOnlyAccess")
    assert _roles(server, member, ps.name) == []  # not provisioned yet
    assign(client, org.instance_id, ps.permission_set_id, "USER", org.user(), member.account_id)
    assert _roles(server, member, ps.name) == ["IAM ReadOnlyAccess"]


def test_an_assignment_re_creates_an_agency_deleted_through_iam(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id)
    _attach(org, ps.permission_set_id, "IAM ReadOnlyAccess")
    member = org.accounts[1]
    assign(client, org.instance_id, ps.permission_set_id, "USER", org.user(), member.account_id)
    agency = _agency(server, member, ps.name)
    assert agency is not None
    clients.iam(server.url, member).delete_agency(iam.DeleteAgencyRequest(agency_id=agency.id))
    assert _agency(server, member, ps.name) is None
    assign(client, org.instance_id, ps.permission_set_id, "USER", org.user(), member.account_id)
    assert _roles(server, member, ps.name) == ["IAM ReadOnlyAccess"]


def test_provisioning_to_every_account_rebuilds_each_agency(server, org) -> None:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id)
    for member in org.accounts:
        assign(client, org.instance_id, ps.permission_set_id, "USER", org.user(), member.account_id)
    _attach(org, ps.permission_set_id, "IAM ReadOnlyAccess")
    client.provision_permission_set(
        ic.ProvisionPermissionSetRequest(
            instance_id=org.instance_id,
            permission_set_id=ps.permission_set_id,
            body=ic.ProvisionPermissionSetReqBody(target_type="ALL_PROVISIONED_ACCOUNTS"),
        )
    )
    for member in org.accounts:
        assert _roles(server, member, ps.name) == ["IAM ReadOnlyAccess"]
