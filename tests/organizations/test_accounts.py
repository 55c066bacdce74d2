"""Member accounts and CreateAccount requests through the official Organizations SDK."""

from __future__ import annotations

import re

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkorganizations.v1 import model as org

from tests import clients
from tests.org_personas import (
    create_member,
    create_organization,
    enable_trusted_service,
    organization_with_member,
    register_delegate,
    unique_name,
)


def _error(call) -> ClientRequestException:
    with pytest.raises(ClientRequestException) as raised:
        call()
    return raised.value


def _create(client, name: str, **fields) -> org.CreateAccountStatusDto:
    body = org.CreateAccountReqBody(name=name, **fields)
    return client.create_account(org.CreateAccountRequest(body=body)).create_account_status


def test_creating_an_account_answers_a_finished_status(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    name = unique_name("new")
    status = _create(client, name)
    assert re.fullmatch(r"h-[a-z0-9]{32}", status.id)
    assert re.fullmatch(r"[0-9a-f]{32}", status.account_id)
    assert (status.account_name, status.state) == (name, "succeeded")
    assert status.completed_at is not None
    shown = client.show_create_account_status(
        org.ShowCreateAccountStatusRequest(create_account_status_id=status.id)
    ).create_account_status
    assert (shown.id, shown.account_id, shown.state) == (status.id, status.account_id, "succeeded")


def test_a_created_account_is_a_member_that_joined_by_creation(server, account) -> None:
    created = create_organization(server, account)
    client = clients.organizations(server.url, account)
    status = _create(client, unique_name("new"), description="team a", email="a@example.com")
    shown = client.show_account(org.ShowAccountRequest(account_id=status.account_id)).account
    assert (shown.join_method, shown.status, shown.name) == (
        "created",
        "active",
        status.account_name,
    )
    assert shown.description == "team a"
    assert shown.email is None  # contact details only on request
    assert shown.urn == f"organizations::{account.account_id}:account:{created.id}/{shown.id}"
    with_contact = client.show_account(
        org.ShowAccountRequest(account_id=status.account_id, with_register_contact_info=True)
    ).account
    assert with_contact.email == "a@example.com"


def test_a_created_account_is_a_real_account_with_its_own_root(server) -> None:
    management, member = organization_with_member(server)
    assert member.user_name == member.account_name
    shown = clients.organizations(server.url, member).show_organization(
        org.ShowOrganizationRequest()
    )
    assert shown.organization.management_account_id == management.account_id


def test_accounts_are_listed_in_pages(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    created = {_create(client, unique_name("page")).account_id for _ in range(3)}
    seen, marker = [], None
    while True:
        page = client.list_accounts(org.ListAccountsRequest(limit=2, marker=marker))
        assert page.page_info.current_count == len(page.accounts) <= 2
        seen += [a.id for a in page.accounts]
        marker = page.page_info.next_marker
        if not marker:
            break
    assert sorted(seen) == sorted(created | {account.account_id})
    management = next(
        a
        for a in client.list_accounts(org.ListAccountsRequest()).accounts
        if a.id == account.account_id
    )
    assert management.join_method == "invited"


def test_accounts_are_listed_under_the_root_only(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    root = client.list_roots(org.ListRootsRequest()).roots[0]
    under_root = client.list_accounts(org.ListAccountsRequest(parent_id=root.id)).accounts
    assert [a.id for a in under_root] == [account.account_id]
    error = _error(lambda: client.list_accounts(org.ListAccountsRequest(parent_id="ou-x")))
    assert (error.status_code, error.error_code) == (404, "Organizations.1201")


def test_a_bad_marker_or_limit_is_a_400(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    for request in (org.ListAccountsRequest(marker="nope"), org.ListAccountsRequest(limit=0)):
        error = _error(lambda request=request: client.list_accounts(request))
        assert (error.status_code, error.error_code) == (400, "Organizations.1000")


def test_account_names_are_unique(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    error = _error(lambda: _create(client, account.account_name))
    assert (error.status_code, error.error_code) == (409, "Organizations.1302")


def test_a_bad_account_name_is_refused_without_creating_anything(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    for name in ("9starts-with-digit", "has space", "x" * 65):
        error = _error(lambda name=name: _create(client, name))
        assert error.status_code == 400
    assert (
        client.list_create_account_statuses(
            org.ListCreateAccountStatusesRequest()
        ).create_account_statuses
        == []
    )


def test_create_account_statuses_filter_by_state(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    status = _create(client, unique_name("st"))
    listed = client.list_create_account_statuses(
        org.ListCreateAccountStatusesRequest(states=["succeeded", "failed"])
    ).create_account_statuses
    assert [s.id for s in listed] == [status.id]
    none = client.list_create_account_statuses(
        org.ListCreateAccountStatusesRequest(states=["in_progress"])
    ).create_account_statuses
    assert none == []
    error = _error(
        lambda: client.list_create_account_statuses(
            org.ListCreateAccountStatusesRequest(states=["done"])
        )
    )
    assert error.status_code == 400


def test_an_unknown_create_account_status_is_a_404(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    error = _error(
        lambda: client.show_create_account_status(
            org.ShowCreateAccountStatusRequest(create_account_status_id="h-" + "0" * 32)
        )
    )
    assert (error.status_code, error.error_code) == (404, "Organizations.1305")


def test_an_account_outside_the_organization_is_not_shown(server, account) -> None:
    create_organization(server, account)
    stranger = server.new_account()
    client = clients.organizations(server.url, account)
    error = _error(
        lambda: client.show_account(org.ShowAccountRequest(account_id=stranger.account_id))
    )
    assert (error.status_code, error.error_code) == (404, "Organizations.1301")


def test_a_removed_account_is_a_standalone_account(server) -> None:
    management, member = organization_with_member(server)
    client = clients.organizations(server.url, management)
    response = client.remove_account(org.RemoveAccountRequest(account_id=member.account_id))
    assert response.status_code == 200
    ids = [a.id for a in client.list_accounts(org.ListAccountsRequest()).accounts]
    assert ids == [management.account_id]
    member_client = clients.organizations(server.url, member)
    error = _error(lambda: member_client.show_organization(org.ShowOrganizationRequest()))
    assert error.error_code == "Organizations.1015"
    # Still an account of its own: it can found an organization.
    assert create_organization(server, member).management_account_id == member.account_id


def test_the_management_account_cannot_be_removed(server, account) -> None:
    create_organization(server, account)
    client = clients.organizations(server.url, account)
    error = _error(
        lambda: client.remove_account(org.RemoveAccountRequest(account_id=account.account_id))
    )
    assert (error.status_code, error.error_code) == (400, "Organizations.1303")


def test_a_delegated_administrator_cannot_be_removed(server) -> None:
    management, member = organization_with_member(server)
    enable_trusted_service(server, management)
    register_delegate(server, management, member.account_id)
    client = clients.organizations(server.url, management)
    error = _error(
        lambda: client.remove_account(org.RemoveAccountRequest(account_id=member.account_id))
    )
    assert (error.status_code, error.error_code) == (400, "Organizations.1304")


def test_only_the_management_account_creates_and_removes_accounts(server) -> None:
    management, member = organization_with_member(server)
    other = create_member(server, management)
    client = clients.organizations(server.url, member)
    for call in (
        lambda: _create(client, unique_name("x")),
        lambda: client.remove_account(org.RemoveAccountRequest(account_id=other.account_id)),
    ):
        error = _error(call)
        assert (error.status_code, error.error_code) == (401, "Organizations.1001")
