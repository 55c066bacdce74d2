"""The service agencies `lakeformation_admin_trust` (ADMIN_TRUST) and `lakeformation_job_trust`
(JOB_TRUST): created, checked and deleted through `/v2/agency` (SDK) and `/v1/{p}/agency`; they
are real IAM agencies, so IAM sees and changes them."""

from __future__ import annotations

import httpx
import pytest
from huaweicloudsdkiam.v3 import model as iam
from huaweicloudsdklakeformation.v1 import model as m

from tests import clients, personas
from tests.lakeformation.conftest import (
    ADMIN_TRUST,
    JOB_TRUST,
    agency_names,
    assert_error,
    fails,
    token,
    v1,
)

ADMIN_ACTIONS = [
    "iam:users:listUsers",
    "iam:users:getUser",
    "iam:groups:listGroups",
    "iam:groups:listUsersForGroup",
    "iam:agencies:listAgencies",
    "iam:projects:listProjects",
]


def _create(lake, agency_type: str) -> None:
    body = m.AgencyRequestBody(agency_type=agency_type)
    lake.create_agency(m.CreateAgencyRequest(body=body))


def _show_v2(server, account, agency_type: str) -> dict:
    response = httpx.get(
        f"{server.url}/v2/agency",
        params={"agency_type": agency_type},
        headers={"X-Auth-Token": token(server, account)},
    )
    assert response.status_code == 200, response.text
    return response.json()


def _iam_agency(server, account, name: str) -> iam.AgencyResult:
    request = iam.ListAgenciesRequest(domain_id=account.account_id, name=name)
    return clients.iam(server.url, account).list_agencies(request).agencies[0]


def _roles_of(server, account, agency_id: str) -> list[str]:
    request = iam.ListDomainPermissionsForAgencyRequest(
        domain_id=account.account_id, agency_id=agency_id
    )
    roles = clients.iam(server.url, account).list_domain_permissions_for_agency(request).roles
    return [r.display_name for r in roles]


def test_the_admin_agency_is_an_iam_agency_trusting_the_service(server, account, lake) -> None:
    _create(lake, "ADMIN_TRUST")
    agency = _iam_agency(server, account, ADMIN_TRUST)
    assert (agency.trust_domain_name, agency.duration) == ("op_svc_lakeformation", "FOREVER")
    assert _roles_of(server, account, agency.id) == ["IAM ReadOnlyAccess"]
    shown = lake.show_agency(m.ShowAgencyRequest(agency_type="ADMIN_TRUST"))
    assert shown.agency_type == "ADMIN_TRUST"
    assert _show_v2(server, account, "ADMIN_TRUST") == {
        "agency_type": "ADMIN_TRUST",
        "agency_name": ADMIN_TRUST,
        "authorized": True,
        "missing_action": [],
        "agency_value": ADMIN_ACTIONS,
    }


def test_a_missing_agency_shows_as_not_authorized(server, account, lake) -> None:
    assert _show_v2(server, account, "JOB_TRUST") == {
        "agency_type": "JOB_TRUST",
        "agency_name": JOB_TRUST,
        "authorized": False,
        "missing_action": [],
        "agency_value": [],
    }


def test_an_agency_stripped_in_iam_lacks_actions_until_created_again(server, account, lake) -> None:
    _create(lake, "ADMIN_TRUST")
    agency = _iam_agency(server, account, ADMIN_TRUST)
    role = personas.system_role(server, account, "IAM ReadOnlyAccess")
    clients.iam(server.url, account).remove_domain_permission_from_agency(
        iam.RemoveDomainPermissionFromAgencyRequest(
            domain_id=account.account_id, agency_id=agency.id, role_id=role.id
        )
    )
    shown = _show_v2(server, account, "ADMIN_TRUST")
    assert (shown["authorized"], shown["missing_action"]) == (False, ADMIN_ACTIONS)
    _create(lake, "ADMIN_TRUST")  # gives the existing agency its roles back
    assert _show_v2(server, account, "ADMIN_TRUST")["authorized"] is True
    assert _iam_agency(server, account, ADMIN_TRUST).id == agency.id


def test_the_job_agency_is_created_and_deleted(server, account, lake) -> None:
    _create(lake, "JOB_TRUST")
    agency = _iam_agency(server, account, JOB_TRUST)
    assert _roles_of(server, account, agency.id) == ["Tenant Administrator"]
    assert _show_v2(server, account, "JOB_TRUST")["authorized"] is True
    deleted = lake.delete_agency(
        m.DeleteAgencyRequest(body=m.AgencyRequestBody(agency_type="JOB_TRUST"))
    )
    assert deleted.x_request_id
    assert agency_names(server, account) == []
    request = m.DeleteAgencyRequest(body=m.AgencyRequestBody(agency_type="JOB_TRUST"))
    fails(lambda: lake.delete_agency(request), 404, "common.01000001")


def test_v1_agency_paths_show_the_actions_and_404_when_missing(server, account) -> None:
    tenant = v1(server, account)
    assert tenant.call("POST", "/agency", json={"agency_type": "ADMIN_TRUST"}).status_code == 200
    shown = tenant.call("GET", "/agency", params={"agency_type": "ADMIN_TRUST"})
    assert shown.json() == {"agency_type": "ADMIN_TRUST", "agency_value": ADMIN_ACTIONS}
    deleted = tenant.call("DELETE", "/agency", json={"agency_type": "ADMIN_TRUST"})
    assert deleted.status_code == 200
    assert deleted.headers["X-request-id"]
    missing = tenant.call("GET", "/agency", params={"agency_type": "ADMIN_TRUST"})
    assert_error(missing, 404, "common.01000001")


@pytest.mark.parametrize("agency_type", ["NOPE", "admin_trust", ""])
def test_an_unknown_agency_type_is_400(server, account, lake, agency_type) -> None:
    body = m.AgencyRequestBody(agency_type=agency_type)
    fails(lambda: lake.create_agency(m.CreateAgencyRequest(body=body)), 400, "common.01000001")
    request = m.ShowAgencyRequest(agency_type=agency_type)
    fails(lambda: lake.show_agency(request), 400, "common.01000001")
    assert agency_names(server, account) == []


def test_creating_an_agency_needs_iam_permission_too(server, account) -> None:
    user = personas.iam_user_with_roles(server, account, ["LakeFormation FullAccess"])
    lake = clients.lakeformation(server.url, user)
    error = fails(lambda: _create(lake, "ADMIN_TRUST"), 403, "403")
    assert "iam:agencies:createAgency" in error.error_msg
    assert agency_names(server, account) == []
