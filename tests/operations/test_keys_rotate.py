"""`idplane keys rotate` re-seals every secret under a new master key while a server keeps
serving the store, and `idplane keys prune` then drops the old key: AK/SK signatures, SCIM
bearer tokens, MFA seeds and identity store private keys sealed before still work after."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from cryptography.exceptions import InvalidTag
from huaweicloudsdkiam.v3 import model as m
from huaweicloudsdkidentitycenterstore.v1 import model as ids
from sqlalchemy import select

from idplane.app import build_core
from idplane.config import load_settings
from idplane.operations.keys import sealed_tables
from idplane.platform.crypto import MasterKeys, SecretBox
from idplane.platform.db import Store
from tests import clients
from tests.conftest import Server, _create_pg_database, _drop_pg_database
from tests.identitystore.builders import create_user, new_directory
from tests.operations.conftest import serve


@contextmanager
def fresh_store(server, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A data directory and an empty store of the server's kind, for this test alone."""
    data_dir = tmp_path / "own"
    data_dir.mkdir()
    if not server.database_url.startswith("postgresql"):
        yield data_dir, f"sqlite:///{data_dir / 'idplane.db'}"
        return
    url, name = _create_pg_database()
    try:
        yield data_dir, url
    finally:
        _drop_pg_database(name)


def _idplane(data_dir: Path, url: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "IDPLANE_DATA_DIR": str(data_dir),
        "IDPLANE_DATABASE_URL": url,
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "idplane", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _signs(url: str, creds) -> bool:
    domains = clients.iam(url, creds).keystone_list_auth_domains(m.KeystoneListAuthDomainsRequest())
    return domains.domains[0].id == creds.account_id


def _opened(box: SecretBox, url: str) -> dict[str, int]:
    """How many sealed values each table holds; every one must open with `box`."""
    store = Store(url)
    counts: dict[str, int] = {}
    with store.read() as session:
        for table, columns in sealed_tables():
            for row in session.execute(select(*(table.c[c] for c in columns))).all():
                for sealed in row:
                    if sealed is not None:
                        box.open(sealed)
                        counts[table.name] = counts.get(table.name, 0) + 1
    store.dispose()
    return counts


def _world(served, url: str, data_dir: Path):
    """An organization with its identity store: a user with an MFA registration (a sealed TOTP
    seed), an SP certificate (a sealed private key) and a SCIM bearer token."""
    settings = load_settings(database_url=url, data_dir=str(data_dir), public_url=served.url)
    core = build_core(settings)
    mine = Server(served.url, url, data_dir, None, core, served.process)  # type: ignore[arg-type]
    directory = new_directory(mine)
    store = directory.identity_store_id
    client = directory.client()
    user_id = create_user(directory)
    client.register_mfa_device_for_user(
        ids.RegisterMfaDeviceForUserRequest(identity_store_id=store, user_id=user_id)
    )
    client.create_sp_certificate(ids.CreateSpCertificateRequest(identity_store_id=store))
    tenant = json.loads(
        _idplane(
            data_dir,
            url,
            "scim",
            "tenants",
            "create",
            "--identity-store-id",
            store,
            "--json",
            IDPLANE_PUBLIC_URL=served.url,
        ).stdout
    )
    token = json.loads(
        _idplane(
            data_dir,
            url,
            "scim",
            "tokens",
            "create",
            "--identity-store-id",
            store,
            "--tenant-id",
            tenant["tenant_id"],
            "--json",
            IDPLANE_PUBLIC_URL=served.url,
        ).stdout
    )
    core.store.dispose()
    return directory, token


def _scim_answers(token: dict, served) -> int:
    path = token["scim_endpoint"].split("/", 3)[3].rstrip("/")
    users = f"{served.url}/{path}/Users"
    return httpx.get(users, headers={"Authorization": f"Bearer {token['token']}"}).status_code


def test_rotating_while_serving_keeps_every_secret_and_the_old_key_can_go(server, tmp_path) -> None:
    with fresh_store(server, tmp_path) as (data_dir, url):
        key_file = data_dir / "master.key"
        with serve(server, database_url=url, IDPLANE_DATA_DIR=str(data_dir)) as served:
            directory, token = _world(served, url, data_dir)
            old = MasterKeys.from_text(key_file.read_text()).all()
            assert _signs(served.url, directory.management)

            done = _idplane(data_dir, url, "keys", "rotate")
            assert done.returncode == 0, done.stderr
            ring = MasterKeys.from_text(key_file.read_text()).all()
            assert len(ring) == 2 and ring[1:] == old
            # The running server follows the key file: it opens what the rotation sealed.
            assert _signs(served.url, directory.management)
            assert _scim_answers(token, served) == 200

            done = _idplane(data_dir, url, "keys", "prune")
            assert done.returncode == 0, done.stderr
            assert MasterKeys.from_text(key_file.read_text()).all() == ring[:1]
            assert _signs(served.url, directory.delegate)

        counts = _opened(SecretBox(ring[:1]), url)  # the new key alone opens every secret
        assert counts["access_keys"] >= 2
        assert counts["signin_mfa_devices"] == 1
        assert counts["store_sp_certs"] == 1
        with pytest.raises(InvalidTag):  # and the old key opens none of them
            _opened(SecretBox(old), url)

        with serve(server, database_url=url, IDPLANE_DATA_DIR=str(data_dir)) as restarted:
            assert _signs(restarted.url, directory.management)
            assert _scim_answers(token, restarted) == 200


def test_a_server_given_only_the_old_key_after_a_rotation_refuses_to_start(
    server, tmp_path
) -> None:
    with fresh_store(server, tmp_path) as (data_dir, url):
        assert _idplane(data_dir, url, "accounts", "create", "--name", "k").returncode == 0
        old = (data_dir / "master.key").read_text().strip()
        env = {"IDPLANE_MASTER_KEY": old}
        rotated = _idplane(data_dir, url, "keys", "rotate", **env)
        assert rotated.returncode == 0, rotated.stderr
        value = rotated.stdout.strip().splitlines()[-1]
        assert value.endswith("," + old)
        refused = _idplane(data_dir, url, "accounts", "list", **env)
        assert refused.returncode == 2 and "check value" in refused.stderr
        assert _idplane(data_dir, url, "accounts", "list", IDPLANE_MASTER_KEY=value).returncode == 0
        pruned = _idplane(data_dir, url, "keys", "prune", IDPLANE_MASTER_KEY=value)
        new = pruned.stdout.strip().splitlines()[-1]
        assert new == value.split(",")[0]
        listed = _idplane(data_dir, url, "accounts", "list", "--json", IDPLANE_MASTER_KEY=new)
        assert "k" in {a["name"] for a in json.loads(listed.stdout)}
