"""Seed 004: `DELETE /v1/{project_id}/agreement` with the tenant's X-Auth-Token cancels the
authorization (204, `X-request-id`) and removes the `lakeformation_admin_trust` agency."""

from __future__ import annotations

import httpx
from huaweicloudsdkiam.v3 import model as m

from tests import clients
from tests.lakeformation.conftest import (
    ADMIN_TRUST,
    AGREEMENT,
    agency_names,
    assert_error,
    token,
    v1,
)


def test_registering_the_v1_agreement_creates_the_admin_agency_in_iam(server, account) -> None:
    tenant = v1(server, account)
    registered = tenant.register()
    assert registered.status_code == 200, registered.text
    assert registered.content == b""
    assert registered.headers["X-request-id"]
    shown = tenant.show()
    assert shown.status_code == 200
    assert shown.json() == {"agreements": [AGREEMENT], "is_agency": True}
    assert agency_names(server, account) == [ADMIN_TRUST]


def test_deleting_the_agreement_answers_204_and_removes_agreement_and_agency(
    server, account
) -> None:
    tenant = v1(server, account)
    assert tenant.register().status_code == 200
    deleted = tenant.delete()
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert len(deleted.headers["X-request-id"]) == 32
    assert tenant.show().json() == {"agreements": [], "is_agency": False}
    assert agency_names(server, account) == []


def test_the_request_id_header_is_spelled_as_the_documentation_spells_it(server, account) -> None:
    tenant = v1(server, account)
    tenant.register()
    deleted = tenant.delete()
    names = [name for name, _ in deleted.headers.raw if name.lower() == b"x-request-id"]
    assert names == [b"X-request-id"]


def test_a_second_delete_answers_404_in_the_documented_body(server, account) -> None:
    tenant = v1(server, account)
    tenant.register()
    assert tenant.delete().status_code == 204
    body = assert_error(tenant.delete(), 404, "common.01000001")
    assert body["common_error_code"] == "common.01000001"
    assert body["error_msg"] and body["solution_msg"]


def test_deleting_without_any_agreement_answers_404_and_keeps_other_agencies(
    server, account
) -> None:
    assert_error(v1(server, account).delete(), 404, "common.01000001")


def test_deleting_the_agency_in_iam_shows_is_agency_false(server, account) -> None:
    tenant = v1(server, account)
    tenant.register()
    iam = clients.iam(server.url, account)
    agency = iam.list_agencies(
        m.ListAgenciesRequest(domain_id=account.account_id, name=ADMIN_TRUST)
    ).agencies[0]
    iam.delete_agency(m.DeleteAgencyRequest(agency_id=agency.id))
    assert tenant.show().json() == {"agreements": [AGREEMENT], "is_agency": False}
    assert tenant.delete().status_code == 204  # an agency already gone is no obstacle


def test_the_seed_request_exactly_as_written(server, account) -> None:
    """DELETE https://{endpoint}/v1/{project_id}/agreement, header X-Auth-Token, no body."""
    auth = token(server, account)
    url = f"{server.url}/v1/{account.project_id}/agreement"
    registered = httpx.post(url, headers={"X-Auth-Token": auth}, json={"agreements": [AGREEMENT]})
    assert registered.status_code == 200
    response = httpx.delete(url, headers={"X-Auth-Token": auth})
    assert response.status_code == 204
    assert response.headers["X-request-id"]
