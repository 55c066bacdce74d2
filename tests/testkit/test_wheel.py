"""`pip install idplane` from a wheel of this checkout: runtime dependencies only, the
package data it needs to migrate and serve, and the `idplane` command."""

from __future__ import annotations

import os
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.testkit.user_suite import IDENTITY_STORE_USERS
from tests.testkit.wheel import SDK_PIN, FreshVenv, build_wheel, fresh_venv

# One wheel, venv or server for the whole module: keep it on one xdist worker.
pytestmark = pytest.mark.xdist_group("testkit-wheel")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshVenv]:
    root = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(root / "dist")
    extra = (f"huaweicloudsdkidentitycenterstore=={SDK_PIN}", "pytest")
    yield fresh_venv(root / "venv", wheel, *extra)


def _metadata(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return archive.read(name).decode()


def test_the_wheel_requires_no_sdk_or_test_tool_outside_its_extras(installed) -> None:
    required = [
        line.split(":", 1)[1].strip()
        for line in _metadata(installed.wheel).splitlines()
        if line.startswith("Requires-Dist:")
    ]
    runtime = [r for r in required if "extra ==" not in r]
    assert any(r.startswith("fastapi") for r in runtime)
    for name in ("huaweicloudsdk", "pytest", "ruff", "httpx", "openstacksdk", "build"):
        assert not any(r.lower().startswith(name) for r in runtime), runtime


def test_the_wheel_carries_migrations_and_data_files(installed) -> None:
    with zipfile.ZipFile(installed.wheel) as archive:
        names = set(archive.namelist())
    assert "idplane/migrations/env.py" in names
    assert any(n.startswith("idplane/migrations/versions/") for n in names)
    assert "idplane/iam/roles/data/system_roles.json" in names
    assert "idplane/scim/data/schemas.json" in names


def test_idplane_version_answers_from_a_fresh_venv(installed) -> None:
    result = installed.run("idplane", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("idplane 0.")


def test_idplane_migrates_a_fresh_store_from_the_installed_package(installed, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = installed.run("idplane", "migrate", "--database-url", url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "newest schema" in result.stdout


def test_a_ten_line_user_test_file_passes_in_the_fresh_venv_with_no_other_set_up(
    installed, tmp_path
) -> None:
    """The issue's "done when": `pip install <wheel>` plus the SDK and pytest, then a user test
    file creating and deleting an Identity Store user in `idplane_world`, twice in a row."""
    (tmp_path / "test_users.py").write_text(IDENTITY_STORE_USERS)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IDPLANE_", "PYTHON"))}
    env["IDPLANE_TEST_CACHE_DIR"] = str(tmp_path / "cache")
    result = subprocess.run(
        [str(installed.bin / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    assert len([line for line in IDENTITY_STORE_USERS.splitlines() if line.strip()]) <= 12
