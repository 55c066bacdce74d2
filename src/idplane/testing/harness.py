"""A real idplane server for a test session: uvicorn in a background thread of the test
process, on a free port, over a fresh SQLite store in a temporary directory.

The first start migrates a template store and keeps it in a cache directory (keyed by the
package version and its migrations); later starts copy it, so they take a fraction of a second.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from idplane import __version__
from idplane.platform.startup import HTTP_PROTOCOL, collector_paused

if TYPE_CHECKING:
    import uvicorn

    from idplane.app import Core
    from idplane.testing.accounts import IdplaneAccount

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"

# argon2id at its cheapest for a test server (still real argon2id hashes and checks): an
# account's root password costs ~1 ms instead of ~100. IDPLANE_ARGON2_* in the environment win.
TEST_PASSWORD_HASHING = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}


class IdplaneServer:
    """A running server: `url`, `region`, `core` (the store and services, for arranging data),
    `reset()`, `create_account()`, `seed(path)`, `stop()`. The testing routes are on (as with
    `--enable-test-reset`)."""

    def __init__(self, data_dir: Path | None = None, region: str | None = None):
        self._tmp = None if data_dir else tempfile.TemporaryDirectory(prefix="idplane-test-")
        self.data_dir = Path(data_dir) if data_dir else Path(self._tmp.name if self._tmp else "")
        self._region = region
        self._thread: threading.Thread | None = None
        self._uvicorn: uvicorn.Server | None = None
        self._core: Core | None = None
        self.url = ""

    @property
    def core(self) -> Core:
        """The started server's store and services."""
        if self._core is None:
            raise RuntimeError("the idplane server is not started")
        return self._core

    def start(self) -> IdplaneServer:
        with collector_paused():  # see platform/startup.py
            self._start()
        return self

    def _start(self) -> None:
        import uvicorn

        from idplane.app import build_core, create_app
        from idplane.config import load_settings
        from idplane.testing.service import mark_for_testing

        database = self.data_dir / "idplane.db"
        shutil.copyfile(template_store(), database)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        settings = load_settings(
            database_url=f"sqlite:///{database}",
            data_dir=str(self.data_dir),
            public_url=self.url,
            region=self._region,
            enable_test_reset=True,
            **_test_password_hashing(),
        )
        core = self._core = build_core(settings)
        mark_for_testing(core.store)
        config = uvicorn.Config(
            create_app(settings, core),
            log_level="warning",
            access_log=False,
            lifespan="off",
            http=HTTP_PROTOCOL,
        )
        server = self._uvicorn = uvicorn.Server(config)
        thread = self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="idplane", daemon=True
        )
        thread.start()
        self._wait_until_started(server, thread)

    def _wait_until_started(self, server: uvicorn.Server, thread: threading.Thread) -> None:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("idplane did not start (see the log above)")
            time.sleep(0.005)

    @property
    def region(self) -> str:
        return self.core.settings.region

    def reset(self) -> None:
        """Empties the store: every account, organization, instance and credential goes."""
        from idplane.testing.service import reset_store

        reset_store(self.core.store)

    def create_account(self, name: str | None = None) -> IdplaneAccount:
        """A new standalone account with its root user's password and AK/SK."""
        from idplane.testing.accounts import IdplaneAccount

        creds = self.core.accounts.create_account(name or f"account-{uuid.uuid4().hex[:10]}")
        return IdplaneAccount.from_credentials(creds, self.url)

    def seed(self, path: str | Path):
        """Applies a seed file (see docs/seeding.md) to the store; returns what it made
        (`accounts` by name, `credentials` of the accounts it created, `identity_store_id`)."""
        from idplane.seeding.seeder import seed

        seeded = seed(self.core, Path(path).read_text(encoding="utf-8"), str(path))
        for creds in seeded.credentials.values():
            creds.endpoint = self.url
        return seeded

    def stop(self) -> None:
        if self._uvicorn is not None and self._thread is not None:
            self._uvicorn.should_exit = True
            self._thread.join(timeout=10)
        if self._core is not None:
            self._core.store.dispose()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> IdplaneServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _test_password_hashing() -> dict[str, int]:
    if any(name.startswith("IDPLANE_ARGON2_") for name in os.environ):
        return {}
    return TEST_PASSWORD_HASHING


def template_store() -> Path:
    """A migrated, empty SQLite store for this version of idplane, made once per machine."""
    from idplane.platform.db import migrate

    cache = Path(os.environ.get("IDPLANE_TEST_CACHE_DIR") or platformdirs.user_cache_dir("idplane"))
    path = cache / f"template-{__version__}-{_schema_key()}.db"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as work:
        fresh = Path(work) / "store.db"
        migrate(f"sqlite:///{fresh}")
        os.replace(fresh, path)  # atomic: a concurrent session sees a whole file or none
    return path


def _schema_key() -> str:
    digest = hashlib.sha256()
    for revision in sorted(MIGRATIONS.glob("*.py")):
        digest.update(revision.name.encode())
        digest.update(revision.read_bytes())
    return digest.hexdigest()[:16]
