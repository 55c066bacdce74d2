"""IAM users through both API families (Keystone `/v3/users` and Huawei `OS-USER`)."""

from __future__ import annotations

import uuid

import httpx
from huaweicloudsdkiam.v3 import model as m
from sqlalchemy import select

from idplane.iam.tables import User
from tests import clients, personas
from tests.iam.conftest import fails
from tests.iam.test_tokens import _password_body, issue_token


def _name() -> str:
    return f"u-{uuid.uuid4().hex[:10]}"


def _create(client, account, **fields):
    option = m.CreateUserOption(domain_id=account.account_id, **{"name": _name(), **fields})
    return client.create_user(m.CreateUserRequest(body=m.CreateUserRequestBody(user=option))).user


def _keystone_create(client, **fields):
    option = m.KeystoneCreateUserOption(**{"name": _name(), **fields})
    return client.keystone_create_user(
        m.KeystoneCreateUserRequest(body=m.KeystoneCreateUserRequestBody(user=option))
    ).user


def test_a_user_created_through_os_user_shows_through_both_families(root_iam, account) -> None:
    made = _create(
        root_iam,
        account,
        email="a@example.com",
        areacode="0086",
        phone="13800000000",
        description="first",
        access_mode="programmatic",
    )
    assert made.domain_id == account.account_id and made.enabled is True
    shown = root_iam.show_user(m.ShowUserRequest(user_id=made.id)).user
    assert (shown.name, shown.email, shown.phone, shown.access_mode) == (
        made.name,
        "a@example.com",
        "13800000000",
        "programmatic",
    )
    assert shown.is_domain_owner is False
    keystone = root_iam.keystone_show_user(m.KeystoneShowUserRequest(user_id=made.id)).user
    assert (keystone.name, keystone.description) == (made.name, "first")


def test_a_keystone_user_can_sign_in_with_its_password(server, root_iam, account) -> None:
    made = _keystone_create(root_iam, password="Secret#Word1", description="k")
    creds = personas.PersonaCredentials(**{**account.as_dict(), "user_name": made.name})
    body = _password_body(
        creds, "Secret#Word1", m.AuthScope(domain=m.AuthScopeDomain(id=account.account_id))
    )
    token = root_iam.keystone_create_user_token_by_password(
        m.KeystoneCreateUserTokenByPasswordRequest(body=body)
    )
    assert token.token.user.id == made.id


def test_passwords_are_stored_as_argon2_hashes(server, root_iam, account) -> None:
    made = _create(root_iam, account, password="Secret#Word1")
    with server.core.store.read() as session:
        stored = session.scalar(select(User.password_hash).where(User.id == made.id))
    assert stored.startswith("$argon2") and "Secret#Word1" not in stored


def test_user_names_are_unique_in_an_account(root_iam, account, server) -> None:
    name = _name()
    _create(root_iam, account, name=name)
    fails(lambda: _create(root_iam, account, name=name), 400, "IAM.1109")
    fails(lambda: _keystone_create(root_iam, name=name), 400, "IAM.1109")
    other = server.new_account()
    _create(clients.iam(server.url, other), other, name=name)  # another account may


def test_emails_and_mobile_numbers_are_unique_in_an_account(root_iam, account) -> None:
    _create(root_iam, account, email="same@example.com", areacode="0086", phone="1380001")
    fails(lambda: _create(root_iam, account, email="same@example.com"), 400, "IAM.1110")
    fails(lambda: _create(root_iam, account, areacode="0086", phone="1380001"), 400, "IAM.1111")


def test_bad_user_fields_are_refused_with_the_real_codes(root_iam, account) -> None:
    fails(lambda: _create(root_iam, account, name="1starts-with-digit"), 400, "IAM.1101")
    fails(lambda: _create(root_iam, account, name="x" * 65), 400, "IAM.1101")
    fails(lambda: _create(root_iam, account, password="alllowercase"), 400, "IAM.1118")
    fails(lambda: _create(root_iam, account, password="Ab1"), 400, "IAM.1103")
    fails(lambda: _create(root_iam, account, email="not-an-email"), 400, "IAM.1102")
    fails(lambda: _create(root_iam, account, phone="1380001"), 400, "IAM.1106")
    fails(lambda: _create(root_iam, account, access_mode="sometimes"), 400, "IAM.0007")


def test_a_user_cannot_be_created_in_another_account(root_iam, server) -> None:
    other = server.new_account()
    option = m.CreateUserOption(name=_name(), domain_id=other.account_id)
    fails(
        lambda: root_iam.create_user(m.CreateUserRequest(body=m.CreateUserRequestBody(option))),
        403,
        "IAM.0003",
    )


def test_users_are_listed_and_filtered_by_name(root_iam, account) -> None:
    made = _create(root_iam, account)
    listed = root_iam.keystone_list_users(m.KeystoneListUsersRequest()).users
    assert {account.user_id, made.id} <= {u.id for u in listed}
    named = root_iam.keystone_list_users(m.KeystoneListUsersRequest(name=made.name)).users
    assert [u.id for u in named] == [made.id]


def test_updates_change_only_the_given_fields(root_iam, account) -> None:
    made = _create(root_iam, account, email="before@example.com", description="keep")
    root_iam.update_user(
        m.UpdateUserRequest(
            user_id=made.id,
            body=m.UpdateUserRequestBody(user=m.UpdateUserOption(email="after@example.com")),
        )
    )
    root_iam.keystone_update_user_by_admin(
        m.KeystoneUpdateUserByAdminRequest(
            user_id=made.id,
            body=m.KeystoneUpdateUserByAdminRequestBody(
                user=m.KeystoneUpdateUserOption(enabled=False)
            ),
        )
    )
    shown = root_iam.show_user(m.ShowUserRequest(user_id=made.id)).user
    assert (shown.email, shown.description, shown.enabled) == ("after@example.com", "keep", False)


def test_a_user_changes_its_own_contact_details_without_permissions(server, account) -> None:
    user = personas.iam_user(server, account)
    own = clients.iam(server.url, user)
    own.update_user_information(
        m.UpdateUserInformationRequest(
            user_id=user.user_id,
            body=m.UpdateUserInformationRequestBody(
                user=m.UpdateUserInformationOption(email="me@example.com", mobile="0086-1390000")
            ),
        )
    )
    shown = own.show_user(m.ShowUserRequest(user_id=user.user_id)).user
    assert (shown.email, shown.areacode, shown.phone) == ("me@example.com", "0086", "1390000")


def test_a_user_without_permissions_cannot_show_another_user(server, account) -> None:
    user = personas.iam_user(server, account)
    own = clients.iam(server.url, user)
    own.show_user(m.ShowUserRequest(user_id=user.user_id))  # itself: always
    fails(lambda: own.show_user(m.ShowUserRequest(user_id=account.user_id)), 403, "IAM.0003")


def _change_password(client, user_id, original, new):
    client.keystone_update_user_password(
        m.KeystoneUpdateUserPasswordRequest(
            user_id=user_id,
            body=m.KeystoneUpdateUserPasswordRequestBody(
                user=m.KeystoneUpdatePasswordOption(password=new, original_password=original)
            ),
        )
    )


def test_changing_ones_password_revokes_its_tokens(server, account) -> None:
    user = personas.iam_user(server, account)
    token = issue_token(server, user)
    own = clients.iam(server.url, user)
    fails(lambda: _change_password(own, user.user_id, "Wrong#Pass1", "New#Pass1"), 400, "IAM.1103")
    fails(
        lambda: _change_password(own, user.user_id, user.password, user.password), 400, "IAM.1108"
    )
    _change_password(own, user.user_id, user.password, "New#Pass12")
    answer = httpx.get(f"{server.url}/v3/auth/domains", headers={"X-Auth-Token": token})
    assert answer.status_code == 401
    user.password = "New#Pass12"
    assert issue_token(server, user)


def test_only_the_user_itself_changes_its_password(server, root_iam, account) -> None:
    user = personas.iam_user(server, account)
    fails(lambda: _change_password(root_iam, user.user_id, user.password, "New#Pass12"), 403)


def test_the_account_administrator_cannot_be_deleted(root_iam, account) -> None:
    request = m.KeystoneDeleteUserRequest(user_id=account.user_id)
    fails(lambda: root_iam.keystone_delete_user(request), 400, "IAM.1107")


def test_an_iam_administrator_cannot_change_the_root_user(server, account) -> None:
    admin = clients.iam(server.url, personas.iam_user_with_roles(server, account, ["secu_admin"]))
    request = m.KeystoneUpdateUserByAdminRequest(
        user_id=account.user_id,
        body=m.KeystoneUpdateUserByAdminRequestBody(user=m.KeystoneUpdateUserOption(enabled=False)),
    )
    fails(lambda: admin.keystone_update_user_by_admin(request), 403)


def test_users_of_another_account_are_not_found(server, root_iam) -> None:
    other = server.new_account()
    theirs = _create(clients.iam(server.url, other), other)
    fails(lambda: root_iam.show_user(m.ShowUserRequest(user_id=theirs.id)), 404, "IAM.0004")
    request = m.KeystoneDeleteUserRequest(user_id=theirs.id)
    fails(lambda: root_iam.keystone_delete_user(request), 404, "IAM.0004")


def test_a_users_groups_and_projects_are_listed(server, root_iam, account) -> None:
    user = personas.iam_user_with_roles(server, account, ["Tenant Guest"])
    groups = root_iam.keystone_list_groups_for_user(
        m.KeystoneListGroupsForUserRequest(user_id=user.user_id)
    ).groups
    assert len(groups) == 1
    projects = root_iam.keystone_list_projects_for_user(
        m.KeystoneListProjectsForUserRequest(user_id=user.user_id)
    ).projects
    assert [p.id for p in projects] == [account.project_id]  # Tenant Guest covers projects
    bare = personas.iam_user(server, account)
    none = clients.iam(server.url, bare).keystone_list_projects_for_user(
        m.KeystoneListProjectsForUserRequest(user_id=bare.user_id)
    )
    assert none.projects == []
