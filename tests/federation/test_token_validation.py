"""A federated token, validated later (`GET /v3/auth/tokens`, as keystonemiddleware and
keystoneclient do), still shows Keystone's `user.OS-FEDERATION`: the identity provider, the
protocol and the mapped groups, for OIDC and SAML sign-ins and for a token rescoped from one."""

from __future__ import annotations

import httpx
import pytest

from tests import clients
from tests.federation.saml_idp import SamlIdp
from tests.federation.signin_setup import configure_provider, create_group
from tests.federation.test_oidc_signin import id_token_sign_in
from tests.federation.test_saml_signin import RULES, acs, import_metadata, make_idp, post_response


@pytest.fixture
def idp(server, huawei, account, tmp_path) -> SamlIdp:
    create_group(huawei, "readers")
    configure_provider(huawei, "corp", "saml", RULES)
    made = make_idp(server, tmp_path)
    import_metadata(huawei, made, account)
    return made


def validate(server, token: str) -> dict:
    answer = httpx.get(
        f"{server.url}/v3/auth/tokens",
        headers={"X-Auth-Token": token, "X-Subject-Token": token},
        params={"nocatalog": "1"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


def test_keystoneclient_sees_an_oidc_token_as_federated(server, huawei, provider, corp) -> None:
    subject = id_token_sign_in(huawei, corp, provider.id_token_for("alice")).x_subject_token
    access = clients.keystone(server.url, subject).tokens.validate(subject, include_catalog=False)
    assert access.is_federated
    federation = access["user"]["OS-FEDERATION"]
    assert (federation["identity_provider"], federation["protocol"]) == (
        {"id": "corp"},
        {"id": "oidc"},
    )
    assert [g["name"] for g in federation["groups"]] == ["admin"]
    assert access.username == "alice"


def test_a_saml_token_and_its_rescoped_token_show_the_federation(server, idp, account) -> None:
    signed_in = post_response(server, idp.response("bob", {"groups": ["staff"]}, acs(server)))
    assert signed_in.status_code == 201, signed_in.text
    subject = signed_in.headers["X-Subject-Token"]
    federation = validate(server, subject)["user"]["OS-FEDERATION"]
    assert federation["identity_provider"] == {"id": "corp"}
    assert federation["protocol"] == {"id": "saml"}
    assert [g["name"] for g in federation["groups"]] == ["readers"]
    rescoped = httpx.post(
        f"{server.url}/v3/auth/tokens",
        json={
            "auth": {
                "identity": {"methods": ["token"], "token": {"id": subject}},
                "scope": {"project": {"id": account.project_id}},
            }
        },
        timeout=30,
    )
    assert rescoped.status_code == 201, rescoped.text
    assert rescoped.json()["token"]["user"]["OS-FEDERATION"] == federation
    assert validate(server, rescoped.headers["X-Subject-Token"])["user"]["OS-FEDERATION"] == (
        federation
    )


def test_a_password_token_is_not_federated(server, root_token) -> None:
    assert "OS-FEDERATION" not in validate(server, root_token)["user"]
