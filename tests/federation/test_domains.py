"""Keystone's /v3/domains, where each account is a domain: callers see and change only their
own account; an enabled domain cannot be deleted; an account never disables itself."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from keystoneauth1 import exceptions as ks

from tests.federation.conftest import http, password_token


def test_the_only_domain_listed_is_the_callers_account(server, keystone, account) -> None:
    server.new_account()
    domains = keystone.domains.list()
    assert [(d.id, d.name, d.enabled) for d in domains] == [
        (account.account_id, account.account_name, True)
    ]
    assert keystone.domains.list(name="someone-else") == []
    assert [d.id for d in keystone.domains.list(enabled=True)] == [account.account_id]


def test_the_callers_domain_is_shown_and_others_are_forbidden(server, keystone, account) -> None:
    shown = keystone.domains.get(account.account_id)
    assert (shown.name, shown.links["self"]) == (
        account.account_name,
        f"{server.url}/v3/domains/{account.account_id}",
    )
    other = server.new_account()
    with pytest.raises(ks.Forbidden):
        keystone.domains.get(other.account_id)
    with pytest.raises(ks.Forbidden):
        keystone.domains.get("no-such-domain")
    with pytest.raises(ks.Forbidden):
        keystone.domains.update(other.account_id, description="mine now")


def test_the_description_can_change_but_not_the_name(keystone, account) -> None:
    updated = keystone.domains.update(account.account_id, description="Our account")
    assert updated.description == "Our account"
    assert keystone.domains.get(account.account_id).description == "Our account"
    with pytest.raises(ks.BadRequest):
        keystone.domains.update(account.account_id, name="renamed")
    same = keystone.domains.update(account.account_id, name=account.account_name)
    assert same.name == account.account_name


def test_an_enabled_domain_cannot_be_deleted(keystone, account) -> None:
    with pytest.raises(ks.Forbidden) as raised:
        keystone.domains.delete(account.account_id)
    assert "disable it first" in str(raised.value)
    assert keystone.domains.get(account.account_id).enabled is True


def test_an_account_cannot_disable_its_own_domain(server, account, root_token) -> None:
    with http(server, root_token) as client:
        response = client.patch(
            f"/v3/domains/{account.account_id}", json={"domain": {"enabled": False}}
        )
        assert response.status_code == 403
        assert "lock it out" in response.json()["error_msg"]
        after = client.get(f"/v3/domains/{account.account_id}")
    assert after.status_code == 200
    assert after.json()["domain"]["enabled"] is True
    assert password_token(server, account.account_name, account.user_name, account.password)


def operator(server, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "idplane", "accounts", *args],
        env={
            **os.environ,
            "IDPLANE_DATABASE_URL": server.database_url,
            "IDPLANE_DATA_DIR": str(server.data_dir),
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_only_the_operator_disables_and_enables_an_account(server, account) -> None:
    operator(server, "disable", "--name", account.account_name)
    with pytest.raises(AssertionError):
        password_token(server, account.account_name, account.user_name, account.password)
    assert "is enabled" in operator(server, "enable", "--name", account.account_name)
    fresh = password_token(server, account.account_name, account.user_name, account.password)
    with http(server, fresh) as client:
        assert client.get(f"/v3/domains/{account.account_id}").json()["domain"]["enabled"]


def test_an_iam_user_without_policies_cannot_read_or_change_the_domain(
    server, account, plain_user_token
) -> None:
    with http(server, plain_user_token) as client:
        listed = client.get("/v3/domains")
        patched = client.patch(
            f"/v3/domains/{account.account_id}", json={"domain": {"enabled": False}}
        )
    assert (listed.status_code, patched.status_code) == (403, 403)


def test_federated_domains_and_projects_name_the_callers_account(server, root_token, account):
    with http(server, root_token) as client:
        domains = client.get("/v3/OS-FEDERATION/domains").json()["domains"]
        projects = client.get("/v3/OS-FEDERATION/projects").json()["projects"]
    assert [d["id"] for d in domains] == [account.account_id]
    assert [p["id"] for p in projects] == [account.project_id]
