"""A mutation and its audit record commit together, before the client hears of it: after a
`kill -9` under write load every acknowledged mutation is in the store with its audit record."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from huaweicloudsdkiam.v3 import model as m
from sqlalchemy import func, select

from idplane.iam.service import AccountCredentials
from idplane.iam.tables import User
from idplane.platform.audit import AuditRecord
from idplane.platform.db import Store
from tests import clients
from tests.conftest import (
    STORES,
    _create_pg_database,
    _drop_pg_database,
    _free_port,
    _wait_until_serving,
)

CLIENTS = 4


@pytest.fixture(params=STORES)
def doomed(request, tmp_path) -> Iterator[tuple[subprocess.Popen, str, AccountCredentials]]:
    """An `idplane serve` of the test's own, to be killed."""
    pg_name = None
    if request.param == "postgresql":
        database_url, pg_name = _create_pg_database()
    else:
        database_url = f"sqlite:///{tmp_path / 'idplane.db'}"
    url = f"http://127.0.0.1:{_free_port()}"
    env = {**os.environ, "IDPLANE_DATA_DIR": str(tmp_path), "IDPLANE_DATABASE_URL": database_url}
    boot = [sys.executable, "-m", "idplane", "bootstrap", "--json", "--account-name", "crash"]
    creds = AccountCredentials(**json.loads(subprocess.check_output(boot, env=env, text=True)))
    creds.endpoint = url
    log = tmp_path / "serve.log"
    serve = [sys.executable, "-m", "idplane", "serve", "--port", url.rsplit(":", 1)[1]]
    with open(log, "w") as out:
        process = subprocess.Popen(serve, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_serving(url, process, log)
        yield process, database_url, creds
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=15)
        if pg_name:
            _drop_pg_database(pg_name)


def _create_users(creds: AccountCredentials, acknowledged: list[str], stop: threading.Event):
    client = clients.iam(creds.endpoint, creds)
    while not stop.is_set():
        name = f"crash-{uuid.uuid4().hex[:12]}"
        option = m.CreateUserOption(name=name, domain_id=creds.account_id)
        try:
            client.create_user(m.CreateUserRequest(body=m.CreateUserRequestBody(user=option)))
        except Exception:
            return  # the server is gone
        acknowledged.append(name)


def test_every_acknowledged_mutation_has_its_audit_record_after_kill_9(doomed) -> None:
    process, database_url, creds = doomed
    acknowledged: list[str] = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=_create_users, args=(creds, acknowledged, stop))
        for _ in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)  # mid-load: requests are in flight
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(acknowledged) >= 40

    store = Store(database_url)
    try:
        with store.read() as session:
            users = set(
                session.scalars(
                    select(User.name).where(
                        User.account_id == creds.account_id, User.name.like("crash-%")
                    )
                )
            )
            audited = session.scalar(
                select(func.count()).where(
                    AuditRecord.account_id == creds.account_id,
                    AuditRecord.resource == "/v3.0/OS-USER/users",
                    AuditRecord.status == 201,
                )
            )
    finally:
        store.dispose()
    assert set(acknowledged) <= users  # acknowledged means committed
    assert audited == len(users)  # and every committed creation carries its audit record
