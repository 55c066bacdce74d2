"""Agencies, their grants, and the service-level functions other services call."""

from __future__ import annotations

import uuid

import pytest
from huaweicloudsdkiam.v3 import model as m

from idplane.iam.agencies.service import create_agency_in, delete_agency_in, find_agency_in
from idplane.platform.auth.caller import Caller, CredentialKind
from idplane.platform.errors import Conflict
from tests import clients, personas
from tests.iam.conftest import fails


def _name() -> str:
    return f"agency-{uuid.uuid4().hex[:8]}"


def _create(client, account, trusted, **fields):
    option = m.CreateAgencyOption(
        **{
            "name": _name(),
            "domain_id": account.account_id,
            "trust_domain_name": trusted.account_name,
            **fields,
        }
    )
    return client.create_agency(
        m.CreateAgencyRequest(body=m.CreateAgencyRequestBody(agency=option))
    ).agency


@pytest.fixture
def trusted(server):
    return server.new_account("trusted")


def test_an_agency_is_created_shown_listed_updated_and_deleted(root_iam, account, trusted):
    made = _create(root_iam, account, trusted, description="ops")
    assert (made.trust_domain_id, made.duration, made.expire_time) == (
        trusted.account_id,
        "FOREVER",
        None,
    )
    shown = root_iam.show_agency(m.ShowAgencyRequest(agency_id=made.id)).agency
    assert shown.trust_domain_name == trusted.account_name
    assert shown.agency_urn == f"iam::{account.account_id}:agency:{made.name}"
    listed = root_iam.list_agencies(
        m.ListAgenciesRequest(domain_id=account.account_id, name=made.name)
    ).agencies
    assert [a.id for a in listed] == [made.id]
    updated = root_iam.update_agency(
        m.UpdateAgencyRequest(
            agency_id=made.id,
            body=m.UpdateAgencyRequestBody(
                agency=m.UpdateAgencyOption(description="changed", duration="ONEDAY")
            ),
        )
    ).agency
    assert (updated.description, updated.duration) == ("changed", "ONEDAY")
    assert updated.expire_time is not None
    root_iam.delete_agency(m.DeleteAgencyRequest(agency_id=made.id))
    fails(lambda: root_iam.show_agency(m.ShowAgencyRequest(agency_id=made.id)), 404, "IAM.0004")


def test_agency_names_are_unique_in_an_account(root_iam, account, trusted):
    made = _create(root_iam, account, trusted)
    fails(lambda: _create(root_iam, account, trusted, name=made.name), 409)


def test_an_agency_trusts_an_existing_other_account(root_iam, account, trusted):
    fails(lambda: _create(root_iam, account, account), 400)
    fails(lambda: _create(root_iam, account, trusted, trust_domain_name="no-such-account"), 404)
    by_id = _create(
        root_iam, account, trusted, trust_domain_name=None, trust_domain_id=trusted.account_id
    )
    assert by_id.trust_domain_id == trusted.account_id
    fails(lambda: _create(root_iam, account, trusted, duration="SOMETIMES"), 400)
    assert _create(root_iam, account, trusted, duration="30").duration == "30"


def test_agency_grants_on_the_account_and_on_projects(server, root_iam, account, trusted):
    agency = _create(root_iam, account, trusted)
    ics = personas.system_role(server, account, "IdentityCenter ReadOnlyAccess")
    domain = {"domain_id": account.account_id, "agency_id": agency.id, "role_id": ics.id}
    root_iam.associate_agency_with_domain_permission(
        m.AssociateAgencyWithDomainPermissionRequest(**domain)
    )
    root_iam.check_domain_permission_for_agency(m.CheckDomainPermissionForAgencyRequest(**domain))
    listed = root_iam.list_domain_permissions_for_agency(
        m.ListDomainPermissionsForAgencyRequest(domain_id=account.account_id, agency_id=agency.id)
    ).roles
    assert [r.display_name for r in listed] == ["IdentityCenter ReadOnlyAccess"]
    lake = personas.system_role(server, account, "LakeFormation ReadOnlyAccess")
    project = {"project_id": account.project_id, "agency_id": agency.id, "role_id": lake.id}
    root_iam.associate_agency_with_project_permission(
        m.AssociateAgencyWithProjectPermissionRequest(**project)
    )
    root_iam.check_project_permission_for_agency(
        m.CheckProjectPermissionForAgencyRequest(**project)
    )
    root_iam.remove_project_permission_from_agency(
        m.RemoveProjectPermissionFromAgencyRequest(**project)
    )
    check = m.CheckProjectPermissionForAgencyRequest(**project)
    fails(lambda: root_iam.check_project_permission_for_agency(check), 404)
    root_iam.remove_domain_permission_from_agency(
        m.RemoveDomainPermissionFromAgencyRequest(**domain)
    )
    fails(
        lambda: root_iam.check_domain_permission_for_agency(
            m.CheckDomainPermissionForAgencyRequest(**domain)
        ),
        404,
    )


def _through(account, agency_id: str, project_id: str | None = None) -> Caller:
    return Caller(
        account_id=account.account_id,
        account_name=account.account_name,
        user_id=account.user_id,
        user_name=account.user_name,
        is_root=False,
        kind=CredentialKind.TEMPORARY,
        credential_id="test",
        project_id=project_id,
        agency_id=agency_id,
    )


def test_a_caller_acting_through_an_agency_has_the_agencys_grants(server, account):
    with server.core.store.transaction() as session:
        agency = create_agency_in(
            session,
            account.account_id,
            "svc_trust",
            "op_svc_test",
            domain_roles=["IdentityCenter ReadOnlyAccess"],
        )
    authorizer = server.core.authorizer
    assert authorizer.is_allowed(_through(account, agency.id), "IdentityCenter:instance:list")
    assert not authorizer.is_allowed(_through(account, agency.id), "IdentityCenter:instance:create")
    assert not authorizer.is_allowed(_through(account, agency.id), "iam:users:listUsers")


def test_other_services_create_and_delete_agencies_in_their_own_transaction(
    server, root_iam, account
):
    with server.core.store.transaction() as session:
        made = create_agency_in(
            session,
            account.account_id,
            "lakeformation_admin_trust",
            "op_svc_lakeformation",
            "LakeFormation admin trust",
        )
    shown = root_iam.show_agency(m.ShowAgencyRequest(agency_id=made.id)).agency
    assert (shown.name, shown.trust_domain_name, shown.trust_domain_id) == (
        "lakeformation_admin_trust",
        "op_svc_lakeformation",
        None,
    )
    with pytest.raises(Conflict), server.core.store.transaction() as session:
        create_agency_in(session, account.account_id, "lakeformation_admin_trust", "op_svc_x")
    with server.core.store.transaction() as session:
        assert delete_agency_in(session, account.account_id, "lakeformation_admin_trust")
        assert not delete_agency_in(session, account.account_id, "lakeformation_admin_trust")
    with server.core.store.read() as session:
        assert find_agency_in(session, account.account_id, "lakeformation_admin_trust") is None


def test_agencies_of_another_account_are_not_found(server, root_iam, account, trusted):
    other = server.new_account()
    theirs = _create(clients.iam(server.url, other), other, trusted)
    fails(lambda: root_iam.show_agency(m.ShowAgencyRequest(agency_id=theirs.id)), 404, "IAM.0004")
    request = m.DeleteAgencyRequest(agency_id=theirs.id)
    fails(lambda: root_iam.delete_agency(request), 404, "IAM.0004")
    request = m.ListAgenciesRequest(domain_id=other.account_id)
    fails(lambda: root_iam.list_agencies(request), 403, "IAM.0003")
