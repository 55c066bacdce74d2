"""`idplane reset --yes`: empties a test store on either database, refuses on any other."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from idplane.iam.tables import Account
from idplane.testing.service import mark_for_testing
from tests.testkit.stores import core_of as _core


def _idplane(url: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "IDPLANE_DATABASE_URL": url, "IDPLANE_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "idplane", *args], env=env, capture_output=True, text=True
    )


def _accounts(core) -> int:
    with core.store.read() as session:
        return session.scalar(select(func.count()).select_from(Account))


def test_reset_refuses_a_store_no_server_started_for_testing(fresh_store) -> None:
    core = _core(*fresh_store)
    core.accounts.create_account("keep-me")
    result = _idplane(*fresh_store, "reset", "--yes")
    assert result.returncode == 1
    assert "not started for testing" in result.stderr
    assert _accounts(core) == 1
    core.store.dispose()


def test_reset_without_yes_deletes_nothing(fresh_store) -> None:
    core = _core(*fresh_store)
    mark_for_testing(core.store)
    core.accounts.create_account("keep-me-too")
    result = _idplane(*fresh_store, "reset")
    assert result.returncode == 1 and "--yes" in result.stderr
    assert _accounts(core) == 1
    core.store.dispose()


def test_reset_empties_a_test_store_which_then_takes_the_same_names_again(fresh_store) -> None:
    core = _core(*fresh_store)
    mark_for_testing(core.store)
    first = core.accounts.create_account("same-name")
    core.accounts.create_account("other-name")
    result = _idplane(*fresh_store, "reset", "--yes")
    assert result.returncode == 0, result.stderr
    assert _accounts(core) == 0
    again = core.accounts.create_account("same-name")
    assert again.account_id != first.account_id
    assert _idplane(*fresh_store, "reset", "--yes").returncode == 0  # still marked
    core.store.dispose()
