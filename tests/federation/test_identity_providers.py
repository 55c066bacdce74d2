"""Identity providers through python-keystoneclient: Keystone's contract with Huawei's rules."""

from __future__ import annotations

import pytest
from keystoneauth1 import exceptions as ks

from tests.federation.conftest import http, password_token, remote_id


def test_creating_an_identity_provider_answers_201_with_keystone_and_huawei_fields(
    server, keystone, account
) -> None:
    acme = remote_id("acme")
    idp = keystone.federation.identity_providers.create(
        "ACME", description="Stores ACME identities", enabled=True, remote_ids=[acme]
    )
    assert idp.id == "ACME"
    assert idp.description == "Stores ACME identities"
    assert idp.enabled is True
    assert idp.remote_ids == [acme]
    assert idp.sso_type == "virtual_user_sso"
    assert idp.domain_id not in (None, account.account_id)  # a domain of its own
    assert idp.links == {
        "self": f"{server.url}/v3/OS-FEDERATION/identity_providers/ACME",
        "protocols": f"{server.url}/v3/OS-FEDERATION/identity_providers/ACME/protocols",
    }


def test_a_new_identity_provider_is_disabled_unless_told_otherwise(keystone) -> None:
    idp = keystone.federation.identity_providers.create("quiet")
    assert idp.enabled is False
    assert idp.remote_ids == []
    assert keystone.federation.identity_providers.get("quiet").enabled is False


def test_the_put_answers_201(server, root_token) -> None:
    with http(server, root_token) as client:
        response = client.put("/v3/OS-FEDERATION/identity_providers/raw", json={})
    assert response.status_code == 201
    assert response.json()["identity_provider"]["id"] == "raw"


def test_listing_filters_by_id_and_enabled(server, keystone, root_token) -> None:
    providers = keystone.federation.identity_providers
    providers.create("on-1", enabled=True)
    providers.create("on-2", enabled=True)
    providers.create("off-1", enabled=False)
    assert sorted(i.id for i in providers.list()) == ["off-1", "on-1", "on-2"]
    assert sorted(i.id for i in providers.list(enabled=True)) == ["on-1", "on-2"]
    assert [i.id for i in providers.list(enabled=False)] == ["off-1"]
    # keystoneclient refuses an id filter; openstacksdk and plain HTTP send it.
    with http(server, root_token) as client:
        listed = client.get("/v3/OS-FEDERATION/identity_providers", params={"id": "on-2"}).json()
    assert [i["id"] for i in listed["identity_providers"]] == ["on-2"]


def test_updating_changes_description_enabled_and_remote_ids(keystone) -> None:
    providers = keystone.federation.identity_providers
    a, b, c = remote_id("a"), remote_id("b"), remote_id("c")
    providers.create("ACME", remote_ids=[a, b])
    updated = providers.update("ACME", description="new", enabled=True, remote_ids=[b, c])
    assert (updated.description, updated.enabled, updated.remote_ids) == ("new", True, [b, c])
    shown = providers.get("ACME")
    assert (shown.description, shown.enabled, shown.remote_ids) == ("new", True, [b, c])


def test_sso_type_cannot_change(keystone) -> None:
    keystone.federation.identity_providers.create("ACME")
    with pytest.raises(ks.BadRequest):
        keystone.federation.identity_providers.update("ACME", sso_type="iam_user_sso")
    same = keystone.federation.identity_providers.update("ACME", sso_type="virtual_user_sso")
    assert same.sso_type == "virtual_user_sso"


def test_domain_id_cannot_change(keystone) -> None:
    keystone.federation.identity_providers.create("ACME")
    with pytest.raises(ks.BadRequest):
        keystone.federation.identity_providers.update("ACME", domain_id="other")


def test_an_identity_provider_id_exists_once_per_account(server, keystone, account) -> None:
    keystone.federation.identity_providers.create("ACME")
    with pytest.raises(ks.Conflict):
        keystone.federation.identity_providers.create("ACME")
    other = server.new_account()
    token = password_token(server, other.account_name, other.user_name, other.password)
    from tests import clients

    theirs = clients.keystone(server.url, token).federation.identity_providers.create("ACME")
    assert theirs.domain_id not in (account.account_id, other.account_id, None)


def test_remote_ids_are_unique_across_the_deployment(server, keystone) -> None:
    shared = remote_id("shared")
    keystone.federation.identity_providers.create("first", remote_ids=[shared])
    with pytest.raises(ks.Conflict):
        keystone.federation.identity_providers.create("second", remote_ids=[shared])
    other = server.new_account()
    token = password_token(server, other.account_name, other.user_name, other.password)
    from tests import clients

    with pytest.raises(ks.Conflict):
        clients.keystone(server.url, token).federation.identity_providers.create(
            "ACME", remote_ids=[shared]
        )
    second = keystone.federation.identity_providers.create("second")
    with pytest.raises(ks.Conflict):
        keystone.federation.identity_providers.update(second, remote_ids=[shared])
    assert keystone.federation.identity_providers.get("second").remote_ids == []


def test_a_remote_id_is_free_again_once_its_provider_is_gone(keystone) -> None:
    providers = keystone.federation.identity_providers
    reused = remote_id("reused")
    providers.create("first", remote_ids=[reused])
    providers.delete("first")
    assert providers.create("second", remote_ids=[reused]).remote_ids == [reused]


def test_repeated_remote_ids_in_one_request_are_rejected(keystone) -> None:
    with pytest.raises(ks.BadRequest):
        keystone.federation.identity_providers.create("ACME", remote_ids=["x", "x"])


def test_the_domain_is_the_callers_account_and_no_other(server, keystone, account) -> None:
    mine = keystone.federation.identity_providers.create("mine", domain_id=account.account_id)
    assert mine.domain_id == account.account_id
    other = server.new_account()
    with pytest.raises(ks.Forbidden):
        keystone.federation.identity_providers.create("theirs", domain_id=other.account_id)


def test_ids_with_unsafe_characters_are_rejected(server, root_token) -> None:
    with http(server, root_token) as client:
        response = client.put("/v3/OS-FEDERATION/identity_providers/a%20b", json={})
        too_long = client.put(f"/v3/OS-FEDERATION/identity_providers/{'x' * 65}", json={})
    assert response.status_code == 400
    assert response.json()["error_code"] == "IAM.0007"
    assert too_long.status_code == 400


def test_unknown_properties_are_rejected(server, root_token) -> None:
    with http(server, root_token) as client:
        response = client.put(
            "/v3/OS-FEDERATION/identity_providers/ACME",
            json={"identity_provider": {"colour": "blue"}},
        )
        listed = client.get("/v3/OS-FEDERATION/identity_providers").json()
    assert response.status_code == 400
    assert listed["identity_providers"] == []


def test_an_unknown_identity_provider_is_404(keystone) -> None:
    with pytest.raises(ks.NotFound):
        keystone.federation.identity_providers.get("nobody")
    with pytest.raises(ks.NotFound):
        keystone.federation.identity_providers.update("nobody", enabled=True)
    with pytest.raises(ks.NotFound):
        keystone.federation.identity_providers.delete("nobody")


def test_another_accounts_identity_provider_is_invisible(server, keystone) -> None:
    other = server.new_account()
    token = password_token(server, other.account_name, other.user_name, other.password)
    from tests import clients

    clients.keystone(server.url, token).federation.identity_providers.create("theirs")
    assert keystone.federation.identity_providers.list() == []
    with pytest.raises(ks.NotFound):
        keystone.federation.identity_providers.get("theirs")
    with pytest.raises(ks.NotFound):
        keystone.federation.identity_providers.delete("theirs")
