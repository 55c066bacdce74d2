"""Parallel writers: database constraints and row locks keep the rules, and the losers get a
clear 4xx, never a 500."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as m

from tests import clients, personas


def _outcomes(calls) -> list[int]:
    def run(call):
        try:
            call()
            return 201
        except ClientRequestException as error:
            return error.status_code

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_parallel_users_of_one_name_make_one_user(server, account) -> None:
    name = f"same-{uuid.uuid4().hex[:8]}"
    option = m.CreateUserOption(name=name, domain_id=account.account_id)
    request = m.CreateUserRequest(body=m.CreateUserRequestBody(user=option))
    calls = [lambda: clients.iam(server.url, account).create_user(request) for _ in range(6)]
    assert sorted(_outcomes(calls)) == [201] + [400] * 5


def test_parallel_key_creations_never_exceed_two_keys(server, account) -> None:
    user = personas.iam_user(server, account)  # holds one key already
    request = m.CreatePermanentAccessKeyRequest(
        body=m.CreatePermanentAccessKeyRequestBody(
            credential=m.CreateCredentialOption(user_id=user.user_id)
        )
    )
    calls = [
        lambda: clients.iam(server.url, account).create_permanent_access_key(request)
        for _ in range(6)
    ]
    assert sorted(_outcomes(calls)) == [201] + [400] * 5


def test_parallel_identical_grants_make_one_grant(server, account) -> None:
    group_id = personas.group_with_roles(server, account, [])
    guest = personas.system_role(server, account, "Tenant Guest")
    request = m.KeystoneAssociateGroupWithDomainPermissionRequest(
        domain_id=account.account_id, group_id=group_id, role_id=guest.id
    )
    calls = [
        lambda: clients.iam(server.url, account).keystone_associate_group_with_domain_permission(
            request
        )
        for _ in range(6)
    ]
    assert _outcomes(calls) == [201] * 6
    roles = clients.iam(server.url, account).keystone_list_domain_permissions_for_group(
        m.KeystoneListDomainPermissionsForGroupRequest(
            domain_id=account.account_id, group_id=group_id
        )
    )
    assert [r.id for r in roles.roles] == [guest.id]
