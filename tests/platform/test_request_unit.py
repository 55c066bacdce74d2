"""A request is one unit of work: its authentication, its operation and its audit record share
one database transaction, committed before the response starts. An error the API answers (4xx)
keeps the blocks that completed before it; an unexpected error (500) keeps none of them."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from huaweicloudsdkiam.v3 import model as m
from sqlalchemy import event, select

from idplane.platform.audit import AuditRecord
from idplane.platform.clock import now
from idplane.platform.db import Store
from idplane.platform.errors import Conflict
from idplane.platform.routing import api_router
from tests import clients
from tests.conftest import STORES
from tests.platform.inprocess import InProcess, served


@pytest.fixture(scope="module", params=STORES)
def idplane(request, tmp_path_factory) -> Iterator[InProcess]:
    with served(request.param, tmp_path_factory.mktemp(f"unit-{request.param}")) as running:
        _plant(running.app, running.core.store)
        yield running


def _marker(session, request_id: str) -> None:
    session.add(
        AuditRecord(
            at=now(), request_id=request_id, method="TEST", resource="/", status=0, outcome="x"
        )
    )


def _plant(app, store: Store) -> None:
    """Routes that write a block and then fail, as the device flow's slow_down does."""
    router = api_router()

    @router.post("/v1/unit-test/answered/{marker}")
    def answered(marker: str) -> dict:
        with store.transaction() as session:
            _marker(session, marker)
        raise Conflict("the block before this error stays")

    @router.post("/v1/unit-test/unexpected/{marker}")
    def unexpected(marker: str) -> dict:
        with store.transaction() as session:
            _marker(session, marker)
        raise RuntimeError("planted failure")

    app.include_router(router)


@contextmanager
def _transactions(store: Store) -> Iterator[Counter]:
    counts: Counter = Counter()
    names = ("begin", "commit", "rollback")
    listeners = {name: (lambda *_, name=name: counts.update([name])) for name in names}
    for name, listener in listeners.items():
        event.listen(store.engine, name, listener)
    try:
        yield counts
    finally:
        for name, listener in listeners.items():
            event.remove(store.engine, name, listener)


def _markers(store: Store, request_id: str) -> list[AuditRecord]:
    with store.read() as session:
        rows = session.scalars(select(AuditRecord).where(AuditRecord.request_id == request_id))
        return list(rows)


def test_a_signed_write_is_one_transaction_with_its_audit_record(idplane) -> None:
    client = clients.iam(idplane.url, idplane.account)
    name = f"unit-{uuid.uuid4().hex[:8]}"
    option = m.CreateUserOption(name=name, domain_id=idplane.account.account_id)
    with _transactions(idplane.core.store) as counts:
        client.create_user(m.CreateUserRequest(body=m.CreateUserRequestBody(user=option)))
    assert counts == Counter(begin=1, commit=1)
    with idplane.core.store.read() as session:
        audited = session.scalars(
            select(AuditRecord).where(
                AuditRecord.account_id == idplane.account.account_id,
                AuditRecord.resource == "/v3.0/OS-USER/users",
            )
        ).all()
    assert [(row.method, row.status) for row in audited] == [("POST", 201)]


def test_a_signed_read_is_one_read_transaction(idplane) -> None:
    client = clients.iam(idplane.url, idplane.account)
    with _transactions(idplane.core.store) as counts:
        client.keystone_list_users(m.KeystoneListUsersRequest())
    assert counts["begin"] == 1
    assert counts["rollback"] + counts["commit"] == 1


def test_an_answered_error_keeps_the_blocks_that_completed_and_its_audit_record(idplane) -> None:
    marker = f"marker-{uuid.uuid4().hex}"
    with _transactions(idplane.core.store) as counts:
        response = httpx.post(f"{idplane.url}/v1/unit-test/answered/{marker}")
    assert response.status_code == 409
    assert counts == Counter(begin=1, commit=1)
    assert len(_markers(idplane.core.store, marker)) == 1
    assert len(_markers(idplane.core.store, response.headers["x-request-id"])) == 1


def test_an_unexpected_error_keeps_nothing_of_the_operation(idplane) -> None:
    marker = f"marker-{uuid.uuid4().hex}"
    response = httpx.post(f"{idplane.url}/v1/unit-test/unexpected/{marker}")
    assert response.status_code == 500
    assert _markers(idplane.core.store, marker) == []
    # The failure itself is on record, in a transaction of its own.
    [audited] = _markers(idplane.core.store, response.headers["x-request-id"])
    assert (audited.status, audited.outcome) == (500, "failure")
