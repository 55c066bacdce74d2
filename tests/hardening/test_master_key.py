"""The store records which master key seals its secrets: `serve` and every command started
with another key refuse to start in one line, and a secret this server cannot open is a 401
for the caller and an error line for the operator, never a 500."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select, update

from idplane.iam.tables import AccessKey
from idplane.platform.crypto import SecretBox
from tests.conftest import _free_port
from tests.hardening.raw import call

OTHER_KEY = base64.b64encode(b"k" * 32).decode()


def _idplane(server, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "IDPLANE_DATA_DIR": str(server.data_dir),
        "IDPLANE_DATABASE_URL": server.database_url,
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "idplane", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _keys(server, account_id: str) -> int:
    with server.core.store.read() as session:
        return session.scalar(
            select(func.count()).select_from(AccessKey).where(AccessKey.account_id == account_id)
        )


def _refused(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "master key" in lines[0] and "check value" in lines[0]
    assert "IDPLANE_DATA_DIR" in lines[0]


def test_credentials_create_with_another_data_dir_refuses(server, account, tmp_path) -> None:
    before = _keys(server, account.account_id)
    done = _idplane(
        server,
        {"IDPLANE_DATA_DIR": str(tmp_path)},
        "credentials",
        "create",
        "--account",
        account.account_name,
    )
    _refused(done)
    assert _keys(server, account.account_id) == before


def test_a_command_with_another_master_key_refuses(server) -> None:
    _refused(_idplane(server, {"IDPLANE_MASTER_KEY": OTHER_KEY}, "audit", "tail"))


def test_serve_with_another_data_dir_refuses_to_start(server, tmp_path) -> None:
    port = str(_free_port())
    _refused(_idplane(server, {"IDPLANE_DATA_DIR": str(tmp_path)}, "serve", "--port", port))


def test_the_right_key_still_starts_commands(server, account) -> None:
    done = _idplane(server, {}, "credentials", "create", "--account", account.account_name)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def unreadable(server, account):
    """The account's key, its sealed secret replaced by one sealed with another key."""
    other = SecretBox(b"o" * 32)
    with server.core.store.transaction() as session:
        session.execute(
            update(AccessKey)
            .where(AccessKey.access == account.access_key)
            .values(secret_sealed=other.seal(account.secret_key))
        )
    return account


def test_a_secret_the_server_cannot_open_is_a_401_and_an_error_log(server, unreadable) -> None:
    response = call(server, unreadable, "GET", "/v3/auth/projects")
    assert response.status_code == 401, response.text
    assert response.json()["error_code"] == "APIGW.0301"
    log = (server.data_dir / "serve.log").read_text()
    assert f"the secret of access key {unreadable.access_key} cannot be opened" in log
