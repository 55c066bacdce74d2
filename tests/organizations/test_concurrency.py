"""Concurrent writes to an organization: constraints, not locks, keep it consistent."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkorganizations.v1 import model as org

from tests import clients
from tests.org_personas import (
    create_organization,
    enable_trusted_service,
    organization_with_member,
    register_delegate,
)


def _outcome(call) -> object:
    try:
        call()
    except ClientRequestException as error:
        return (error.status_code, error.error_code)
    return "ok"


def test_concurrent_organization_creation_makes_one_organization(server, account) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(
            pool.map(lambda _: _outcome(lambda: create_organization(server, account)), range(6))
        )
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {(409, "Organizations.1101")}


def test_concurrent_registrations_register_once(server) -> None:
    management, member = organization_with_member(server)
    enable_trusted_service(server, management)

    def register(_):
        return _outcome(lambda: register_delegate(server, management, member.account_id))

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(register, range(6)))
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {(409, "Organizations.1501"), (409, "Organizations.1003")}
    listed = clients.organizations(server.url, management).list_delegated_administrators(
        org.ListDelegatedAdministratorsRequest()
    )
    assert len(listed.delegated_administrators) == 1
