"""Trusted services and delegated administrators through the official Organizations SDK."""

from __future__ import annotations

import re

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkorganizations.v1 import model as org

from tests import clients
from tests.org_personas import (
    IDENTITY_CENTER,
    create_member,
    deregister_delegate,
    enable_trusted_service,
    organization_with_member,
    register_delegate,
)


def _error(call) -> ClientRequestException:
    with pytest.raises(ClientRequestException) as raised:
        call()
    return raised.value


def _is_utc_time(value) -> bool:
    """The SDK parses times with python-dateutil when installed, else hands the string over."""
    if isinstance(value, str):
        return re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value) is not None
    return value.tzinfo is not None


def _principals(client) -> list[str]:
    listed = client.list_trusted_services(org.ListTrustedServicesRequest()).trusted_services
    return [t.service_principal for t in listed]


def test_trusted_services_are_enabled_listed_and_disabled(server) -> None:
    management, _member = organization_with_member(server)
    client = clients.organizations(server.url, management)
    enable_trusted_service(server, management, "service.AOM")
    enable_trusted_service(server, management, IDENTITY_CENTER)
    enable_trusted_service(server, management, IDENTITY_CENTER)  # idempotent
    listed = client.list_trusted_services(org.ListTrustedServicesRequest()).trusted_services
    assert [t.service_principal for t in listed] == ["service.AOM", IDENTITY_CENTER]
    assert all(_is_utc_time(t.enabled_at) for t in listed)
    client.disable_trusted_service(
        org.DisableTrustedServiceRequest(
            body=org.TrustedServiceReqBody(service_principal="service.AOM")
        )
    )
    assert _principals(client) == [IDENTITY_CENTER]


def test_disabling_a_service_that_is_not_trusted_is_a_400(server) -> None:
    management, _member = organization_with_member(server)
    client = clients.organizations(server.url, management)
    body = org.TrustedServiceReqBody(service_principal="service.AOM")
    error = _error(
        lambda: client.disable_trusted_service(org.DisableTrustedServiceRequest(body=body))
    )
    assert (error.status_code, error.error_code) == (400, "Organizations.1900")


def test_a_malformed_service_principal_is_a_400(server) -> None:
    management, _member = organization_with_member(server)
    client = clients.organizations(server.url, management)
    for principal in ("IdentityCenter", "service.", "service." + "x" * 100):
        body = org.TrustedServiceReqBody(service_principal=principal)
        error = _error(
            lambda body=body: client.enable_trusted_service(
                org.EnableTrustedServiceRequest(body=body)
            )
        )
        assert (error.status_code, error.error_code) == (400, "Organizations.1000")


def test_a_registered_delegate_is_listed_with_its_services(server) -> None:
    management, member = organization_with_member(server)
    enable_trusted_service(server, management)
    enable_trusted_service(server, management, "service.AOM")
    register_delegate(server, management, member.account_id)
    register_delegate(server, management, member.account_id, "service.AOM")
    client = clients.organizations(server.url, management)
    delegates = client.list_delegated_administrators(
        org.ListDelegatedAdministratorsRequest(service_principal=IDENTITY_CENTER)
    ).delegated_administrators
    assert [(d.account_id, d.account_name, d.join_method) for d in delegates] == [
        (member.account_id, member.account_name, "created")
    ]
    assert delegates[0].account_urn.endswith(f"/{member.account_id}")
    services = client.list_delegated_services(
        org.ListDelegatedServicesRequest(account_id=member.account_id)
    ).delegated_services
    assert [s.service_principal for s in services] == [IDENTITY_CENTER, "service.AOM"]
    # A delegate reads the organization's delegations too.
    own = clients.organizations(server.url, member).list_delegated_services(
        org.ListDelegatedServicesRequest(account_id=member.account_id)
    )
    assert len(own.delegated_services) == 2


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("management account itself", 400, "Organizations.1502"),
        ("not a member", 404, "Organizations.1301"),
        ("service not trusted", 400, "Organizations.1900"),
        ("already registered", 409, "Organizations.1501"),
    ],
)
def test_registration_is_refused(server, case, status, code) -> None:
    management, member = organization_with_member(server)
    enable_trusted_service(server, management)
    principal, account_id = IDENTITY_CENTER, member.account_id
    if case == "management account itself":
        account_id = management.account_id
    elif case == "not a member":
        account_id = server.new_account().account_id
    elif case == "service not trusted":
        principal = "service.AOM"
    else:
        register_delegate(server, management, member.account_id)
    error = _error(lambda: register_delegate(server, management, account_id, principal))
    assert (error.status_code, error.error_code) == (status, code)


def test_only_the_management_account_registers_delegates(server) -> None:
    management, member = organization_with_member(server)
    enable_trusted_service(server, management)
    other = create_member(server, management)
    register_delegate(server, management, member.account_id)
    for caller in (member, other):  # even a delegate cannot delegate further
        error = _error(lambda caller=caller: register_delegate(server, caller, other.account_id))
        assert (error.status_code, error.error_code) == (401, "Organizations.1001")


def test_deregistering_an_unregistered_delegate_is_a_400(server) -> None:
    management, member = organization_with_member(server)
    enable_trusted_service(server, management)
    error = _error(lambda: deregister_delegate(server, management, member.account_id))
    assert (error.status_code, error.error_code) == (400, "Organizations.1500")


def test_deregistering_ends_the_delegation(server) -> None:
    management, member = organization_with_member(server)
    enable_trusted_service(server, management)
    register_delegate(server, management, member.account_id)
    deregister_delegate(server, management, member.account_id)
    client = clients.organizations(server.url, management)
    listed = client.list_delegated_administrators(org.ListDelegatedAdministratorsRequest())
    assert listed.delegated_administrators == []
    member_client = clients.organizations(server.url, member)
    error = _error(lambda: member_client.list_accounts(org.ListAccountsRequest()))
    assert (error.status_code, error.error_code) == (401, "Organizations.1002")


def test_disabling_a_trusted_service_drops_its_delegations(server) -> None:
    management, member = organization_with_member(server)
    enable_trusted_service(server, management)
    register_delegate(server, management, member.account_id)
    client = clients.organizations(server.url, management)
    client.disable_trusted_service(
        org.DisableTrustedServiceRequest(
            body=org.TrustedServiceReqBody(service_principal=IDENTITY_CENTER)
        )
    )
    listed = client.list_delegated_administrators(org.ListDelegatedAdministratorsRequest())
    assert listed.delegated_administrators == []


def test_delegated_services_of_a_stranger_are_a_404(server) -> None:
    management, _member = organization_with_member(server)
    client = clients.organizations(server.url, management)
    stranger = server.new_account()
    error = _error(
        lambda: client.list_delegated_services(
            org.ListDelegatedServicesRequest(account_id=stranger.account_id)
        )
    )
    assert (error.status_code, error.error_code) == (404, "Organizations.1301")
