"""`POST /idplane/testing/reset` on a server started with `--enable-test-reset`: every account
and credential is gone, and the server keeps serving on the same (emptied) store."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as m

from idplane.iam.service import AccountCredentials
from tests import clients
from tests.testkit.serving import Served, serve

# One wheel, venv or server for the whole module: keep it on one xdist worker.
pytestmark = pytest.mark.xdist_group("testkit-reset-route")


@pytest.fixture(scope="module")
def test_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serve(tmp_path_factory.mktemp("reset"), "--ephemeral", "--enable-test-reset") as served:
        yield served


def _new_account(served: Served, name: str | None = None) -> AccountCredentials:
    answer = httpx.post(f"{served.url}/idplane/testing/accounts", json={"name": name})
    assert answer.status_code == 201, answer.text
    return AccountCredentials(**answer.json())


def _auth_domains(served: Served, creds: AccountCredentials) -> list[str]:
    client = clients.iam(served.url, creds)
    response = client.keystone_list_auth_domains(m.KeystoneListAuthDomainsRequest())
    return [domain.name for domain in response.domains]


def test_the_accounts_route_gives_working_root_credentials(test_server) -> None:
    creds = _new_account(test_server, "route-made")
    assert creds.endpoint == test_server.url
    assert _auth_domains(test_server, creds) == ["route-made"]


def test_after_a_reset_old_credentials_no_longer_sign_and_names_are_free_again(
    test_server,
) -> None:
    before = _new_account(test_server, "reset-me")
    assert httpx.post(f"{test_server.url}/idplane/testing/reset").status_code == 204
    with pytest.raises(ClientRequestException) as refused:
        _auth_domains(test_server, before)
    assert refused.value.status_code == 401
    again = _new_account(test_server, "reset-me")
    assert again.account_id != before.account_id
    assert _auth_domains(test_server, again) == ["reset-me"]
