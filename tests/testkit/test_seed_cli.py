"""`idplane seed`, `idplane export` and `idplane serve --seed` as a user types them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkidentitycenter.v1 import model as ic

from idplane.iam.service import AccountCredentials
from tests import clients
from tests.testkit.serving import serve
from tests.testkit.test_seed import EXAMPLE


def _idplane(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IDPLANE_")}
    env["IDPLANE_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "idplane", *args], env=env, capture_output=True, text=True
    )


def test_seed_then_export_on_the_command_line(tmp_path) -> None:
    seeded = _idplane(tmp_path, "seed", str(EXAMPLE), "--json")
    assert seeded.returncode == 0, seeded.stderr
    outcome = json.loads(seeded.stdout)
    assert outcome["accounts"]["acme"] == "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    assert outcome["credentials"]["acme"]["access_key"] == "AKACMEACMEACMEACME01"
    exported = tmp_path / "export.yaml"
    assert _idplane(tmp_path, "export", "-o", str(exported)).returncode == 0
    assert "user_name: alice" in exported.read_text()


def test_a_bad_seed_file_exits_with_its_line_and_field(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("accounts:\n  - name: a\n    colour: red\n")
    result = _idplane(tmp_path, "seed", str(bad))
    assert result.returncode == 1
    assert f"{bad}:3: accounts[0].colour: unknown field" in result.stderr
    assert "nothing was written" in result.stderr


def _instances(url: str, creds: AccountCredentials) -> list:
    return clients.identitycenter(url, creds).list_instances(ic.ListInstancesRequest()).instances


def test_serve_seed_serves_the_world_again_after_each_test_reset(tmp_path) -> None:
    flags = ("--ephemeral", "--enable-test-reset", "--seed", str(EXAMPLE))
    with serve(tmp_path, *flags) as served:
        acme = AccountCredentials(
            account_id="0a1b2c3d4e5f60718293a4b5c6d7e8f9",
            account_name="acme",
            user_id="",
            user_name="acme",
            password=None,
            access_key="AKACMEACMEACMEACME01",
            secret_key="acme-secret-key-for-tests-only-0123456789",
            project_id="",
            region="cn-north-4",
            endpoint=served.url,
        )
        (before,) = _instances(served.url, acme)
        other = httpx.post(f"{served.url}/idplane/testing/accounts", timeout=60).json()
        # A reset re-seeds the world: seconds on a loaded machine, beyond httpx's 5 s default.
        reset = httpx.post(f"{served.url}/idplane/testing/reset", timeout=60)
        assert reset.status_code == 204
        (after,) = _instances(served.url, acme)  # the same credentials, a new world
        with pytest.raises(ClientRequestException) as refused:
            _instances(served.url, AccountCredentials(**other))
    assert refused.value.status_code == 401
    assert before.identity_store_id.startswith("d-")
    assert after.identity_store_id != before.identity_store_id
    assert "seeded 3 accounts" in served.log.read_text()
