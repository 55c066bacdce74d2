"""`keystone_create_user_token_by_password_and_mfa` checks the TOTP: idplane has no virtual MFA
devices yet, so no passcode can be right and the call is 401 (it used to issue a password token
whatever the passcode, `000000` included)."""

from __future__ import annotations

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as m

from tests import clients


def _mfa_body(creds, password: str, passcode: str):
    user = m.PwdPasswordUser(
        domain=m.PwdPasswordUserDomain(name=creds.account_name),
        name=creds.user_name,
        password=password,
    )
    identity = m.MfaIdentity(
        methods=["password", "totp"],
        password=m.PwdPassword(user=user),
        totp=m.MfaTotp(user=m.MfaTotpUser(id=creds.user_id, passcode=passcode)),
    )
    scope = m.AuthScope(project=m.AuthScopeProject(name="cn-north-4"))
    return m.KeystoneCreateUserTokenByPasswordAndMfaRequestBody(
        auth=m.MfaAuth(identity=identity, scope=scope)
    )


@pytest.mark.parametrize("password_right", [True, False], ids=["right-password", "wrong-password"])
def test_a_passcode_for_a_user_without_an_mfa_device_is_401(server, account, password_right):
    client = clients.iam(server.url, account)
    password = account.password if password_right else "not-the-password"
    request = m.KeystoneCreateUserTokenByPasswordAndMfaRequest(
        body=_mfa_body(account, password, "000000")
    )
    with pytest.raises(ClientRequestException) as raised:
        client.keystone_create_user_token_by_password_and_mfa(request)
    assert raised.value.status_code == 401
