"""Huawei's OpenID Connect configuration of an identity provider, through huaweicloudsdkiam."""

from __future__ import annotations

import json

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as m

from tests.federation.conftest import http
from tests.federation.test_huawei_sdk import create_idp

JWKS = json.dumps(
    {
        "keys": [
            {"kty": "RSA", "e": "AQAB", "use": "sig", "n": "example", "kid": "k1", "alg": "RS256"}
        ]
    }
)
CONSOLE = {
    "access_mode": "program_console",
    "idp_url": "https://accounts.example.com",
    "client_id": "client_id_example",
    "authorization_endpoint": "https://accounts.example.com/o/oauth2/v2/auth",
    "scope": "openid email",
    "response_type": "id_token",
    "response_mode": "form_post",
    "signing_key": JWKS,
}
PROGRAM = {
    "access_mode": "program",
    "idp_url": "https://accounts.example.com",
    "client_id": "client_id_example",
    "signing_key": JWKS,
}


def create_config(client, idp_id: str, **fields):
    body = m.CreateOpenIdConnectConfigRequestBody(
        openid_connect_config=m.CreateOpenIdConnectConfig(**fields)
    )
    return client.create_open_id_connect_config(
        m.CreateOpenIdConnectConfigRequest(idp_id=idp_id, body=body)
    )


def update_config(client, idp_id: str, **fields):
    body = m.UpdateOpenIdConnectConfigRequestBody(
        openid_connect_config=m.UpdateOpenIdConnectConfig(**fields)
    )
    return client.update_open_id_connect_config(
        m.UpdateOpenIdConnectConfigRequest(idp_id=idp_id, body=body)
    )


def show_config(client, idp_id: str):
    request = m.ShowOpenIdConnectConfigRequest(idp_id=idp_id)
    return client.show_open_id_connect_config(request).openid_connect_config


@pytest.fixture
def idp(huawei):
    return create_idp(huawei, "OIDC", enabled=True)


def test_a_console_configuration_is_created_shown_and_updated(huawei, idp) -> None:
    created = create_config(huawei, "OIDC", **CONSOLE)
    assert created.status_code == 201
    assert created.openid_connect_config.scope == "openid email"
    shown = show_config(huawei, "OIDC")
    assert shown.to_dict() == CONSOLE
    updated = update_config(huawei, "OIDC", scope="openid profile", response_mode="fragment")
    assert updated.openid_connect_config.scope == "openid profile"
    assert show_config(huawei, "OIDC").response_mode == "fragment"
    assert show_config(huawei, "OIDC").client_id == "client_id_example"


def test_a_program_configuration_needs_no_console_fields(huawei, idp) -> None:
    create_config(huawei, "OIDC", **PROGRAM)
    shown = show_config(huawei, "OIDC")
    assert (shown.access_mode, shown.authorization_endpoint, shown.scope) == ("program", None, None)


def test_program_access_refuses_console_fields(huawei, idp) -> None:
    with pytest.raises(ClientRequestException) as raised:
        create_config(huawei, "OIDC", **{**PROGRAM, "scope": "openid"})
    assert raised.value.status_code == 400
    assert "program_console" in raised.value.error_msg


def test_switching_to_program_access_drops_the_console_fields(huawei, idp) -> None:
    create_config(huawei, "OIDC", **CONSOLE)
    update_config(huawei, "OIDC", access_mode="program")
    shown = show_config(huawei, "OIDC")
    assert (shown.access_mode, shown.response_type) == ("program", None)
    with pytest.raises(ClientRequestException) as raised:
        update_config(huawei, "OIDC", access_mode="program_console")
    assert raised.value.status_code == 400
    console_only = {k: v for k, v in CONSOLE.items() if k not in PROGRAM}
    update_config(huawei, "OIDC", access_mode="program_console", **console_only)
    assert show_config(huawei, "OIDC").to_dict() == CONSOLE


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"access_mode": "browser"}, "access_mode"),
        ({"idp_url": "short"}, "idp_url"),
        ({"idp_url": "ftp://accounts.example.com"}, "idp_url"),
        ({"client_id": "abc"}, "client_id"),
        ({"authorization_endpoint": None}, "authorization_endpoint"),
        ({"scope": "email profile"}, "openid"),
        ({"scope": "openid e-mail"}, "scope"),
        ({"scope": " ".join(["openid"] + [f"s{n}" for n in range(10)])}, "scope"),
        ({"response_type": "code"}, "response_type"),
        ({"response_mode": "query"}, "response_mode"),
        ({"signing_key": "not a key set"}, "signing_key"),
        ({"signing_key": json.dumps({"keys": []})}, "signing_key"),
        ({"signing_key": None}, "signing_key"),
    ],
)
def test_field_rules_are_enforced(huawei, idp, change, complaint) -> None:
    fields = {k: v for k, v in {**CONSOLE, **change}.items() if v is not None}
    with pytest.raises(ClientRequestException) as raised:
        create_config(huawei, "OIDC", **fields)
    assert raised.value.status_code == 400
    assert complaint in raised.value.error_msg


def test_a_second_configuration_is_a_conflict(huawei, idp) -> None:
    create_config(huawei, "OIDC", **PROGRAM)
    with pytest.raises(ClientRequestException) as raised:
        create_config(huawei, "OIDC", **PROGRAM)
    assert raised.value.status_code == 409


def test_configuration_of_an_unknown_provider_or_none_yet_is_404(huawei, idp) -> None:
    with pytest.raises(ClientRequestException) as raised:
        show_config(huawei, "OIDC")
    assert raised.value.status_code == 404
    with pytest.raises(ClientRequestException) as raised:
        create_config(huawei, "nobody", **PROGRAM)
    assert raised.value.status_code == 404


def test_the_configuration_goes_with_its_identity_provider(server, huawei, idp, root_token) -> None:
    create_config(huawei, "OIDC", **PROGRAM)
    with http(server, root_token) as client:
        assert client.delete("/v3/OS-FEDERATION/identity_providers/OIDC").status_code == 204
        assert client.put("/v3/OS-FEDERATION/identity_providers/OIDC", json={}).status_code == 201
    with pytest.raises(ClientRequestException) as raised:
        show_config(huawei, "OIDC")
    assert raised.value.status_code == 404
