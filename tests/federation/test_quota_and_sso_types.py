"""Huawei's account rules: ten identity providers at most; virtual_user_sso and iam_user_sso
never together; one iam_user_sso at most. They hold under concurrent creators too."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from keystoneauth1 import exceptions as ks

from tests.federation.conftest import http


def test_an_account_holds_at_most_ten_identity_providers(server, keystone, root_token) -> None:
    for number in range(10):
        keystone.federation.identity_providers.create(f"idp-{number}")
    with http(server, root_token) as client:
        response = client.put("/v3/OS-FEDERATION/identity_providers/idp-10", json={})
    assert response.status_code == 400
    assert "maximum" in response.json()["error_msg"]
    keystone.federation.identity_providers.delete("idp-3")
    assert keystone.federation.identity_providers.create("idp-10").id == "idp-10"


def test_concurrent_creators_never_exceed_the_quota(server, root_token) -> None:
    def create(number: int) -> int:
        response = httpx.put(
            f"{server.url}/v3/OS-FEDERATION/identity_providers/race-{number}",
            headers={"X-Auth-Token": root_token},
            json={},
            timeout=60,
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(create, range(16)))
    assert statuses.count(201) == 10
    assert set(statuses) == {201, 400}
    listed = httpx.get(
        f"{server.url}/v3/OS-FEDERATION/identity_providers",
        headers={"X-Auth-Token": root_token},
        timeout=30,
    ).json()
    assert len(listed["identity_providers"]) == 10


def test_iam_user_sso_and_virtual_user_sso_never_coexist(server, root_token) -> None:
    base = "/v3/OS-FEDERATION/identity_providers"
    with http(server, root_token) as client:
        first = client.put(f"{base}/virtual", json={"identity_provider": {}})
        mixed = client.put(f"{base}/iam", json={"identity_provider": {"sso_type": "iam_user_sso"}})
        assert first.status_code == 201
        assert mixed.status_code == 400
        assert "coexist" in mixed.json()["error_msg"]
        assert client.delete(f"{base}/virtual").status_code == 204
        iam = client.put(f"{base}/iam", json={"identity_provider": {"sso_type": "iam_user_sso"}})
        assert iam.status_code == 201
        assert iam.json()["identity_provider"]["sso_type"] == "iam_user_sso"
        virtual = client.put(f"{base}/virtual", json={})
        assert virtual.status_code == 400


def test_an_account_has_one_iam_user_sso_provider_at_most(server, root_token) -> None:
    base = "/v3/OS-FEDERATION/identity_providers"
    body = {"identity_provider": {"sso_type": "iam_user_sso"}}
    with http(server, root_token) as client:
        assert client.put(f"{base}/one", json=body).status_code == 201
        second = client.put(f"{base}/two", json=body)
    assert second.status_code == 400
    assert "at most one" in second.json()["error_msg"]


def test_an_unknown_sso_type_is_rejected(keystone) -> None:
    with pytest.raises(ks.BadRequest):
        keystone.federation.identity_providers.create("ACME", sso_type="magic")


def test_concurrent_deletes_free_one_quota_slot_only(server, root_token) -> None:
    base = f"{server.url}/v3/OS-FEDERATION/identity_providers"
    headers = {"X-Auth-Token": root_token}
    for number in range(10):
        httpx.put(f"{base}/idp-{number}", headers=headers, json={}, timeout=30).raise_for_status()

    def delete(_: int) -> int:
        return httpx.delete(f"{base}/idp-0", headers=headers, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(delete, range(6)))
    assert statuses == [204, 404, 404, 404, 404, 404]
    assert httpx.put(f"{base}/new-1", headers=headers, json={}, timeout=30).status_code == 201
    assert httpx.put(f"{base}/new-2", headers=headers, json={}, timeout=30).status_code == 400
