"""Password tokens through the official IAM SDK: issue, validate, revoke; discovery."""

from __future__ import annotations

import os

import httpx
import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.region.region import Region
from huaweicloudsdkiam.v3 import IamClient
from huaweicloudsdkiam.v3 import model as m

from tests import clients


def _password_body(
    creds, password: str, scope: m.AuthScope
) -> m.KeystoneCreateUserTokenByPasswordRequestBody:
    user = m.PwdPasswordUser(
        domain=m.PwdPasswordUserDomain(name=creds.account_name),
        name=creds.user_name,
        password=password,
    )
    identity = m.PwdIdentity(methods=["password"], password=m.PwdPassword(user=user))
    return m.KeystoneCreateUserTokenByPasswordRequestBody(
        auth=m.PwdAuth(identity=identity, scope=scope)
    )


def issue_token(server, creds, scope: m.AuthScope | None = None, nocatalog: bool = True) -> str:
    scope = scope or m.AuthScope(project=m.AuthScopeProject(name="cn-north-4"))
    client = clients.iam(server.url, creds)
    request = m.KeystoneCreateUserTokenByPasswordRequest(
        body=_password_body(creds, creds.password, scope), nocatalog="true" if nocatalog else None
    )
    return client.keystone_create_user_token_by_password(request).x_subject_token


def test_a_password_token_is_project_scoped_and_validates(server, account) -> None:
    client = clients.iam(server.url, account)
    token = issue_token(server, account)
    shown = client.keystone_validate_token(m.KeystoneValidateTokenRequest(x_subject_token=token))
    assert shown.token.project.id == account.project_id
    assert shown.token.user.domain.id == account.account_id
    assert shown.token.methods == ["password"]


def test_a_domain_scoped_token_names_the_account(server, account) -> None:
    token = issue_token(
        server, account, m.AuthScope(domain=m.AuthScopeDomain(id=account.account_id))
    )
    response = httpx.get(
        f"{server.url}/v3/auth/tokens?nocatalog=1",
        headers={"X-Auth-Token": token, "X-Subject-Token": token},
    )
    assert response.status_code == 200
    assert response.json()["token"]["domain"]["id"] == account.account_id
    assert "catalog" not in response.json()["token"]


def test_a_token_carries_a_catalog_unless_nocatalog(server, account) -> None:
    token = issue_token(server, account, nocatalog=False)
    response = httpx.get(
        f"{server.url}/v3/auth/tokens", headers={"X-Auth-Token": token, "X-Subject-Token": token}
    )
    urls = {e["url"] for s in response.json()["token"]["catalog"] for e in s["endpoints"]}
    assert urls == {server.url}


def test_a_wrong_password_gets_401(server, account) -> None:
    client = clients.iam(server.url, account)
    body = _password_body(
        account, "not-the-password", m.AuthScope(project=m.AuthScopeProject(name="cn-north-4"))
    )
    with pytest.raises(ClientRequestException) as raised:
        client.keystone_create_user_token_by_password(
            m.KeystoneCreateUserTokenByPasswordRequest(body=body)
        )
    assert raised.value.status_code == 401


def test_a_revoked_token_stops_working(server, account) -> None:
    token = issue_token(server, account)
    headers = {"X-Auth-Token": token, "X-Subject-Token": token}
    assert httpx.delete(f"{server.url}/v3/auth/tokens", headers=headers).status_code == 204
    response = httpx.get(f"{server.url}/v3/auth/domains", headers={"X-Auth-Token": token})
    assert response.status_code == 401
    assert response.json()["error_code"] == "APIGW.0301"


def test_a_token_of_another_account_is_not_shown(server, account) -> None:
    other = server.new_account()
    theirs = issue_token(server, other)
    client = clients.iam(server.url, account)
    with pytest.raises(ClientRequestException) as raised:
        client.keystone_validate_token(m.KeystoneValidateTokenRequest(x_subject_token=theirs))
    assert raised.value.status_code == 404


def test_the_sdk_discovers_its_domain_and_project(server, account, monkeypatch) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", server.url)
    region = Region("cn-north-4", server.url)
    global_creds = clients.global_credentials(account)
    global_creds.domain_id = None
    client = (
        IamClient.new_builder()
        .with_credentials(global_creds)
        .with_region(region)
        .with_http_config(clients.http_config())
        .build()
    )
    domains = client.keystone_list_auth_domains(m.KeystoneListAuthDomainsRequest())
    assert [d.id for d in domains.domains] == [account.account_id]
    assert global_creds.domain_id == account.account_id
    basic = clients.basic_credentials(account)
    basic.project_id = None
    client = (
        IamClient.new_builder()
        .with_credentials(basic)
        .with_region(region)
        .with_http_config(clients.http_config())
        .build()
    )
    projects = client.keystone_list_auth_projects(m.KeystoneListAuthProjectsRequest())
    assert [p.name for p in projects.projects] == ["cn-north-4"]
    assert basic.project_id == account.project_id
    assert os.environ["HUAWEICLOUD_SDK_IAM_ENDPOINT"] == server.url
