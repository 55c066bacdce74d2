"""A fresh, migrated, empty store per test on each store kind (SQLite copies the cached
template store; PostgreSQL gets a database of its own), for tests that need a store that no
other test sees (reset, seed)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from idplane.app import build_core
from idplane.config import load_settings
from idplane.platform.db import migrate
from idplane.testing.harness import template_store
from tests.conftest import STORES, _create_pg_database, _drop_pg_database


@pytest.fixture(params=STORES)
def fresh_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    if request.param == "postgresql":
        url, name = _create_pg_database()
        yield url, tmp_path
        _drop_pg_database(name)
    else:
        shutil.copyfile(template_store(), tmp_path / "idplane.db")
        yield f"sqlite:///{tmp_path / 'idplane.db'}", tmp_path


def core_of(url: str, data_dir: Path):
    migrate(url)
    return build_core(load_settings(database_url=url, data_dir=str(data_dir)))
