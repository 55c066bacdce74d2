"""Temporary AK/SK from OS-CREDENTIAL/securitytokens: they sign only with their security token
and stop working at expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as m
from sqlalchemy import update

from idplane.iam.tables import TemporaryAccessKey
from idplane.platform.clock import now
from tests import clients
from tests.iam.test_tokens import issue_token


def create_temporary(server, creds, duration: int = 900, token: str | None = None):
    identity = m.TokenAuthIdentity(
        methods=["token"], token=m.IdentityToken(id=token, duration_seconds=duration)
    )
    body = m.CreateTemporaryAccessKeyByTokenRequestBody(auth=m.TokenAuth(identity=identity))
    client = clients.iam(server.url, creds)
    response = client.create_temporary_access_key_by_token(
        m.CreateTemporaryAccessKeyByTokenRequest(body=body)
    )
    return response.credential


def _domains(server, creds, **kwargs):
    return clients.iam(server.url, creds, **kwargs).keystone_list_auth_domains(
        m.KeystoneListAuthDomainsRequest()
    )


def test_temporary_credentials_sign_with_their_security_token(server, account) -> None:
    temporary = create_temporary(server, account)
    domains = _domains(
        server,
        account,
        access_key=temporary.access,
        secret_key=temporary.secret,
        security_token=temporary.securitytoken,
    )
    assert [d.id for d in domains.domains] == [account.account_id]


def test_temporary_credentials_can_be_made_from_a_token(server, account) -> None:
    token = issue_token(server, account)
    temporary = create_temporary(server, account, duration=3600, token=token)
    domains = _domains(
        server,
        account,
        access_key=temporary.access,
        secret_key=temporary.secret,
        security_token=temporary.securitytoken,
    )
    assert domains.domains[0].name == account.account_name


def test_temporary_credentials_without_the_security_token_are_refused(server, account) -> None:
    temporary = create_temporary(server, account)
    with pytest.raises(ClientRequestException) as raised:
        _domains(server, account, access_key=temporary.access, secret_key=temporary.secret)
    assert raised.value.status_code == 401
    assert raised.value.error_code == "APIGW.0301"


def test_temporary_credentials_stop_working_at_expiry(server, account) -> None:
    temporary = create_temporary(server, account)
    with server.core.store.transaction() as session:
        session.execute(
            update(TemporaryAccessKey)
            .where(TemporaryAccessKey.access == temporary.access)
            .values(expires_at=now() - timedelta(seconds=1))
        )
    with pytest.raises(ClientRequestException) as raised:
        _domains(
            server,
            account,
            access_key=temporary.access,
            secret_key=temporary.secret,
            security_token=temporary.securitytoken,
        )
    assert raised.value.status_code == 401
    assert "expired" in raised.value.error_msg


@pytest.mark.parametrize("duration", [899, 86401])
def test_a_duration_outside_900_to_86400_seconds_is_refused(server, account, duration) -> None:
    with pytest.raises(ClientRequestException) as raised:
        create_temporary(server, account, duration=duration)
    assert raised.value.status_code == 400
