"""Keystone 30's domain semantics for identity providers: one created without `domain_id`
gets a domain of its own, which can be disabled and deleted without touching the account."""

from __future__ import annotations

import pytest
from keystoneauth1 import exceptions as ks

from tests.federation.conftest import http, password_token


def test_an_identity_provider_without_domain_id_gets_a_domain_of_its_own(keystone, account):
    idp = keystone.federation.identity_providers.create("ACME", enabled=True)
    domain = keystone.domains.get(idp.domain_id)
    assert domain.id != account.account_id
    assert domain.name == idp.domain_id
    assert domain.description == "Auto generated federated domain for Identity Provider: ACME"
    assert domain.enabled is True
    listed = {d.id for d in keystone.domains.list()}
    assert listed == {account.account_id, idp.domain_id}


def test_a_second_provider_can_share_the_first_ones_domain(keystone) -> None:
    first = keystone.federation.identity_providers.create("first")
    second = keystone.federation.identity_providers.create("second", domain_id=first.domain_id)
    assert second.domain_id == first.domain_id


def test_an_unknown_domain_id_is_404(keystone) -> None:
    with pytest.raises(ks.NotFound):
        keystone.federation.identity_providers.create("ACME", domain_id="f" * 32)


def test_disabling_and_deleting_the_providers_domain_never_touches_the_account(
    server, account, root_token, keystone
) -> None:
    idp = keystone.federation.identity_providers.create("ACME", enabled=True)
    with pytest.raises(ks.Forbidden):  # Keystone: an enabled domain cannot be deleted
        keystone.domains.delete(idp.domain_id)
    disabled = keystone.domains.update(idp.domain_id, enabled=False)
    assert disabled.enabled is False
    keystone.domains.delete(idp.domain_id)
    # Keystone deletes the providers of a deleted domain.
    with pytest.raises(ks.NotFound):
        keystone.federation.identity_providers.get("ACME")
    assert [d.id for d in keystone.domains.list()] == [account.account_id]
    with http(server, root_token) as client:
        assert client.get(f"/v3/domains/{account.account_id}").status_code == 200
    assert password_token(server, account.account_name, account.user_name, account.password)


def test_another_accounts_provider_domain_is_out_of_reach(server, keystone) -> None:
    from tests import clients

    other = server.new_account()
    token = password_token(server, other.account_name, other.user_name, other.password)
    theirs = clients.keystone(server.url, token).federation.identity_providers.create("ACME")
    with pytest.raises(ks.Forbidden):
        keystone.domains.get(theirs.domain_id)
    with pytest.raises(ks.Forbidden):
        keystone.domains.update(theirs.domain_id, enabled=False)
    with pytest.raises(ks.Forbidden):
        keystone.federation.identity_providers.create("mine", domain_id=theirs.domain_id)
