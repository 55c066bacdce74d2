"""The `idplane` command: bootstrap, accounts, credentials, migrate, audit, serve."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
from huaweicloudsdkiam.v3 import model as m

from idplane.iam.service import AccountCredentials
from tests import clients
from tests.conftest import _free_port, _wait_until_serving

FIELDS = {
    "account_id",
    "account_name",
    "user_id",
    "user_name",
    "password",
    "access_key",
    "secret_key",
    "project_id",
    "region",
    "endpoint",
}


def idplane(server, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "IDPLANE_DATA_DIR": str(server.data_dir),
        "IDPLANE_DATABASE_URL": server.database_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "idplane", *args],
        env=env,
        check=check,
        capture_output=True,
        text=True,
    )


def _creds(output: str, server) -> AccountCredentials:
    creds = AccountCredentials(**json.loads(output))
    creds.endpoint = server.url
    return creds


def test_bootstrap_is_idempotent_and_never_prints_existing_secrets_again(server) -> None:
    first = json.loads(idplane(server, "bootstrap", "--account-name", "boot-x", "--json").stdout)
    assert set(first) == FIELDS
    assert first["project_id"] and first["region"] == "cn-north-4"
    again = idplane(server, "bootstrap", "--account-name", "boot-x", "--json")
    shown = json.loads(again.stdout)
    assert shown["account_id"] == first["account_id"] and shown["existing"] is True
    assert shown["secret_key"] is None and shown["password"] is None
    assert first["secret_key"] not in again.stdout + again.stderr
    assert "idplane credentials create --account boot-x" in again.stderr
    text = idplane(server, "bootstrap", "--account-name", "boot-x").stdout
    assert first["secret_key"] not in text and "exists" in text


def test_bootstrap_with_a_password_and_keys_uses_them(server) -> None:
    output = idplane(
        server,
        "bootstrap",
        "--account-name",
        "boot-y",
        "--password",
        "Pw#123456789",
        "--access-key",
        "BOOTYACCESSKEY000001",
        "--secret-key",
        "s" * 40,
        "--json",
    ).stdout
    creds = _creds(output, server)
    assert (creds.access_key, creds.password) == ("BOOTYACCESSKEY000001", "Pw#123456789")
    domains = clients.iam(server.url, creds).keystone_list_auth_domains(
        m.KeystoneListAuthDomainsRequest()
    )
    assert domains.domains[0].name == "boot-y"


def test_accounts_create_makes_a_working_standalone_account(server) -> None:
    creds = _creds(
        idplane(server, "accounts", "create", "--name", "cli-acct", "--json").stdout, server
    )
    domains = clients.iam(server.url, creds).keystone_list_auth_domains(
        m.KeystoneListAuthDomainsRequest()
    )
    assert domains.domains[0].id == creds.account_id
    duplicate = idplane(server, "accounts", "create", "--name", "cli-acct", check=False)
    assert duplicate.returncode == 1
    assert "already exists" in duplicate.stderr


def test_credentials_create_gives_the_root_user_a_new_working_key(server, account) -> None:
    output = idplane(
        server, "credentials", "create", "--account", account.account_name, "--json"
    ).stdout
    creds = _creds(output, server)
    assert creds.access_key != account.access_key
    assert creds.account_id == account.account_id
    domains = clients.iam(server.url, creds).keystone_list_auth_domains(
        m.KeystoneListAuthDomainsRequest()
    )
    assert domains.domains[0].id == account.account_id


def test_migrate_on_a_current_store_changes_nothing(server) -> None:
    assert "newest schema" in idplane(server, "migrate").stdout


def test_the_audit_trail_records_mutating_calls(server, account) -> None:
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": account.user_name,
                        "password": "wrong",
                        "domain": {"name": account.account_name},
                    }
                },
            }
        }
    }
    failed = httpx.post(f"{server.url}/v3/auth/tokens", json=body)
    token = httpx.post(
        f"{server.url}/v3/auth/tokens",
        json={
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {
                            "name": account.user_name,
                            "password": account.password,
                            "domain": {"name": account.account_name},
                        }
                    },
                }
            }
        },
    ).headers["X-Subject-Token"]
    revoked = httpx.delete(
        f"{server.url}/v3/auth/tokens", headers={"X-Auth-Token": token, "X-Subject-Token": token}
    )
    lines = idplane(server, "audit", "tail", "-n", "200", "--json").stdout.splitlines()
    events = {e["request_id"]: e for e in map(json.loads, lines)}
    assert events[failed.headers["X-Request-Id"]]["outcome"] == "failure"
    revoke = events[revoked.headers["X-Request-Id"]]
    assert revoke["outcome"] == "success"
    assert revoke["action"] == "keystone_revoke_token"
    assert revoke["account_id"] == account.account_id
    assert revoke["user_id"] == account.user_id
    assert token not in "\n".join(lines)


def test_serve_on_an_empty_store_bootstraps_and_prints_credentials_once(tmp_path) -> None:
    port = _free_port()
    env = {**os.environ, "IDPLANE_DATA_DIR": str(tmp_path)}
    env.pop("IDPLANE_DATABASE_URL", None)
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "idplane", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(f"http://127.0.0.1:{port}", process, log)
        printed = dict(
            line.strip().split(": ", 1)
            for line in log.read_text().splitlines()
            if ": " in line and line.startswith(" ")
        )
        assert {"access_key", "secret_key", "password", "account_id"} <= set(printed)
        assert (tmp_path / "idplane.db").exists()
        assert (tmp_path / "master.key").exists()
        assert printed["secret_key"] not in (tmp_path / "idplane.db").read_bytes().decode("latin-1")
    finally:
        process.terminate()
        process.wait(timeout=15)
