"""Disabling and deleting users: their credentials stop at once; deletes leave nothing."""

from __future__ import annotations

from huaweicloudsdkiam.v3 import model as m
from sqlalchemy import func, select

from idplane.iam.groups.tables import GroupMember
from idplane.iam.tables import AccessKey, TemporaryAccessKey, Token
from tests import clients, personas
from tests.iam.conftest import fails
from tests.iam.test_tokens import issue_token


def _own_groups(server, creds):
    return clients.iam(server.url, creds).keystone_list_groups_for_user(
        m.KeystoneListGroupsForUserRequest(user_id=creds.user_id)
    )


def _enable(root_iam, user_id: str, enabled: bool) -> None:
    root_iam.keystone_update_user_by_admin(
        m.KeystoneUpdateUserByAdminRequest(
            user_id=user_id,
            body=m.KeystoneUpdateUserByAdminRequestBody(
                user=m.KeystoneUpdateUserOption(enabled=enabled)
            ),
        )
    )


def test_disabling_a_user_stops_its_keys_at_once_and_enabling_restores_them(
    server, root_iam, account
) -> None:
    user = personas.iam_user(server, account)
    temporary = personas.temporary(server, user)
    _own_groups(server, user)
    _enable(root_iam, user.user_id, False)
    fails(lambda: _own_groups(server, user), 401, "APIGW.0301")
    fails(lambda: _own_groups(server, temporary), 401, "APIGW.0301")
    _enable(root_iam, user.user_id, True)
    _own_groups(server, user)


def test_disabling_a_user_revokes_its_tokens(server, root_iam, account) -> None:
    user = personas.iam_user(server, account)
    issue_token(server, user)
    _enable(root_iam, user.user_id, False)
    with server.core.store.read() as session:
        live = session.scalar(
            select(func.count())
            .select_from(Token)
            .where(Token.user_id == user.user_id, Token.revoked.is_(False))
        )
    assert live == 0


def test_deleting_a_user_removes_its_keys_tokens_temporary_keys_and_memberships(
    server, root_iam, account
) -> None:
    user = personas.iam_user_with_roles(server, account, ["Tenant Guest"])
    issue_token(server, user)
    personas.temporary(server, user)
    personas.delete(server, account, user)
    with server.core.store.read() as session:
        for table in (AccessKey, Token, TemporaryAccessKey, GroupMember):
            count = session.scalar(
                select(func.count()).select_from(table).where(table.user_id == user.user_id)
            )
            assert count == 0, table.__tablename__
    fails(lambda: _own_groups(server, user), 401, "APIGW.0301")
    request = m.KeystoneShowUserRequest(user_id=user.user_id)
    fails(lambda: root_iam.keystone_show_user(request), 404, "IAM.0004")
