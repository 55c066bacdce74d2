"""Concurrent starts: the database's one-instance-per-organization constraint decides."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkidentitycenter.v1 import model as ic

from tests import clients
from tests.org_personas import create_organization


def _start(server, creds) -> object:
    try:
        clients.identitycenter(server.url, creds).start_identity_center(
            ic.StartIdentityCenterRequest()
        )
    except ClientRequestException as error:
        return (error.status_code, error.error_code)
    return "ok"


def test_concurrent_starts_make_exactly_one_instance(server, account) -> None:
    create_organization(server, account)
    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(lambda _: _start(server, account), range(6)))
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {(409, "IIC.1257")}
    instances = clients.identitycenter(server.url, account).list_instances(
        ic.ListInstancesRequest()
    )
    assert len(instances.instances) == 1
