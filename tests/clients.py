"""Official SDK clients pointed at a test server, with each kind of credential."""

from __future__ import annotations

from typing import Any

from huaweicloudsdkcore.auth.credentials import BasicCredentials, GlobalCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig

from idplane.iam.service import AccountCredentials


def http_config() -> HttpConfig:
    config = HttpConfig.get_default_config()
    config.retry_times = 0
    config.timeout = (5, 30)
    return config


def global_credentials(
    creds: AccountCredentials,
    security_token: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
):
    credentials = GlobalCredentials(
        access_key or creds.access_key, secret_key or creds.secret_key, creds.account_id
    )
    security_token = security_token or getattr(creds, "security_token", None)
    return credentials.with_security_token(security_token) if security_token else credentials


def basic_credentials(
    creds: AccountCredentials,
    security_token: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
):
    credentials = BasicCredentials(
        access_key or creds.access_key, secret_key or creds.secret_key, creds.project_id
    )
    security_token = security_token or getattr(creds, "security_token", None)
    return credentials.with_security_token(security_token) if security_token else credentials


def build(client_class: Any, endpoint: str, credentials: Any) -> Any:
    return (
        client_class.new_builder()
        .with_credentials(credentials)
        .with_endpoints([endpoint])
        .with_http_config(http_config())
        .build()
    )


def iam(endpoint: str, creds: AccountCredentials, **kwargs: Any):
    from huaweicloudsdkiam.v3 import IamClient

    return build(IamClient, endpoint, global_credentials(creds, **kwargs))


def organizations(endpoint: str, creds: AccountCredentials, **kwargs: Any):
    from huaweicloudsdkorganizations.v1 import OrganizationsClient

    return build(OrganizationsClient, endpoint, global_credentials(creds, **kwargs))


def identitycenter(endpoint: str, creds: AccountCredentials, **kwargs: Any):
    from huaweicloudsdkidentitycenter.v1 import IdentityCenterClient

    return build(IdentityCenterClient, endpoint, global_credentials(creds, **kwargs))


def iam_basic(endpoint: str, creds: AccountCredentials, **kwargs: Any):
    """The IAM client signing project-scoped (BasicCredentials, X-Project-Id)."""
    from huaweicloudsdkiam.v3 import IamClient

    return build(IamClient, endpoint, basic_credentials(creds, **kwargs))


def token_credentials(token: str) -> GlobalCredentials:
    """Credentials that send an X-Auth-Token instead of signing. The SDK has no token
    credential of its own (and accepts only its credential classes by name), so these are
    GlobalCredentials whose signing step sets the header."""
    from huaweicloudsdkcore.signer.signer import Signer

    credentials = GlobalCredentials("token", "token", "token")

    def sign_request(request: Any) -> Any:
        request.header_params["X-Auth-Token"] = token
        Signer.process_request_uri(request)
        return request

    credentials.sign_request = sign_request  # type: ignore[method-assign]
    return credentials


def iam_with_token(endpoint: str, token: str):
    from huaweicloudsdkiam.v3 import IamClient

    return build(IamClient, endpoint, token_credentials(token))


def keystone(endpoint: str, token: str):
    """python-keystoneclient on a keystoneauth1 session with a fixed token."""
    from keystoneauth1 import session, token_endpoint
    from keystoneclient.v3 import client

    auth = token_endpoint.Token(f"{endpoint}/v3", token)
    return client.Client(session=session.Session(auth=auth))


def openstack(endpoint: str, token: str):
    """openstacksdk with an admin token against our identity endpoint."""
    import openstack as sdk

    return sdk.connection.Connection(
        auth_type="admin_token",
        auth={"endpoint": f"{endpoint}/v3", "token": token},
        identity_api_version="3",
        region_name="cn-north-4",
    )


def identitystore(endpoint: str, creds: AccountCredentials, **kwargs: Any):
    """The Identity Store client signs with BasicCredentials (project-scoped, X-Project-Id)."""
    from huaweicloudsdkidentitycenterstore.v1 import IdentityCenterStoreClient

    return build(IdentityCenterStoreClient, endpoint, basic_credentials(creds, **kwargs))


def lakeformation(endpoint: str, creds: AccountCredentials, **kwargs: Any):
    """The LakeFormation client signing project-scoped (BasicCredentials, X-Project-Id)."""
    from huaweicloudsdklakeformation.v1 import LakeFormationClient

    return build(LakeFormationClient, endpoint, basic_credentials(creds, **kwargs))


def scim(endpoint: str):
    """The Identity Center SCIM client. It signs nothing: each request carries its own
    `authorization="Bearer <token>"` (the SDK then leaves the request unsigned)."""
    from huaweicloudsdkidentitycenterscim.v1 import IdentityCenterSCIMClient
    from huaweicloudsdkidentitycenterscim.v1.identitycenterscim_credentials import (
        IdentityCenterSCIMCredentials,
    )

    return build(IdentityCenterSCIMClient, endpoint, IdentityCenterSCIMCredentials())


def sts(endpoint: str, creds: AccountCredentials, **kwargs: Any):
    """The STS client (BasicCredentials, as the SDK requires; X-Security-Token when set)."""
    from huaweicloudsdksts.v1 import StsClient

    return build(StsClient, endpoint, basic_credentials(creds, **kwargs))
