"""The organization and its root through the official Organizations SDK."""

from __future__ import annotations

import re

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkorganizations.v1 import model as org

from tests import clients
from tests.org_personas import create_member, create_organization, organization_with_member


def _error(call) -> ClientRequestException:
    with pytest.raises(ClientRequestException) as raised:
        call()
    return raised.value


def test_creating_an_organization_makes_the_caller_its_management_account(server, account) -> None:
    created = create_organization(server, account)
    assert re.fullmatch(r"o-[a-z0-9]{32}", created.id)
    assert created.management_account_id == account.account_id
    assert created.management_account_name == account.account_name
    assert created.urn == f"organizations::{account.account_id}:organization:{created.id}"
    shown = clients.organizations(server.url, account).show_organization(
        org.ShowOrganizationRequest()
    )
    assert shown.organization.id == created.id
    assert shown.organization.created_at == created.created_at


def test_an_organization_has_one_root(server, account) -> None:
    created = create_organization(server, account)
    roots = clients.organizations(server.url, account).list_roots(org.ListRootsRequest()).roots
    assert len(roots) == 1
    assert re.fullmatch(r"r-[a-z0-9]{4,32}", roots[0].id)
    assert roots[0].name == "Root"
    assert roots[0].policy_types == []
    assert roots[0].urn == f"organizations::{account.account_id}:root:{created.id}/{roots[0].id}"


def test_an_account_cannot_create_a_second_organization(server, account) -> None:
    create_organization(server, account)
    error = _error(lambda: create_organization(server, account))
    assert (error.status_code, error.error_code) == (409, "Organizations.1101")


def test_a_member_account_cannot_create_an_organization(server) -> None:
    _management, member = organization_with_member(server)
    error = _error(lambda: create_organization(server, member))
    assert (error.status_code, error.error_code) == (409, "Organizations.1101")


def test_a_member_sees_its_organization(server) -> None:
    management, member = organization_with_member(server)
    shown = clients.organizations(server.url, member).show_organization(
        org.ShowOrganizationRequest()
    )
    assert shown.organization.management_account_id == management.account_id


def test_an_account_outside_any_organization_gets_organization_not_found(server, account) -> None:
    client = clients.organizations(server.url, account)
    error = _error(lambda: client.show_organization(org.ShowOrganizationRequest()))
    assert (error.status_code, error.error_code) == (401, "Organizations.1015")


def test_an_organization_with_members_cannot_be_deleted(server) -> None:
    management, _member = organization_with_member(server)
    client = clients.organizations(server.url, management)
    error = _error(lambda: client.delete_organization(org.DeleteOrganizationRequest()))
    assert (error.status_code, error.error_code) == (400, "Organizations.1102")
    assert client.show_organization(org.ShowOrganizationRequest()).organization


def test_deleting_an_empty_organization_frees_the_account(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    assert client.delete_organization(org.DeleteOrganizationRequest()).status_code == 204
    error = _error(lambda: client.show_organization(org.ShowOrganizationRequest()))
    assert error.error_code == "Organizations.1015"
    assert create_organization(server, account).management_account_id == account.account_id


def test_removing_every_member_lets_the_organization_be_deleted(server) -> None:
    management, member = organization_with_member(server)
    client = clients.organizations(server.url, management)
    client.remove_account(org.RemoveAccountRequest(account_id=member.account_id))
    client.delete_organization(org.DeleteOrganizationRequest())
    member_client = clients.organizations(server.url, member)
    error = _error(lambda: member_client.show_organization(org.ShowOrganizationRequest()))
    assert error.error_code == "Organizations.1015"


def test_only_the_management_account_deletes_the_organization(server) -> None:
    management, member = organization_with_member(server)
    client = clients.organizations(server.url, member)
    error = _error(lambda: client.delete_organization(org.DeleteOrganizationRequest()))
    assert (error.status_code, error.error_code) == (401, "Organizations.1001")
    assert error.error_msg == (
        "This operation can be called only from the management account of an organization."
    )
    create_member(server, management)  # the organization is still there


def test_a_plain_member_cannot_list_roots(server) -> None:
    _management, member = organization_with_member(server)
    client = clients.organizations(server.url, member)
    error = _error(lambda: client.list_roots(org.ListRootsRequest()))
    assert (error.status_code, error.error_code) == (401, "Organizations.1002")
