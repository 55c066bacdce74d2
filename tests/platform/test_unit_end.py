"""A request that wrote nothing ends its unit of work on the thread that ran its operation
(`end_unit_if_unwritten`, called by the web adapter after a plain endpoint returns); one that
wrote, or is still inside a block, is left for the middleware to settle with its audit record."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from idplane.platform.db import Store, end_unit_if_unwritten


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'unit.db'}")
    with store.transaction() as session:
        session.execute(text("CREATE TABLE marks (x INTEGER)"))
    return store


def test_a_unit_that_only_read_ends_at_once(store: Store) -> None:
    with store.unit(write=False) as unit:
        with store.read() as session:
            session.execute(text("SELECT count(*) FROM marks"))
        end_unit_if_unwritten()
        assert unit.closed


def test_a_unit_that_wrote_is_left_open_for_its_audit_record(store: Store) -> None:
    with store.unit(write=False) as unit:
        with store.transaction() as session:
            session.execute(text("INSERT INTO marks VALUES (1)"))
        end_unit_if_unwritten()
        assert not unit.closed
        unit.commit()
    with store.read() as session:
        assert session.scalar(text("SELECT count(*) FROM marks")) == 1


def test_a_unit_inside_an_open_block_is_left_open(store: Store) -> None:
    with store.unit(write=False) as unit, store.read() as session:
        session.execute(text("SELECT 1"))
        end_unit_if_unwritten()
        assert not unit.closed


def test_outside_a_request_it_does_nothing(store: Store) -> None:
    end_unit_if_unwritten()
