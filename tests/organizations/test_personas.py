"""Who may do what in Organizations: each account-level persona against a read and a write of
each operation family. "Passes" for a write that would be destructive means it got past the
role check and failed on the organization's state (e.g. deleting an organization that still
has members)."""

from __future__ import annotations

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkorganizations.v1 import model as org

from tests.org_personas import personas, unique_name

OK = "ok"
NOT_IN_ORG = (401, "Organizations.1015")
MANAGEMENT_ONLY = (401, "Organizations.1001")
ADMINS_ONLY = (401, "Organizations.1002")
EXPIRED = (401, "APIGW.0301")
POLICY_DENIED = (403, "Organizations.1007")


@pytest.fixture(scope="module")
def cast(server):
    return personas(server)


def _show_organization(client, cast):
    client.show_organization(org.ShowOrganizationRequest())


def _delete_organization(client, cast):
    client.delete_organization(org.DeleteOrganizationRequest())


def _list_roots(client, cast):
    client.list_roots(org.ListRootsRequest())


def _list_accounts(client, cast):
    client.list_accounts(org.ListAccountsRequest())


def _create_account(client, cast):
    body = org.CreateAccountReqBody(name=unique_name("matrix"))
    client.create_account(org.CreateAccountRequest(body=body))


def _list_create_account_statuses(client, cast):
    client.list_create_account_statuses(org.ListCreateAccountStatusesRequest())


def _list_trusted_services(client, cast):
    client.list_trusted_services(org.ListTrustedServicesRequest())


def _enable_trusted_service(client, cast):
    body = org.TrustedServiceReqBody(service_principal="service.AOM")
    client.enable_trusted_service(org.EnableTrustedServiceRequest(body=body))


def _list_delegated_administrators(client, cast):
    client.list_delegated_administrators(org.ListDelegatedAdministratorsRequest())


def _deregister_delegated_administrator(client, cast):
    body = org.DelegatedAdministratorReqBody(
        service_principal="service.AOM", account_id=cast["member"].account_id
    )
    client.deregister_delegated_administrator(
        org.DeregisterDelegatedAdministratorRequest(body=body)
    )


def _list_delegated_services(client, cast):
    request = org.ListDelegatedServicesRequest(account_id=cast["delegate"].account_id)
    client.list_delegated_services(request)


def _expect(management, delegate, member):
    return {
        "management": management,
        "temporary": management,
        "delegate": delegate,
        "member": member,
        "outsider": NOT_IN_ORG,
        "expired": EXPIRED,
        "iam_user": POLICY_DENIED,
    }


MATRIX = {
    "show_organization": (_show_organization, _expect(OK, OK, OK)),
    "delete_organization": (
        _delete_organization,
        _expect((400, "Organizations.1102"), MANAGEMENT_ONLY, MANAGEMENT_ONLY),
    ),
    "list_roots": (_list_roots, _expect(OK, OK, ADMINS_ONLY)),
    "list_accounts": (_list_accounts, _expect(OK, OK, ADMINS_ONLY)),
    "create_account": (_create_account, _expect(OK, MANAGEMENT_ONLY, MANAGEMENT_ONLY)),
    "list_create_account_statuses": (
        _list_create_account_statuses,
        _expect(OK, OK, ADMINS_ONLY),
    ),
    "list_trusted_services": (_list_trusted_services, _expect(OK, OK, ADMINS_ONLY)),
    "enable_trusted_service": (
        _enable_trusted_service,
        _expect(OK, MANAGEMENT_ONLY, MANAGEMENT_ONLY),
    ),
    "list_delegated_administrators": (
        _list_delegated_administrators,
        _expect(OK, OK, ADMINS_ONLY),
    ),
    "deregister_delegated_administrator": (
        _deregister_delegated_administrator,
        _expect((400, "Organizations.1500"), MANAGEMENT_ONLY, MANAGEMENT_ONLY),
    ),
    "list_delegated_services": (_list_delegated_services, _expect(OK, OK, ADMINS_ONLY)),
}
CASES = [(op, who) for op, (_call, expected) in MATRIX.items() for who in expected]


def outcome(call) -> object:
    try:
        call()
    except ClientRequestException as error:
        return (error.status_code, error.error_code)
    return OK


@pytest.mark.parametrize(("operation", "persona"), CASES, ids=[f"{o}-{p}" for o, p in CASES])
def test_persona_matrix(server, cast, operation, persona) -> None:
    call, expected = MATRIX[operation]
    client = cast[persona].organizations(server)
    assert outcome(lambda: call(client, cast)) == expected[persona]
