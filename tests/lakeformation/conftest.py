"""Helpers shared by the LakeFormation tests: tenant tokens, plain-HTTP v1 calls (the v1 paths
left the SDK in 3.1.163) and the IAM view of the account's agencies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as iam_model
from huaweicloudsdklakeformation.v1 import model as m

from idplane.platform.auth import signing
from tests import clients

ADMIN_TRUST = "lakeformation_admin_trust"
JOB_TRUST = "lakeformation_job_trust"
ERROR_FIELDS = {"error_code", "error_msg", "common_error_code", "solution_msg"}
AGREEMENT = {"agreement_name": "lakeformation_service_statement", "agreement_version": "v1"}


def token(server, creds, project_id: str | None = None, domain: bool = False) -> str:
    """A password token of `creds`: scoped to their region project, another project, or the
    account (domain scope)."""
    scope: dict[str, Any] = (
        {"domain": {"id": creds.account_id}}
        if domain
        else {"project": {"id": project_id or creds.project_id}}
    )
    user = {"name": creds.user_name, "password": creds.password}
    user["domain"] = {"name": creds.account_name}
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": user}}}}
    body["auth"]["scope"] = scope
    response = httpx.post(f"{server.url}/v3/auth/tokens?nocatalog=true", json=body)
    assert response.status_code == 201, response.text
    return response.headers["X-Subject-Token"]


class V1:
    """`/v1/{project_id}/...` with an X-Auth-Token, as the seed calls it."""

    def __init__(self, server, auth_token: str | None, project_id: str):
        self.base = f"{server.url}/v1/{project_id}"
        self.headers = {"X-Auth-Token": auth_token} if auth_token else {}

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.request(method, f"{self.base}{path}", headers=self.headers, **kwargs)

    def register(self, *agreements: dict) -> httpx.Response:
        return self.call("POST", "/agreement", json={"agreements": list(agreements or [AGREEMENT])})

    def show(self) -> httpx.Response:
        return self.call("GET", "/agreement")

    def delete(self) -> httpx.Response:
        return self.call("DELETE", "/agreement")


def signed(server, creds, method: str, path: str, project_id: str | None = None):
    """A plain request signed with the AK/SK of `creds` (no body), X-Project-Id if given."""
    headers = {
        "host": server.url.split("://", 1)[1],
        "x-sdk-date": datetime.now(UTC).strftime(signing.DATE_FORMAT),
    }
    if project_id:
        headers["x-project-id"] = project_id
    names = sorted(headers)
    request = signing.SignedRequest(method, path, "", headers, b"")
    auth = signing.Authorization(signing.ALGORITHM, creds.access_key, names, "")
    signature = signing.sign(creds.secret_key, signing.string_to_sign(request, auth))
    headers["authorization"] = (
        f"{signing.ALGORITHM} Access={creds.access_key}, "
        f"SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    return httpx.request(method, f"{server.url}{path}", headers=headers)


def v1(server, creds, project_id: str | None = None) -> V1:
    """A v1 caller with a token of `creds` scoped to their project."""
    return V1(server, token(server, creds), project_id or creds.project_id)


def agency_names(server, creds) -> list[str]:
    """The account's agencies as IAM lists them (`/v3.0/OS-AGENCY/agencies`)."""
    request = iam_model.ListAgenciesRequest(domain_id=creds.account_id)
    agencies = clients.iam(server.url, creds).list_agencies(request).agencies
    return sorted(a.name for a in agencies)


def subproject(server, creds, suffix: str = "lake") -> str:
    """A second project of the account (`cn-north-4_<suffix>`): another tenant."""
    option = iam_model.KeystoneCreateProjectOption(
        name=f"cn-north-4_{suffix}", parent_id=creds.project_id, domain_id=creds.account_id
    )
    request = iam_model.KeystoneCreateProjectRequest(
        body=iam_model.KeystoneCreateProjectRequestBody(project=option)
    )
    return clients.iam(server.url, creds).keystone_create_project(request).project.id


def register_v2(client, *agreements: dict) -> None:
    items = [m.TenantAgreement(**a) for a in agreements or [AGREEMENT]]
    body = m.TenantAgreementBody(agreements=items)
    client.create_agreement(m.CreateAgreementRequest(body=body))


def assert_error(response: httpx.Response, status: int, code: str) -> dict:
    """A LakeFormation error: status, code, the four documented fields and the request id."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_FIELDS, body
    assert body["error_code"] == code, body
    assert response.headers["X-request-id"]
    return body


def fails(call: Callable[[], Any], status: int, code: str | None = None) -> ClientRequestException:
    with pytest.raises(ClientRequestException) as raised:
        call()
    error = raised.value
    assert error.status_code == status, (error.status_code, error.error_code, error.error_msg)
    if code is not None:
        assert error.error_code == code, (error.error_code, error.error_msg)
    return error


@pytest.fixture
def lake(server, account):
    """The LakeFormation SDK client of the test account's root user (v2, AK/SK)."""
    return clients.lakeformation(server.url, account)
