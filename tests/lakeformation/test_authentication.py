"""Who may call: v1 wants a tenant token of the project in the URL, v2 a project-scoped
credential (token or AK/SK + X-Project-Id). Failures come in LakeFormation's own bodies."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.signer.signer import Signer
from huaweicloudsdklakeformation.v1 import LakeFormationClient
from huaweicloudsdklakeformation.v1 import model as m

from tests import clients, personas
from tests.iam.conftest import fails
from tests.lakeformation.conftest import (
    AGREEMENT,
    V1,
    assert_error,
    register_v2,
    signed,
    subproject,
    token,
)
from tests.lakeformation.conftest import v1 as v1_of

PATHS = [
    ("DELETE", "/v1/{project}/agreement"),
    ("GET", "/v1/{project}/agreement"),
    ("POST", "/v1/{project}/agreement"),
    ("GET", "/v2/agreement"),
    ("DELETE", "/v2/agreement"),
    ("GET", "/v2/agency?agency_type=ADMIN_TRUST"),
]


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_no_credential_is_401_with_the_gateway_body(server, account, method, path) -> None:
    response = httpx.request(method, f"{server.url}{path.format(project=account.project_id)}")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"error_code", "error_msg"}
    assert body["error_code"] == "APIG.1002"
    assert response.headers["X-request-id"]


def test_an_unknown_token_is_401(server, account) -> None:
    response = V1(server, "not-a-token", account.project_id).delete()
    assert response.status_code == 401
    assert response.json()["error_code"] == "APIG.1002"


def test_a_bad_signature_is_401_through_the_sdk(server, account) -> None:
    lake = clients.lakeformation(server.url, account, secret_key="x" * 40)
    fails(lambda: lake.show_agreement(m.ShowAgreementRequest()), 401, "APIG.1002")


def test_v1_with_aksk_only_is_the_missing_token_error(server, account) -> None:
    """A valid AK/SK signature is not enough on the v1 agreement paths: they want a token."""
    path = f"/v1/{account.project_id}/agreement"
    response = signed(server, account, "DELETE", path, account.project_id)
    assert_error(response, 400, "lakeformation.00000023")
    bad = replace(account, secret_key="x" * 40)
    assert signed(server, bad, "DELETE", path, account.project_id).status_code == 401


def test_a_token_of_another_project_is_400_project_mismatch(server, account) -> None:
    other_project = subproject(server, account)
    tenant = V1(server, token(server, account, other_project), account.project_id)
    body = assert_error(tenant.delete(), 400, "lakeformation.00000021")
    assert account.project_id in body["error_msg"]
    assert_error(tenant.register(), 400, "lakeformation.00000021")


def test_a_token_of_another_account_is_400_project_mismatch(server, account) -> None:
    v1_of(server, account).register()
    stranger = server.new_account()
    tenant = V1(server, token(server, stranger), account.project_id)
    assert_error(tenant.delete(), 400, "lakeformation.00000021")
    assert_error(tenant.show(), 400, "lakeformation.00000021")
    assert v1_of(server, account).show().json()["agreements"] == [AGREEMENT]


def test_a_domain_scoped_token_is_400_on_v1(server, account) -> None:
    tenant = V1(server, token(server, account, domain=True), account.project_id)
    body = assert_error(tenant.delete(), 400, "lakeformation.00000021")
    assert "no project" in body["error_msg"]


def test_v2_without_a_project_is_400(server, account) -> None:
    auth = token(server, account, domain=True)
    response = httpx.get(f"{server.url}/v2/agreement", headers={"X-Auth-Token": auth})
    assert_error(response, 400, "lakeformation.00000007")
    assert_error(signed(server, account, "GET", "/v2/agreement"), 400, "lakeformation.00000007")


def test_v2_takes_the_project_from_a_project_token(server, account) -> None:
    auth = token(server, account)
    url = f"{server.url}/v2/agreement"
    created = httpx.post(url, headers={"X-Auth-Token": auth}, json={"agreements": [AGREEMENT]})
    assert created.status_code == 200
    assert v1_of(server, account).show().json()["agreements"] == [AGREEMENT]
    assert httpx.delete(url, headers={"X-Auth-Token": auth}).status_code == 204


def test_the_sdk_sending_a_project_token_acts_on_the_tokens_project(server, account) -> None:
    """The LakeFormation client takes BasicCredentials only; these send X-Auth-Token instead
    of a signature (as `clients.token_credentials` does for global clients)."""
    auth = token(server, account)
    credentials = BasicCredentials("token", "token", account.project_id)

    def sign_request(request):
        request.header_params["X-Auth-Token"] = auth
        Signer.process_request_uri(request)
        return request

    credentials.sign_request = sign_request
    lake = clients.build(LakeFormationClient, server.url, credentials)
    register_v2(lake)
    assert v1_of(server, account).show().json()["agreements"] == [AGREEMENT]
    lake.delete_agreement(m.DeleteAgreementRequest())


def test_x_project_id_of_another_account_is_401(server, account) -> None:
    stranger = server.new_account()
    lake = clients.lakeformation(server.url, replace(account, project_id=stranger.project_id))
    fails(lambda: lake.show_agreement(m.ShowAgreementRequest()), 401, "APIG.1002")


def test_temporary_credentials_register_on_v2(server, account) -> None:
    temporary = personas.temporary(server, personas.root(account))
    lake = clients.lakeformation(server.url, temporary)
    register_v2(lake)
    assert len(lake.show_agreement(m.ShowAgreementRequest()).agreements) == 1


def test_expired_temporary_credentials_are_401(server, account) -> None:
    temporary = personas.temporary(server, personas.root(account))
    personas.expire(server, temporary)
    lake = clients.lakeformation(server.url, temporary)
    fails(lambda: lake.show_agreement(m.ShowAgreementRequest()), 401, "APIG.1002")
