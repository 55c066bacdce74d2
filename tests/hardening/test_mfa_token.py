"""`keystone_create_user_token_by_password_and_mfa` checks the TOTP: it used to issue a
password token whatever the passcode, `000000` included. A user without a bound virtual MFA
device has no right passcode, so the call is 401 (the full behaviour:
tests/iam/test_mfa_login.py)."""

from __future__ import annotations

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from idplane.iam.service import AccountCredentials
from tests.iam.mfa import mfa_login


@pytest.mark.parametrize("password_right", [True, False], ids=["right-password", "wrong-password"])
def test_a_passcode_for_a_user_without_an_mfa_device_is_401(server, account, password_right):
    creds = account
    if not password_right:
        creds = AccountCredentials(**{**account.as_dict(), "password": "not-the-password"})
    with pytest.raises(ClientRequestException) as raised:
        mfa_login(server, creds, "000000")
    assert raised.value.status_code == 401
