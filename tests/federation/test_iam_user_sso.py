"""An iam_user_sso identity provider signs existing IAM users in: the ID token's subject is
matched to the IAM user's external identity id (xuser_id); no such user is 401."""

from __future__ import annotations

import json

import httpx
from huaweicloudsdkiam.v3 import model as m

from tests.federation.oidc_provider import CLIENT_ID
from tests.federation.test_oidc_signin import id_token_sign_in, refused


def test_an_iam_user_signs_in_through_an_iam_user_sso_provider(
    server, huawei, provider, account
) -> None:
    user = huawei.create_user(
        m.CreateUserRequest(
            body=m.CreateUserRequestBody(
                user=m.CreateUserOption(
                    name="carol",
                    domain_id=account.account_id,
                    xuser_type="corp",
                    xuser_id="carol-at-corp",
                )
            )
        )
    ).user
    option = m.IdentityproviderOption(sso_type="iam_user_sso", enabled=True)
    huawei.keystone_create_identity_provider(
        m.KeystoneCreateIdentityProviderRequest(
            id="staff", body=m.KeystoneCreateIdentityProviderRequestBody(identity_provider=option)
        )
    )
    huawei.keystone_create_protocol(
        m.KeystoneCreateProtocolRequest(
            idp_id="staff",
            protocol_id="oidc",
            body=m.KeystoneCreateProtocolRequestBody(protocol=m.ProtocolOption()),
        )
    )
    config = m.OpenIdConnectConfig(
        access_mode="program",
        idp_url=provider.issuer,
        client_id=CLIENT_ID,
        signing_key=json.dumps(httpx.get(f"{provider.issuer}/jwks", timeout=10).json()),
    )
    huawei.create_open_id_connect_config(
        m.CreateOpenIdConnectConfigRequest(
            idp_id="staff",
            body=m.CreateOpenIdConnectConfigRequestBody(openid_connect_config=config),
        )
    )
    provider.users["carol"] = {"sub": "carol-at-corp"}
    provider.users["dave"] = {"sub": "nobody-here"}
    answer = id_token_sign_in(huawei, "staff", provider.id_token_for("carol"))
    assert (answer.token.user.id, answer.token.user.name) == (user.id, "carol")
    assert answer.token.user.os_federation.identity_provider.id == "staff"
    assert refused(server, "staff", provider.id_token_for("dave")).status_code == 401
