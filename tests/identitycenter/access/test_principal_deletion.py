"""Deleting a user or group through the official Identity Store SDK leaves no account
assignment pointing at it (the directory's deletion hook, in the same transaction), records a
deletion status for each, and deprovisions what no assignment uses any more."""

from __future__ import annotations

from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkidentitycenterstore.v1 import model as st
from sqlalchemy import func, select

from idplane.identitycenter.assignments.tables import AccountAssignment
from tests.identitycenter.access.support import (
    all_for_principal,
    assign,
    create_permission_set,
    deletion_statuses,
    failure,
)


def _rows(server, principal_id: str) -> int:
    with server.core.store.read() as session:
        stmt = select(func.count()).select_from(AccountAssignment)
        return session.scalar(stmt.where(AccountAssignment.principal_id == principal_id))


def _assign_everywhere(org, principal_type: str, principal_id: str) -> str:
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    for account in org.accounts:
        assign(client, org.instance_id, ps, principal_type, principal_id, account.account_id)
    return ps


def _provisioned_accounts(org, ps) -> list[str]:
    return (
        org.ic()
        .list_accounts_for_provisioned_permission_set(
            ic.ListAccountsForProvisionedPermissionSetRequest(
                instance_id=org.instance_id, permission_set_id=ps
            )
        )
        .account_ids
    )


def test_deleting_a_user_deletes_its_assignments(server, org) -> None:
    user, other = org.user(), org.user()
    ps = _assign_everywhere(org, "USER", user)
    _assign_everywhere(org, "USER", other)
    before = {s.request_id for s in deletion_statuses(org.ic(), org.instance_id)}
    org.directory.client().delete_user(
        st.DeleteUserRequest(identity_store_id=org.identity_store_id, user_id=user)
    )
    assert _rows(server, user) == 0
    assert all_for_principal(org.ic(), org.instance_id, "USER", user) == []
    assert len(all_for_principal(org.ic(), org.instance_id, "USER", other)) == 2
    new = [s for s in deletion_statuses(org.ic(), org.instance_id) if s.request_id not in before]
    assert len(new) == 2 and {s.status for s in new} == {"SUCCEEDED"}
    assert _provisioned_accounts(org, ps) == []


def test_deleting_a_group_deletes_its_assignments(server, org) -> None:
    group = org.group()
    _assign_everywhere(org, "GROUP", group)
    org.directory.client().delete_group(
        st.DeleteGroupRequest(identity_store_id=org.identity_store_id, group_id=group)
    )
    assert _rows(server, group) == 0
    assert all_for_principal(org.ic(), org.instance_id, "GROUP", group) == []


def test_a_deleted_principal_cannot_be_assigned(server, org) -> None:
    user = org.user()
    org.directory.client().delete_user(
        st.DeleteUserRequest(identity_store_id=org.identity_store_id, user_id=user)
    )
    client = org.ic()
    ps = create_permission_set(client, org.instance_id).permission_set_id
    call = lambda: assign(client, org.instance_id, ps, "USER", user, org.accounts[0].account_id)  # noqa: E731
    assert failure(call) == (404, "IIC.404")
