"""The test harness: a real `idplane serve` on a free port over a fresh store, once per store.

Every test runs against SQLite and against PostgreSQL (`IDPLANE_TEST_STORES`, default both;
`IDPLANE_TEST_PG_URL` names the server, default the machine's `test` database). Tests make
their own accounts, so they never depend on one another.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from idplane.app import Core, build_core
from idplane.config import load_settings
from idplane.iam.service import AccountCredentials
from tests.mailbox import Mailbox, start_mailbox

PG_ADMIN_URL = os.environ.get(
    "IDPLANE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# Real argon2id at its cheapest (tests/platform/test_password_hashing_settings.py covers the
# setting itself): every account's root password is a hash, and most tests make an account.
os.environ.setdefault("IDPLANE_ARGON2_TIME_COST", "1")
os.environ.setdefault("IDPLANE_ARGON2_MEMORY_KIB", "1024")
os.environ.setdefault("IDPLANE_ARGON2_PARALLELISM", "1")

STORES = [s for s in os.environ.get("IDPLANE_TEST_STORES", "sqlite,postgresql").split(",") if s]


@dataclass
class Server:
    """A running idplane and a handle on its store for arranging test data."""

    url: str
    database_url: str
    data_dir: Path
    admin: AccountCredentials
    core: Core = field(repr=False)
    process: subprocess.Popen = field(repr=False)

    def new_account(self, prefix: str = "acct") -> AccountCredentials:
        """A fresh standalone account with root user, password and AK/SK."""
        creds = self.core.accounts.create_account(f"{prefix}-{uuid.uuid4().hex[:10]}")
        creds.endpoint = self.url
        return creds


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _create_pg_database() -> tuple[str, str]:
    name = f"idplane_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False), name


def _drop_pg_database(name: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"idplane serve exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/v3", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"idplane serve did not start:\n{log.read_text()}")


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    """The SMTP server every test server sends its e-mail to."""
    controller, box, port = start_mailbox()
    box.port = port  # type: ignore[attr-defined]
    yield box
    controller.stop()


@pytest.fixture(scope="session", params=STORES)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, mailbox: Mailbox
) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp(f"idplane-{request.param}")
    pg_name = None
    if request.param == "postgresql":
        database_url, pg_name = _create_pg_database()
    else:
        database_url = f"sqlite:///{data_dir / 'idplane.db'}"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "IDPLANE_DATA_DIR": str(data_dir),
        "IDPLANE_DATABASE_URL": database_url,
        "IDPLANE_PUBLIC_URL": url,
        "IDPLANE_SMTP_HOST": "127.0.0.1",
        "IDPLANE_SMTP_PORT": str(mailbox.port),  # type: ignore[attr-defined]
    }
    boot = subprocess.run(
        [sys.executable, "-m", "idplane", "bootstrap", "--json", "--account-name", "admin"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    admin = AccountCredentials(**json.loads(boot.stdout))
    admin.endpoint = url
    log = data_dir / "serve.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "idplane", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(url, process, log)
        settings = load_settings(database_url=database_url, data_dir=str(data_dir), public_url=url)
        core = build_core(settings)
        yield Server(url, database_url, data_dir, admin, core, process)
        core.store.dispose()
    finally:
        process.terminate()
        process.wait(timeout=15)
        if pg_name:
            _drop_pg_database(pg_name)


@pytest.fixture
def account(server: Server) -> AccountCredentials:
    """A fresh account of its own for one test."""
    return server.new_account()
