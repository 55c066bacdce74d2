"""The operator's commands: accounts list/show/disable/enable, credentials list/delete, SCIM
tenants and tokens for an identity store, and info. Each acts on the live store at once."""

from __future__ import annotations

import json

import httpx
import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as m

from tests import clients
from tests.identitystore.provisioning.support import organization_with_store
from tests.test_cli import idplane


def _domains(server, account):
    return clients.iam(server.url, account).keystone_list_auth_domains(
        m.KeystoneListAuthDomainsRequest()
    )


def test_accounts_list_and_show_name_every_account_with_counts(server, account) -> None:
    listed = json.loads(idplane(server, "accounts", "list", "--json").stdout)
    assert account.account_name in {a["name"] for a in listed}
    shown = json.loads(
        idplane(server, "accounts", "show", "--name", account.account_name, "--json").stdout
    )
    assert shown["id"] == account.account_id
    assert shown["enabled"] is True and shown["users"] == 1 and shown["access_keys"] == 1


def test_disabling_an_account_stops_its_keys_until_it_is_enabled(server, account) -> None:
    _domains(server, account)
    idplane(server, "accounts", "disable", "--name", account.account_name)
    with pytest.raises(ClientRequestException) as refused:
        _domains(server, account)
    assert refused.value.status_code == 401
    idplane(server, "accounts", "enable", "--name", account.account_name)
    assert _domains(server, account).domains[0].id == account.account_id


def test_credentials_list_never_shows_a_secret_and_delete_stops_the_key(server, account) -> None:
    result = idplane(server, "credentials", "list", "--account", account.account_name, "--json")
    keys = json.loads(result.stdout)
    assert [k["access"] for k in keys] == [account.access_key]
    assert account.secret_key not in result.stdout
    idplane(server, "credentials", "delete", "--access-key", account.access_key)
    with pytest.raises(ClientRequestException) as refused:
        _domains(server, account)
    assert refused.value.status_code == 401


def test_an_unknown_account_is_one_line_with_exit_1(server) -> None:
    result = idplane(server, "accounts", "show", "--name", "no-such-account", check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == "idplane: no account named no-such-account"


def test_scim_tenant_and_token_from_the_command_line_serve_an_identity_provider(
    server, monkeypatch
) -> None:
    monkeypatch.setenv("IDPLANE_PUBLIC_URL", server.url)  # as the operator's server is set up
    store_id = organization_with_store(server).identity_store_id
    tenant = json.loads(
        idplane(
            server, "scim", "tenants", "create", "--identity-store-id", store_id, "--json"
        ).stdout
    )
    listed = json.loads(
        idplane(server, "scim", "tenants", "list", "--identity-store-id", store_id, "--json").stdout
    )
    assert [t["tenant_id"] for t in listed] == [tenant["tenant_id"]]
    args = ("--identity-store-id", store_id, "--tenant-id", tenant["tenant_id"])
    issued = json.loads(idplane(server, "scim", "tokens", "create", *args, "--json").stdout)
    assert issued["scim_endpoint"] == tenant["scim_endpoint"]
    users = f"{issued['scim_endpoint'].rstrip('/')}/Users"
    bearer = {"Authorization": f"Bearer {issued['token']}"}
    assert httpx.get(users, headers=bearer).status_code == 200
    idplane(server, "scim", "tenants", "delete", *args)
    assert httpx.get(users, headers=bearer).status_code == 401


def test_info_names_the_store_without_its_password_and_the_schema(server) -> None:
    info = json.loads(idplane(server, "info", "--json").stdout)
    assert info["version"] and info["schema"]
    assert info["data_dir"] == str(server.data_dir)
    assert "@" not in info["store"] or ":***@" in info["store"] or "postgres@" in info["store"]
