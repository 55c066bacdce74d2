"""Password+MFA tokens (`keystone_create_user_token_by_password_and_mfa`) and login
protection through the official IAM SDK: the passcode must be a current, unused code of the
user's bound device; a user whose login protection asks for it gets no password-only token;
a token got with MFA satisfies `g:MFAPresent` conditions."""

from __future__ import annotations

import uuid

import pytest
from huaweicloudsdkiam.v3 import model as m

from tests import clients, personas
from tests.iam.conftest import fails
from tests.iam.mfa import bound_device, code, mfa_login, password_login
from tests.iam.test_concurrency import _outcomes


@pytest.fixture
def user(server, account):
    return personas.iam_user(server, account)


def _protect(server, account, user_id: str, enabled: bool, method: str = "vmfa"):
    return clients.iam(server.url, account).update_login_protect(
        m.UpdateLoginProtectRequest(
            user_id=user_id,
            body=m.UpdateLoginProjectReq(
                login_protect=m.UpdateLoginProject(enabled=enabled, verification_method=method)
            ),
        )
    )


def test_the_right_code_gives_a_token_that_names_both_methods(server, user):
    _serial, seed = bound_device(clients.iam(server.url, user), user.user_id)
    answer = mfa_login(server, user, code(seed))
    assert answer.token.methods == ["password", "totp"]
    shown = clients.iam(server.url, user).keystone_validate_token(
        m.KeystoneValidateTokenRequest(x_subject_token=answer.x_subject_token)
    )
    assert shown.token.methods == ["password", "totp"]


@pytest.mark.parametrize("passcode", ["000000", None, "", "12345a"], ids=str)
def test_a_wrong_or_missing_code_is_401(server, user, passcode):
    _serial, seed = bound_device(clients.iam(server.url, user), user.user_id)
    if passcode == code(seed):
        pytest.skip("the wrong code happens to be the right one")
    fails(lambda: mfa_login(server, user, passcode), 401, "IAM.0101")


def test_a_code_is_good_once(server, user):
    _serial, seed = bound_device(clients.iam(server.url, user), user.user_id)
    passcode = code(seed)
    mfa_login(server, user, passcode)
    fails(lambda: mfa_login(server, user, passcode), 401, "IAM.0101")
    mfa_login(server, user, code(seed, 1))  # the next step's code is still good


def test_parallel_logins_with_one_code_give_one_token(server, user):
    _serial, seed = bound_device(clients.iam(server.url, user), user.user_id)
    passcode = code(seed)
    calls = [lambda: mfa_login(server, user, passcode) for _ in range(4)]
    assert sorted(_outcomes(calls)) == [201, 401, 401, 401]


def test_the_codes_used_to_bind_cannot_log_in(server, user):
    _serial, seed = bound_device(clients.iam(server.url, user), user.user_id)
    fails(lambda: mfa_login(server, user, code(seed, -1)), 401, "IAM.0101")


def test_another_users_code_or_id_is_401(server, account, user):
    _serial, seed = bound_device(clients.iam(server.url, user), user.user_id)
    other = personas.iam_user(server, account)
    _other_serial, other_seed = bound_device(clients.iam(server.url, other), other.user_id)
    fails(lambda: mfa_login(server, user, code(other_seed)), 401)
    fails(lambda: mfa_login(server, user, code(seed), user_id=other.user_id), 401)


def test_a_wrong_password_with_the_right_code_is_401(server, user):
    _serial, seed = bound_device(clients.iam(server.url, user), user.user_id)
    wrong = personas.PersonaCredentials(**{**user.as_dict(), "password": "not-the-password"})
    fails(lambda: mfa_login(server, wrong, code(seed)), 401)


def test_login_protection_with_vmfa_refuses_password_only_tokens(server, account, user):
    _serial, seed = bound_device(clients.iam(server.url, user), user.user_id)
    password_login(server, user)
    shown = _protect(server, account, user.user_id, True).login_protect
    assert (shown.enabled, shown.verification_method) == (True, "vmfa")
    fails(lambda: password_login(server, user), 401)
    assert mfa_login(server, user, code(seed)).token.methods == ["password", "totp"]
    _protect(server, account, user.user_id, False)
    password_login(server, user)


def test_login_protection_by_sms_or_email_is_stored_and_leaves_password_tokens(
    server, account, user
):
    _protect(server, account, user.user_id, True, "email")
    password_login(server, user)
    shown = clients.iam(server.url, user).show_user_login_protect(
        m.ShowUserLoginProtectRequest(user_id=user.user_id)
    )
    assert (shown.login_protect.enabled, shown.login_protect.verification_method) == (
        True,
        "email",
    )
    listed = clients.iam(server.url, account).list_user_login_protects(
        m.ListUserLoginProtectsRequest()
    )
    assert any(p.user_id == user.user_id for p in listed.login_protects)


def test_a_user_cannot_change_its_own_login_protection(server, user):
    fails(lambda: _protect(server, user, user.user_id, False), 403)


def test_vmfa_protection_for_a_user_without_a_bound_device_is_400(server, account, user):
    fails(lambda: _protect(server, account, user.user_id, True), 400)
    password_login(server, user)  # still able to log in


def test_an_unknown_verification_method_is_400(server, account, user):
    fails(lambda: _protect(server, account, user.user_id, True, "carrier-pigeon"), 400)


def test_a_token_got_with_mfa_satisfies_an_mfa_present_condition(server, account):
    statement = {
        "Action": ["iam:users:listUsers"],
        "Effect": "Allow",
        "Condition": {"Bool": {"g:MFAPresent": ["true"]}},
    }
    user = _user_with_conditional_policy(server, account, statement)
    _serial, seed = bound_device(clients.iam(server.url, user), user.user_id)
    list_users = m.KeystoneListUsersRequest()
    plain = password_login(server, user).x_subject_token
    fails(lambda: clients.iam_with_token(server.url, plain).keystone_list_users(list_users), 403)
    strong = mfa_login(server, user, code(seed)).x_subject_token
    clients.iam_with_token(server.url, strong).keystone_list_users(list_users)


def _user_with_conditional_policy(server, account, statement: dict):
    policy = m.ServicePolicy(
        version="1.1",
        statement=[
            m.ServiceStatement(
                action=statement["Action"],
                effect=statement["Effect"],
                condition=statement["Condition"],
            )
        ],
    )
    option = m.ServicePolicyRoleOption(
        display_name=f"policy-{uuid.uuid4().hex[:10]}", type="AX", description="mfa", policy=policy
    )
    role = (
        clients.iam(server.url, account)
        .create_cloud_service_custom_policy(
            m.CreateCloudServiceCustomPolicyRequest(
                body=m.CreateCloudServiceCustomPolicyRequestBody(role=option)
            )
        )
        .role
    )
    group_id = personas.group_with_roles(server, account, [])
    personas.grant(server, account, group_id, role)
    user = personas.iam_user(server, account)
    personas.add_to_group(server, account, group_id, user.user_id)
    return user
