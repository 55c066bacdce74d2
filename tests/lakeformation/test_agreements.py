"""Tenant agreements through the official SDK (v2, AK/SK + X-Project-Id) and the system
agreement list; registration rules (charset, lengths, upsert) and bad bodies."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from huaweicloudsdklakeformation.v1 import model as m

from tests import clients
from tests.lakeformation.conftest import (
    AGREEMENT,
    agency_names,
    assert_error,
    fails,
    register_v2,
    subproject,
    token,
    v1,
)


def test_a_v2_agreement_is_registered_shown_and_deleted_through_the_sdk(lake) -> None:
    created = lake.create_agreement(
        m.CreateAgreementRequest(
            body=m.TenantAgreementBody(agreements=[m.TenantAgreement(**AGREEMENT)])
        )
    )
    assert len(created.x_request_id) == 32
    shown = lake.show_agreement(m.ShowAgreementRequest())
    assert [(a.agreement_name, a.agreement_version) for a in shown.agreements] == [
        ("lakeformation_service_statement", "v1")
    ]
    assert shown.is_agency is None  # v2 shows the agreements only
    assert shown.x_request_id
    deleted = lake.delete_agreement(m.DeleteAgreementRequest())
    assert deleted.x_request_id
    assert lake.show_agreement(m.ShowAgreementRequest()).agreements == []


def test_v2_registration_and_cancellation_leave_the_agencies_alone(server, account, lake) -> None:
    register_v2(lake)
    assert agency_names(server, account) == []
    v1(server, account).register()
    lake.delete_agreement(m.DeleteAgreementRequest())
    assert agency_names(server, account) == ["lakeformation_admin_trust"]


def test_deleting_a_v2_agreement_that_does_not_exist_is_404(lake) -> None:
    fails(lambda: lake.delete_agreement(m.DeleteAgreementRequest()), 404, "common.01000001")


def test_registering_a_name_again_replaces_its_version(lake) -> None:
    register_v2(lake, AGREEMENT, {"agreement_name": "privacy-2", "agreement_version": "v1"})
    register_v2(lake, {"agreement_name": "privacy-2", "agreement_version": "v2"})
    shown = lake.show_agreement(m.ShowAgreementRequest()).agreements
    assert [(a.agreement_name, a.agreement_version) for a in shown] == [
        ("lakeformation_service_statement", "v1"),
        ("privacy-2", "v2"),
    ]


def test_agreements_are_per_project(server, account, lake) -> None:
    register_v2(lake)
    other_project = subproject(server, account)
    other = clients.lakeformation(server.url, replace(account, project_id=other_project))
    assert other.show_agreement(m.ShowAgreementRequest()).agreements == []
    register_v2(other, {"agreement_name": "other", "agreement_version": "v9"})
    other.delete_agreement(m.DeleteAgreementRequest())
    assert len(lake.show_agreement(m.ShowAgreementRequest()).agreements) == 1


def test_the_system_agreements_are_listed_through_the_sdk(lake, server, account) -> None:
    rules = lake.show_agreement_rule(m.ShowAgreementRuleRequest())
    assert [r.agreement_name for r in rules.agreement_rules] == ["lakeformation_service_statement"]
    rule = rules.agreement_rules[0]
    assert rule.agreement_version == "v1"
    assert rule.agreement_display_name and rule.agreement_url.startswith("https://")
    assert rules.x_request_id
    with_token = v1(server, account).call("GET", "/agreement-rule")
    assert with_token.status_code == 200
    assert with_token.json()["agreement_rules"][0]["agreement_name"] == rule.agreement_name


@pytest.mark.parametrize(
    "agreement",
    [
        {"agreement_name": "agreement AAA", "agreement_version": "v1"},  # space
        {"agreement_name": "a" * 65, "agreement_version": "v1"},
        {"agreement_name": "", "agreement_version": "v1"},
        {"agreement_name": "ok", "agreement_version": "v1.0"},
        {"agreement_name": "ok", "agreement_version": "v" * 33},
        {"agreement_name": "ok"},
        {"agreement_name": 7, "agreement_version": "v1"},
    ],
    ids=["space", "long-name", "empty-name", "dot-version", "long-version", "no-version", "int"],
)
def test_names_and_versions_outside_the_documented_charset_are_400(lake, agreement) -> None:
    body = m.TenantAgreementBody(agreements=[m.TenantAgreement(**agreement)])
    request = m.CreateAgreementRequest(body=body)
    fails(lambda: lake.create_agreement(request), 400, "common.01000001")
    assert lake.show_agreement(m.ShowAgreementRequest()).agreements == []


def test_the_longest_documented_name_and_version_are_accepted(lake) -> None:
    register_v2(lake, {"agreement_name": "A-_9" * 16, "agreement_version": "V1" * 16})
    assert lake.show_agreement(m.ShowAgreementRequest()).agreements[0].agreement_name == (
        "A-_9" * 16
    )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"agreements": []}, "lakeformation.00000006"),
        ({}, "lakeformation.00000006"),
        ({"agreements": [AGREEMENT, AGREEMENT]}, "lakeformation.00000003"),
        ({"agreements": [AGREEMENT] * 1001}, "lakeformation.00000004"),
        ({"agreements": "all of them"}, "common.01000001"),
        ({"agreements": [["name", "v1"]]}, "common.01000001"),
    ],
    ids=["empty", "absent", "duplicate", "too-many", "string", "list-item"],
)
def test_bad_registrations_are_400_and_write_nothing(server, account, body, code) -> None:
    tenant = v1(server, account)
    assert_error(tenant.call("POST", "/agreement", json=body), 400, code)
    assert tenant.show().json() == {"agreements": [], "is_agency": False}
    assert agency_names(server, account) == []


@pytest.mark.parametrize("path", ["/v2/agreement", "/v1/{project}/agreement"])
def test_malformed_json_is_400_in_the_lakeformation_envelope(server, account, path) -> None:
    response = httpx.post(
        f"{server.url}{path.format(project=account.project_id)}",
        content=b'{"agreements": [',
        headers={"X-Auth-Token": token(server, account), "Content-Type": "application/json"},
    )
    body = assert_error(response, 400, "common.01000001")
    assert "JSON" in body["error_msg"]
