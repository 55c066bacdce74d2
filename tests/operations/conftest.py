"""A second `idplane serve` on a test store, started with the flags an operator would use."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import _free_port, _wait_until_serving


@dataclass
class Served:
    url: str
    log: Path
    process: subprocess.Popen


@contextmanager
def serve(
    server, *flags: str, scheme: str = "http", database_url: str | None = None, **env: str
) -> Iterator[Served]:
    """Serves the test server's store (or `database_url`) from another process on a free port
    with `flags`; its log is kept for the test to read."""
    port = _free_port()
    url = f"{scheme}://127.0.0.1:{port}"
    log = server.data_dir / f"serve-{port}.log"
    environment = {
        **os.environ,
        "IDPLANE_DATA_DIR": str(server.data_dir),
        "IDPLANE_DATABASE_URL": database_url or server.database_url,
        "IDPLANE_PUBLIC_URL": url,
        **env,
    }
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "idplane", "serve", "--port", str(port), *flags],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        if scheme == "http":
            _wait_until_serving(url, process, log)
        yield Served(url, log, process)
    finally:
        process.terminate()
        process.wait(timeout=15)
