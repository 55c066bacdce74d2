"""Granting roles and policies to groups: on the account, on a project, inherited by every
project; and which grants apply to a request (global vs. project-scoped signing)."""

from __future__ import annotations

from huaweicloudsdkiam.v3 import model as m

from tests import clients, personas
from tests.iam.conftest import fails

READ_GROUPS = [{"Effect": "Allow", "Action": ["iam:groups:listGroups"]}]


def _groups(client):
    return client.keystone_list_groups(m.KeystoneListGroupsRequest())


def _setup(server, account, statements=READ_GROUPS, kind="AX"):
    """A user in an empty group, and a custom policy not yet granted."""
    group_id = personas.group_with_roles(server, account, [])
    user = personas.iam_user(server, account)
    personas.add_to_group(server, account, group_id, user.user_id)
    policy = personas.custom_policy(server, account, statements, kind=kind)
    return group_id, user, policy


def test_a_grant_on_the_account_is_put_checked_listed_and_removed(server, root_iam, account):
    group_id, user, policy = _setup(server, account)
    ids = {"domain_id": account.account_id, "group_id": group_id, "role_id": policy.id}
    check = m.KeystoneCheckDomainPermissionForGroupRequest(**ids)
    fails(lambda: root_iam.keystone_check_domain_permission_for_group(check), 404)
    fails(lambda: _groups(clients.iam(server.url, user)), 403, "IAM.0003")
    root_iam.keystone_associate_group_with_domain_permission(
        m.KeystoneAssociateGroupWithDomainPermissionRequest(**ids)
    )
    root_iam.keystone_check_domain_permission_for_group(check)
    listed = root_iam.keystone_list_domain_permissions_for_group(
        m.KeystoneListDomainPermissionsForGroupRequest(
            domain_id=account.account_id, group_id=group_id
        )
    ).roles
    assert [r.id for r in listed] == [policy.id]
    _groups(clients.iam(server.url, user))
    _groups(clients.iam_basic(server.url, user))  # account grants apply in every scope
    root_iam.keystone_remove_domain_permission_from_group(
        m.KeystoneRemoveDomainPermissionFromGroupRequest(**ids)
    )
    fails(lambda: _groups(clients.iam(server.url, user)), 403, "IAM.0003")


def test_a_project_grant_applies_only_to_requests_scoped_to_that_project(server, root_iam, account):
    group_id, user, policy = _setup(server, account, kind="XA")
    ids = {"project_id": account.project_id, "group_id": group_id, "role_id": policy.id}
    root_iam.keystone_associate_group_with_project_permission(
        m.KeystoneAssociateGroupWithProjectPermissionRequest(**ids)
    )
    root_iam.keystone_check_project_permission_for_group(
        m.KeystoneCheckProjectPermissionForGroupRequest(**ids)
    )
    listed = root_iam.keystone_list_project_permissions_for_group(
        m.KeystoneListProjectPermissionsForGroupRequest(
            project_id=account.project_id, group_id=group_id
        )
    ).roles
    assert [r.id for r in listed] == [policy.id]
    _groups(clients.iam_basic(server.url, user))
    fails(lambda: _groups(clients.iam(server.url, user)), 403, "IAM.0003")
    root_iam.keystone_remove_project_permission_from_group(
        m.KeystoneRemoveProjectPermissionFromGroupRequest(**ids)
    )
    fails(lambda: _groups(clients.iam_basic(server.url, user)), 403, "IAM.0003")


def test_an_inherited_grant_applies_to_every_project_but_not_the_account(server, root_iam, account):
    group_id, user, policy = _setup(server, account, kind="XA")
    ids = {"domain_id": account.account_id, "group_id": group_id, "role_id": policy.id}
    root_iam.update_domain_group_inherit_role(m.UpdateDomainGroupInheritRoleRequest(**ids))
    root_iam.keystone_checkrole_for_group(m.KeystoneCheckroleForGroupRequest(**ids))
    listed = root_iam.keystone_list_all_project_permissions_for_group(
        m.KeystoneListAllProjectPermissionsForGroupRequest(
            domain_id=account.account_id, group_id=group_id
        )
    ).roles
    assert [r.id for r in listed] == [policy.id]
    _groups(clients.iam_basic(server.url, user))
    fails(lambda: _groups(clients.iam(server.url, user)), 403, "IAM.0003")
    root_iam.delete_domain_group_inherited_role(m.DeleteDomainGroupInheritedRoleRequest(**ids))
    fails(lambda: _groups(clients.iam_basic(server.url, user)), 403, "IAM.0003")


def test_a_role_is_granted_only_where_its_type_allows(server, root_iam, account):
    group_id, _user, policy = _setup(server, account, kind="XA")
    on_domain = m.KeystoneAssociateGroupWithDomainPermissionRequest(
        domain_id=account.account_id, group_id=group_id, role_id=policy.id
    )
    fails(lambda: root_iam.keystone_associate_group_with_domain_permission(on_domain), 400)
    secu = personas.system_role(server, account, "Security Administrator")  # AX
    on_project = m.KeystoneAssociateGroupWithProjectPermissionRequest(
        project_id=account.project_id, group_id=group_id, role_id=secu.id
    )
    fails(lambda: root_iam.keystone_associate_group_with_project_permission(on_project), 400)


def test_an_explicit_deny_wins_over_any_allow(server, account):
    user = personas.iam_user_with_policy(
        server,
        account,
        [{"Effect": "Deny", "Action": ["iam:groups:list*"]}],
        ["Security Administrator"],
    )
    client = clients.iam(server.url, user)
    fails(lambda: _groups(client), 403, "IAM.0003")
    client.keystone_list_users(m.KeystoneListUsersRequest())  # the rest of IAM still allowed


def test_tenant_administrator_and_security_administrator_together_cover_iam(server, account):
    both = personas.iam_user_with_roles(
        server, account, ["Tenant Administrator", "Security Administrator"]
    )
    _groups(clients.iam(server.url, both))
    alone = personas.iam_user_with_roles(server, account, ["Tenant Administrator"])
    fails(lambda: _groups(clients.iam(server.url, alone)), 403, "IAM.0003")


def test_grants_never_cross_accounts(server, root_iam, account):
    other = server.new_account()
    theirs = personas.custom_policy(server, other, READ_GROUPS)
    group_id, _user, _policy = _setup(server, account)
    mine = {"domain_id": account.account_id, "group_id": group_id, "role_id": theirs.id}
    request = m.KeystoneAssociateGroupWithDomainPermissionRequest(**mine)
    fails(lambda: root_iam.keystone_associate_group_with_domain_permission(request), 404)
    their_group = personas.group_with_roles(server, other, [])
    guest = personas.system_role(server, account, "Tenant Guest")
    in_their_account = m.KeystoneAssociateGroupWithDomainPermissionRequest(
        domain_id=other.account_id, group_id=their_group, role_id=guest.id
    )
    fails(lambda: root_iam.keystone_associate_group_with_domain_permission(in_their_account), 403)
    their_group_in_mine = m.KeystoneAssociateGroupWithDomainPermissionRequest(
        domain_id=account.account_id, group_id=their_group, role_id=guest.id
    )
    fails(
        lambda: root_iam.keystone_associate_group_with_domain_permission(their_group_in_mine), 404
    )
    on_their_project = m.KeystoneAssociateGroupWithProjectPermissionRequest(
        project_id=other.project_id, group_id=group_id, role_id=guest.id
    )
    fails(lambda: root_iam.keystone_associate_group_with_project_permission(on_their_project), 404)
