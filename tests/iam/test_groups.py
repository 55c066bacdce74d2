"""Keystone groups, membership, and the default group `admin` of every account."""

from __future__ import annotations

import uuid

from huaweicloudsdkiam.v3 import model as m
from sqlalchemy import func, select

from idplane.iam.permissions.tables import GroupRole
from tests import clients, personas
from tests.iam.conftest import fails


def _create(client, name: str | None = None, description: str | None = None):
    option = m.KeystoneCreateGroupOption(
        name=name or f"g-{uuid.uuid4().hex[:10]}", description=description
    )
    return client.keystone_create_group(
        m.KeystoneCreateGroupRequest(body=m.KeystoneCreateGroupRequestBody(group=option))
    ).group


def _admin_group(client):
    return client.keystone_list_groups(m.KeystoneListGroupsRequest(name="admin")).groups[0]


def test_a_group_is_created_shown_renamed_and_deleted(root_iam, account) -> None:
    made = _create(root_iam, description="team")
    assert made.domain_id == account.account_id and made.create_time > 0
    shown = root_iam.keystone_show_group(m.KeystoneShowGroupRequest(group_id=made.id)).group
    assert (shown.name, shown.description) == (made.name, "team")
    renamed = root_iam.keystone_update_group(
        m.KeystoneUpdateGroupRequest(
            group_id=made.id,
            body=m.KeystoneUpdateGroupRequestBody(
                group=m.KeystoneUpdateGroupOption(name="renamed")
            ),
        )
    ).group
    assert (renamed.name, renamed.description) == ("renamed", "team")
    root_iam.keystone_delete_group(m.KeystoneDeleteGroupRequest(group_id=made.id))
    request = m.KeystoneShowGroupRequest(group_id=made.id)
    fails(lambda: root_iam.keystone_show_group(request), 404, "IAM.0004")


def test_group_names_are_unique_in_an_account(root_iam) -> None:
    made = _create(root_iam)
    fails(lambda: _create(root_iam, made.name), 409)


def test_groups_are_listed_and_filtered_by_name(root_iam) -> None:
    made = _create(root_iam)
    names = {g.name for g in root_iam.keystone_list_groups(m.KeystoneListGroupsRequest()).groups}
    assert {"admin", made.name} <= names
    found = root_iam.keystone_list_groups(m.KeystoneListGroupsRequest(name=made.name)).groups
    assert [g.id for g in found] == [made.id]


def test_members_are_added_checked_listed_and_removed(server, root_iam, account) -> None:
    group = _create(root_iam)
    user = personas.iam_user(server, account)
    pair = {"group_id": group.id, "user_id": user.user_id}
    check = m.KeystoneCheckUserInGroupRequest(**pair)
    fails(lambda: root_iam.keystone_check_user_in_group(check), 404)
    root_iam.keystone_add_user_to_group(m.KeystoneAddUserToGroupRequest(**pair))
    root_iam.keystone_add_user_to_group(m.KeystoneAddUserToGroupRequest(**pair))  # idempotent
    root_iam.keystone_check_user_in_group(check)
    members = root_iam.keystone_list_users_for_group_by_admin(
        m.KeystoneListUsersForGroupByAdminRequest(group_id=group.id)
    ).users
    assert [u.id for u in members] == [user.user_id]
    root_iam.keystone_remove_user_from_group(m.KeystoneRemoveUserFromGroupRequest(**pair))
    fails(lambda: root_iam.keystone_check_user_in_group(check), 404)


def test_deleting_a_group_removes_its_members_and_grants(server, root_iam, account) -> None:
    user = personas.iam_user_with_roles(server, account, ["Security Administrator"])
    group = (
        clients.iam(server.url, user)
        .keystone_list_groups_for_user(m.KeystoneListGroupsForUserRequest(user_id=user.user_id))
        .groups[0]
    )
    root_iam.keystone_delete_group(m.KeystoneDeleteGroupRequest(group_id=group.id))
    with server.core.store.read() as session:
        grants = session.scalar(
            select(func.count()).select_from(GroupRole).where(GroupRole.group_id == group.id)
        )
    assert grants == 0
    own = clients.iam(server.url, user).keystone_list_groups_for_user(
        m.KeystoneListGroupsForUserRequest(user_id=user.user_id)
    )
    assert own.groups == []
    fails(
        lambda: clients.iam(server.url, user).keystone_list_groups(m.KeystoneListGroupsRequest()),
        403,
        "IAM.0003",
    )


def test_a_user_belongs_to_at_most_ten_groups(server, root_iam, account) -> None:
    user = personas.iam_user(server, account)
    for _ in range(10):
        group = _create(root_iam)
        root_iam.keystone_add_user_to_group(
            m.KeystoneAddUserToGroupRequest(group_id=group.id, user_id=user.user_id)
        )
    last = _create(root_iam)
    request = m.KeystoneAddUserToGroupRequest(group_id=last.id, user_id=user.user_id)
    fails(lambda: root_iam.keystone_add_user_to_group(request), 400)


def test_every_account_has_the_admin_group_with_its_root_and_administrator_roles(
    root_iam, account
) -> None:
    admin = _admin_group(root_iam)
    members = root_iam.keystone_list_users_for_group_by_admin(
        m.KeystoneListUsersForGroupByAdminRequest(group_id=admin.id)
    ).users
    assert [u.id for u in members] == [account.user_id]
    roles = root_iam.keystone_list_domain_permissions_for_group(
        m.KeystoneListDomainPermissionsForGroupRequest(
            domain_id=account.account_id, group_id=admin.id
        )
    ).roles
    assert {r.display_name for r in roles} == {"Tenant Administrator", "Security Administrator"}


def test_the_admin_group_cannot_be_deleted_renamed_stripped_or_left_by_root(
    root_iam, account
) -> None:
    admin = _admin_group(root_iam)
    fails(
        lambda: root_iam.keystone_delete_group(m.KeystoneDeleteGroupRequest(group_id=admin.id)), 403
    )
    rename = m.KeystoneUpdateGroupRequest(
        group_id=admin.id,
        body=m.KeystoneUpdateGroupRequestBody(group=m.KeystoneUpdateGroupOption(name="other")),
    )
    fails(lambda: root_iam.keystone_update_group(rename), 403)
    leave = m.KeystoneRemoveUserFromGroupRequest(group_id=admin.id, user_id=account.user_id)
    fails(lambda: root_iam.keystone_remove_user_from_group(leave), 403)
    role = root_iam.keystone_list_permissions(
        m.KeystoneListPermissionsRequest(name="secu_admin")
    ).roles[0]
    strip = m.KeystoneRemoveDomainPermissionFromGroupRequest(
        domain_id=account.account_id, group_id=admin.id, role_id=role.id
    )
    fails(lambda: root_iam.keystone_remove_domain_permission_from_group(strip), 403)


def test_a_member_of_admin_manages_iam(server, root_iam, account) -> None:
    user = personas.iam_user(server, account)
    personas.add_to_group(server, account, _admin_group(root_iam).id, user.user_id)
    _create(clients.iam(server.url, user))


def test_groups_of_another_account_are_not_found(server, root_iam) -> None:
    other = server.new_account()
    theirs = _create(clients.iam(server.url, other))
    request = m.KeystoneShowGroupRequest(group_id=theirs.id)
    fails(lambda: root_iam.keystone_show_group(request), 404, "IAM.0004")
    join = m.KeystoneAddUserToGroupRequest(group_id=theirs.id, user_id=other.user_id)
    fails(lambda: root_iam.keystone_add_user_to_group(join), 404, "IAM.0004")
