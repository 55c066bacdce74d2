"""The cloud services a tenant (project) lets access LakeFormation: show_access_service and
authorize_access_service on `/v1/{project_id}/access-service`, through the SDK client."""

from __future__ import annotations

import httpx
import pytest
from huaweicloudsdklakeformation.v1 import model as m

from tests import clients, personas
from tests.lakeformation.conftest import assert_error, fails, subproject, token

CATALOG = {"DLI": "Data Lake Insight", "DWS": "Data Warehouse Service", "MA": "ModelArts"}


def _show(lake) -> dict[str, bool]:
    services = lake.show_access_service(m.ShowAccessServiceRequest()).access_services
    assert {s.name: s.description for s in services} == CATALOG
    return {s.name: s.grant for s in services}


def _authorize(lake, *services: m.AccessServiceInfo):
    body = m.GrantAccessServiceRequestBody(access_services=list(services))
    return lake.authorize_access_service(m.AuthorizeAccessServiceRequest(body=body))


def test_no_service_is_granted_until_the_tenant_decides(lake):
    assert _show(lake) == {"DLI": False, "DWS": False, "MA": False}


def test_granting_and_withdrawing_changes_only_the_named_services(lake):
    answer = _authorize(
        lake,
        m.AccessServiceInfo(name="DLI", description="Data Lake Insight", grant=True),
        m.AccessServiceInfo(name="MA", grant=True),
    )
    assert answer.x_request_id
    assert _show(lake) == {"DLI": True, "DWS": False, "MA": True}
    _authorize(lake, m.AccessServiceInfo(name="DLI", grant=False))
    assert _show(lake) == {"DLI": False, "DWS": False, "MA": True}


def test_a_service_without_grant_is_granted(lake):
    _authorize(lake, m.AccessServiceInfo(name="DWS"))
    assert _show(lake)["DWS"] is True


@pytest.mark.parametrize(
    ("services", "code"),
    [
        ([{"name": "OBS", "grant": True}], "common.01000001"),
        ([{"name": "D" * 21, "grant": True}], "common.01000001"),
        ([{"name": "", "grant": True}], "common.01000001"),
        ([{"name": "DLI", "description": "x" * 501}], "common.01000001"),
        ([{"name": "DLI", "grant": "maybe"}], "common.01000001"),
        ([{"grant": True}], "common.01000001"),
        ([], "lakeformation.00000006"),
        ([{"name": "DLI"}] * 11, "lakeformation.00000004"),
        ([{"name": "DLI"}, {"name": "DLI", "grant": False}], "lakeformation.00000003"),
    ],
)
def test_bad_input_is_400_in_the_envelope_and_changes_nothing(server, account, services, code):
    response = httpx.post(
        f"{server.url}/v1/{account.project_id}/access-service",
        headers={"X-Auth-Token": token(server, account)},
        json={"access_services": services},
    )
    assert_error(response, 400, code)
    assert _show(clients.lakeformation(server.url, account))["DLI"] is False


def test_a_missing_or_malformed_body_is_400(server, account):
    url = f"{server.url}/v1/{account.project_id}/access-service"
    headers = {"X-Auth-Token": token(server, account)}
    assert_error(httpx.post(url, headers=headers, json={}), 400, "common.01000001")
    broken = httpx.post(url, headers={**headers, "content-type": "application/json"}, content="{")
    assert_error(broken, 400, "common.01000001")


def test_each_project_is_its_own_tenant(server, account, lake):
    _authorize(lake, m.AccessServiceInfo(name="DLI", grant=True))
    other = subproject(server, account)
    response = httpx.get(
        f"{server.url}/v1/{other}/access-service",
        headers={"X-Auth-Token": token(server, account, project_id=other)},
    )
    assert response.status_code == 200, response.text
    assert {s["name"]: s["grant"] for s in response.json()["access_services"]}["DLI"] is False


def test_another_account_cannot_read_or_change_this_ones_settings(server, account, lake):
    _authorize(lake, m.AccessServiceInfo(name="DLI", grant=True))
    stranger = server.new_account("stranger")
    url = f"{server.url}/v1/{account.project_id}/access-service"
    headers = {"X-Auth-Token": token(server, stranger)}
    assert_error(httpx.get(url, headers=headers), 400, "lakeformation.00000021")
    changed = httpx.post(url, headers=headers, json={"access_services": [{"name": "DLI"}]})
    assert_error(changed, 400, "lakeformation.00000021")
    assert _show(clients.lakeformation(server.url, stranger))["DLI"] is False
    assert _show(lake)["DLI"] is True


def test_read_only_users_see_but_do_not_change(server, account, lake):
    _authorize(lake, m.AccessServiceInfo(name="MA", grant=True))
    user = personas.iam_user_with_roles(server, account, ["LakeFormation ReadOnlyAccess"])
    reader = clients.lakeformation(server.url, user)
    assert _show(reader)["MA"] is True
    error = fails(lambda: _authorize(reader, m.AccessServiceInfo(name="DLI")), 403, "403")
    assert "lakeformation:accessService:authorize" in error.error_msg
    nobody = clients.lakeformation(server.url, personas.iam_user(server, account))
    fails(lambda: _show(nobody), 403, "403")
