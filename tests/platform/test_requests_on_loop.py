"""On SQLite a request runs its endpoint on the event loop (no worker-thread hop): a read, and
a write, which takes the write lock on the loop before its endpoint runs and settles (audit
record, commit) there too. On PostgreSQL every plain endpoint runs on a worker thread. A read
that turns out to need the write lock while another request holds it must not wait on the
loop (that request needs the loop to finish), nor may slow work run there: the request starts
again on a worker thread, what it did rolled back, and the server keeps answering meanwhile."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import select

from idplane.platform.audit import AuditRecord
from idplane.platform.clock import now
from idplane.platform.db import Store, outside_write
from idplane.platform.errors import Conflict
from idplane.platform.routing import api_router, include_routes
from tests.conftest import STORES
from tests.platform.inprocess import InProcess, served


@pytest.fixture(scope="module", params=STORES)
def idplane(request, tmp_path_factory) -> Iterator[InProcess]:
    with served(request.param, tmp_path_factory.mktemp(f"loop-{request.param}")) as running:
        _plant(running.app, running.core.store)
        yield running


def _on_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _plant(app, store: Store) -> None:
    router = api_router()

    @router.get("/v1/loop-test/read")
    def read() -> dict:
        with store.read() as session:
            session.scalar(select(AuditRecord.seq).limit(1))
        return {"on_loop": _on_loop()}

    @router.get("/v1/loop-test/write/{marker}")
    @router.post("/v1/loop-test/write/{marker}")
    def write(marker: str) -> dict:
        with store.read() as session:  # reads first, as a GET that issues something does
            session.scalar(select(AuditRecord.seq).limit(1))
        with store.transaction() as session:
            session.add(
                AuditRecord(
                    at=now(), request_id=marker, method="TEST", resource="/", status=0, outcome="x"
                )
            )
        return {"on_loop": _on_loop()}

    @router.get("/v1/loop-test/outside/{marker}")
    @router.post("/v1/loop-test/outside/{marker}")
    def outside(marker: str) -> dict:
        with store.transaction() as session:
            session.add(
                AuditRecord(
                    at=now(), request_id=marker, method="TEST", resource="/", status=0, outcome="x"
                )
            )
        outside_write(lambda: None)  # slow work (hashing) after a write: never on the loop
        return {"on_loop": _on_loop()}

    @router.post("/v1/loop-test/refused")
    def refused() -> dict:
        try:
            with store.transaction():  # its first write block fails: the lock is let go
                raise Conflict("refused")
        except Conflict:
            pass
        if not store.remote:  # another writer takes the lock before this request settles
            taker = threading.Thread(target=store.acquire_write)
            taker.start()
            taker.join()
            threading.Timer(0.3, store.released_write).start()
        raise Conflict("refused")

    include_routes(app, router)  # as the services do: the routes of `api_router` as built


def _written(store: Store, marker: str) -> int:
    with store.read() as session:
        rows = session.scalars(select(AuditRecord.seq).where(AuditRecord.request_id == marker))
        return len(list(rows))


def _audit_statuses(store: Store, request_id: str) -> list[int]:
    with store.read() as session:
        rows = session.scalars(
            select(AuditRecord.status).where(AuditRecord.request_id == request_id)
        )
        return list(rows)


def test_a_read_runs_on_the_loop_only_on_sqlite(idplane):
    answer = httpx.get(f"{idplane.url}/v1/loop-test/read")
    assert answer.status_code == 200
    assert answer.json() == {"on_loop": not idplane.core.store.remote}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_write_with_the_lock_free_runs_and_settles_on_the_loop_only_on_sqlite(idplane, method):
    marker = uuid.uuid4().hex
    answer = httpx.request(method, f"{idplane.url}/v1/loop-test/write/{marker}")
    assert answer.status_code == 200
    assert answer.json() == {"on_loop": not idplane.core.store.remote}
    assert _written(idplane.core.store, marker) == 1
    # A POST's audit record commits with it; a GET is not audited.
    audited = _audit_statuses(idplane.core.store, answer.headers["x-request-id"])
    assert audited == ([200] if method == "POST" else [])


def test_a_read_that_must_wait_for_the_lock_leaves_the_loop(idplane):
    store = idplane.core.store
    if store.remote:
        pytest.skip("the write lock that requests queue for is SQLite's")
    marker = uuid.uuid4().hex
    store.acquire_write()  # another request's write, under way
    released = False
    try:
        with ThreadPoolExecutor(1) as pool:
            waiting = pool.submit(httpx.get, f"{idplane.url}/v1/loop-test/write/{marker}")
            threading.Event().wait(0.3)
            assert not waiting.done()  # it waits for the lock ...
            meanwhile = httpx.get(f"{idplane.url}/v1/loop-test/read", timeout=5)
            assert meanwhile.json() == {"on_loop": True}  # ... and the loop serves others
            assert _written(store, marker) == 0
            store.released_write()
            released = True
            answer = waiting.result(timeout=10)
    finally:
        if not released:
            store.released_write()
    assert answer.status_code == 200
    assert answer.json() == {"on_loop": False}  # it ran again on a worker thread
    assert _written(store, marker) == 1


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_slow_work_leaves_the_loop_and_the_write_before_it_is_kept_once(idplane, method):
    marker = uuid.uuid4().hex
    answer = httpx.request(method, f"{idplane.url}/v1/loop-test/outside/{marker}")
    assert answer.status_code == 200
    assert answer.json() == {"on_loop": False}
    assert _written(idplane.core.store, marker) == 1  # rolled back on the loop, done again once


def test_a_refused_write_waits_for_the_lock_for_its_audit_record_off_the_loop(idplane):
    answer = httpx.post(f"{idplane.url}/v1/loop-test/refused", timeout=10)
    assert answer.status_code == 409  # not a 500: its audit record waited on a worker thread
    assert _audit_statuses(idplane.core.store, answer.headers["x-request-id"]) == [409]
