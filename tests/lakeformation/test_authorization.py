"""What IAM users may do: LakeFormation FullAccess / ReadOnlyAccess (project policies), custom
Deny, and IAM's own agency permissions for the v1 calls that create or delete the agency."""

from __future__ import annotations

from dataclasses import replace

import httpx
from huaweicloudsdklakeformation.v1 import model as m

from tests import clients, personas
from tests.lakeformation.conftest import (
    ADMIN_TRUST,
    AGREEMENT,
    V1,
    agency_names,
    fails,
    register_v2,
    subproject,
    token,
    v1,
)

FORBIDDEN_KEYS = {"error", "error_code", "error_msg", "title"}


def _assert_forbidden(response: httpx.Response, action: str) -> None:
    assert response.status_code == 403, response.text
    body = response.json()
    assert set(body) == FORBIDDEN_KEYS
    assert (body["error_code"], body["title"]) == ("403", "Forbidden")
    assert body["error"]["code"] == "403"
    assert body["error"]["error_code"] is None
    assert action in body["error_msg"]
    assert response.headers["X-request-id"]


def test_a_user_without_permissions_gets_403_in_the_merged_body(server, account) -> None:
    user = personas.iam_user(server, account)
    _assert_forbidden(v1(server, user).delete(), "lakeformation:agreement:delete")
    lake = clients.lakeformation(server.url, user)
    error = fails(lambda: lake.show_agreement(m.ShowAgreementRequest()), 403, "403")
    assert "lakeformation:agreement:get" in error.error_msg


def test_read_only_access_shows_but_does_not_change(server, account) -> None:
    v1(server, account).register()
    user = personas.iam_user_with_roles(server, account, ["LakeFormation ReadOnlyAccess"])
    tenant = v1(server, user)
    assert tenant.show().json() == {"agreements": [AGREEMENT], "is_agency": True}
    assert tenant.call("GET", "/agreement-rule").status_code == 200
    _assert_forbidden(tenant.delete(), "lakeformation:agreement:delete")
    _assert_forbidden(tenant.register(), "lakeformation:agreement:create")
    lake = clients.lakeformation(server.url, user)
    assert len(lake.show_agreement(m.ShowAgreementRequest()).agreements) == 1
    fails(lambda: lake.delete_agreement(m.DeleteAgreementRequest()), 403, "403")


def test_full_access_registers_and_cancels_v2_agreements(server, account) -> None:
    user = personas.iam_user_with_roles(server, account, ["LakeFormation FullAccess"])
    lake = clients.lakeformation(server.url, user)
    register_v2(lake)
    lake.delete_agreement(m.DeleteAgreementRequest())
    assert lake.show_agreement(m.ShowAgreementRequest()).agreements == []


def test_the_v1_agreement_also_needs_permission_to_create_the_agency(server, account) -> None:
    user = personas.iam_user_with_roles(server, account, ["LakeFormation FullAccess"])
    _assert_forbidden(v1(server, user).register(), "iam:agencies:createAgency")
    assert v1(server, account).show().json() == {"agreements": [], "is_agency": False}
    admin = personas.iam_user_with_roles(
        server, account, ["LakeFormation FullAccess", "Security Administrator"]
    )
    assert v1(server, admin).register().status_code == 200
    assert agency_names(server, account) == [ADMIN_TRUST]
    assert v1(server, admin).delete().status_code == 204
    assert agency_names(server, account) == []


def test_a_failed_v1_delete_keeps_the_agreements(server, account) -> None:
    """Deleting the agency needs IAM's permission; without it nothing is cancelled."""
    v1(server, account).register()
    user = personas.iam_user_with_roles(server, account, ["LakeFormation FullAccess"])
    assert v1(server, user).register().status_code == 200  # the agency exists: no IAM needed
    _assert_forbidden(v1(server, user).delete(), "iam:agencies:deleteAgency")
    assert v1(server, account).show().json() == {"agreements": [AGREEMENT], "is_agency": True}


def test_a_custom_deny_overrides_full_access(server, account) -> None:
    user = personas.iam_user_with_policy(
        server,
        account,
        [{"Effect": "Deny", "Action": ["lakeformation:agreement:delete"]}],
        roles=["LakeFormation FullAccess"],
    )
    lake = clients.lakeformation(server.url, user)
    register_v2(lake)
    fails(lambda: lake.delete_agreement(m.DeleteAgreementRequest()), 403, "403")


def test_a_policy_on_another_project_does_not_apply(server, account) -> None:
    """LakeFormation FullAccess is a project policy: granted on a subproject, it lets the user
    act on that tenant only."""
    sub = subproject(server, account)
    group = personas.group_with_roles(server, account, [])
    role = personas.system_role(server, account, "LakeFormation FullAccess")
    personas.grant(server, replace(account, project_id=sub), group, role)
    user = personas.iam_user(server, account)
    personas.add_to_group(server, account, group, user.user_id)
    _assert_forbidden(v1(server, user).show(), "lakeformation:agreement:get")
    assert V1(server, token(server, user, sub), sub).show().status_code == 200
