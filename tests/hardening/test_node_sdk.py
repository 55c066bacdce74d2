"""The official Node.js IAM SDK reports idplane's Huawei error codes (it reads `error.code`
before `error_code`, so a Keystone `error.code` of 404 used to hide `IAM.0004`). The test
installs the SDK with npm into a cache directory; it is skipped, saying why, only when npm or
its registry cannot be reached."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

PACKAGE = "@huaweicloud/huaweicloud-sdk-iam"
# The SDK's core requires `uuid` without declaring it (3.1.x), so it is installed alongside.
PACKAGES = [PACKAGE, "uuid@9"]
SCRIPT = Path(__file__).with_name("node_iam.js")
CACHE = Path(os.environ.get("IDPLANE_NODE_CACHE", Path.home() / ".cache" / "idplane-node-sdk"))


@pytest.fixture(scope="session")
def node_sdk() -> Path:
    """A node_modules folder holding the SDK (installed once, then reused)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed on this machine")
    if not all((CACHE / "node_modules" / p.split("@9")[0]).exists() for p in PACKAGES):
        CACHE.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(CACHE), *PACKAGES],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
            pytest.skip(f"npm could not install {PACKAGE} from its registry: {reason}")
    return CACHE / "node_modules"


def test_the_nodejs_sdk_reads_the_huawei_error_codes(server, account, node_sdk) -> None:
    done = subprocess.run(
        [
            "node",
            str(SCRIPT),
            server.url,
            account.access_key,
            account.secret_key,
            account.account_id,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NODE_PATH": str(node_sdk)},
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert results["listGroups"]["status"] == 200
    assert results["missingGroup"] == {"status": 404, "code": "IAM.0004"}
    assert results["badSignature"] == {"status": 401, "code": "APIGW.0301"}
