"""How a request's unit of work treats its blocks. The first write block runs without a
SAVEPOINT: if it fails, the transaction (reads only) rolls back and the next block begins
another; later blocks are SAVEPOINTs and fail alone. A request that wrote nothing ends its unit
on the thread that ran its operation (`end_unit_if_unwritten`, called by the web adapter after a
plain endpoint returns); one that wrote, or is still inside a block, is left for the middleware
to settle with its audit record."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, text

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


def _count(store: Store) -> int:
    with store.read() as session:
        return session.scalar(text("SELECT count(*) FROM marks"))


def test_a_failing_first_write_block_leaves_the_unit_usable(store: Store) -> None:
    with store.unit(write=True) as unit:
        with pytest.raises(RuntimeError), store.transaction() as session:
            session.execute(text("INSERT INTO marks VALUES (1)"))
            raise RuntimeError("the first block fails")
        with store.transaction() as session:
            session.execute(text("INSERT INTO marks VALUES (2)"))
        unit.commit()
    with store.read() as session:
        assert session.scalars(text("SELECT x FROM marks")).all() == [2]


def test_a_failing_later_block_rolls_back_alone(store: Store) -> None:
    with store.unit(write=True) as unit:
        with store.transaction() as session:
            session.execute(text("INSERT INTO marks VALUES (1)"))
        with pytest.raises(RuntimeError), store.transaction() as session:
            session.execute(text("INSERT INTO marks VALUES (2)"))
            raise RuntimeError("the second block fails")
        with store.transaction() as session:
            session.execute(text("INSERT INTO marks VALUES (3)"))
        unit.commit()
    with store.read() as session:
        assert session.scalars(text("SELECT x FROM marks ORDER BY x")).all() == [1, 3]


def test_a_failing_block_nested_in_the_first_rolls_back_alone(store: Store) -> None:
    with store.unit(write=True) as unit:
        with store.transaction() as outer:
            outer.execute(text("INSERT INTO marks VALUES (1)"))
            with pytest.raises(RuntimeError), store.transaction() as inner:
                inner.execute(text("INSERT INTO marks VALUES (2)"))
                raise RuntimeError("the nested block fails")
        unit.commit()
    assert _count(store) == 1


def test_only_the_blocks_after_the_first_write_are_savepoints(store: Store) -> None:
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        with store.unit(write=True) as unit:
            for x in (1, 2, 3):
                with store.transaction() as session:
                    session.execute(text("INSERT INTO marks VALUES (:x)"), {"x": x})
            unit.commit()
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    assert len([s for s in statements if s.startswith("SAVEPOINT")]) == 2
