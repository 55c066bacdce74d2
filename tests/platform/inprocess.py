"""An idplane served by uvicorn inside the test process, over a fresh store of either kind, so
a test can watch the store's engine (SQLAlchemy events) or plant routes beside the real ones."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from idplane.app import Core, build_core, create_app
from idplane.config import load_settings
from idplane.iam.service import AccountCredentials
from idplane.platform.db import migrate
from tests.conftest import _create_pg_database, _drop_pg_database


@dataclass
class InProcess:
    url: str
    app: FastAPI
    core: Core
    account: AccountCredentials


@contextmanager
def served(store: str, data_dir: Path) -> Iterator[InProcess]:
    pg_name = None
    if store == "postgresql":
        database_url, pg_name = _create_pg_database()
    else:
        database_url = f"sqlite:///{data_dir / 'idplane.db'}"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    settings = load_settings(database_url=database_url, data_dir=str(data_dir), public_url=url)
    migrate(database_url)
    core = build_core(settings)
    account = core.accounts.create_account(f"unit-{uuid.uuid4().hex[:10]}")
    account.endpoint = url
    app = create_app(settings, core)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield InProcess(url, app, core, account)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        core.store.dispose()
        if pg_name:
            _drop_pg_database(pg_name)
