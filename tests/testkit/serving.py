"""`idplane serve` in a subprocess with the testers' flags, for the testkit's own tests."""

from __future__ import annotations

import os
import re
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

    def ephemeral_dir(self) -> Path:
        found = re.search(r"ephemeral store in (\S+);", self.log.read_text())
        assert found, self.log.read_text()
        return Path(found.group(1))


@contextmanager
def serve(tmp_path: Path, *flags: str) -> Iterator[Served]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("IDPLANE_")}
    log = tmp_path / f"serve-{port}.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "idplane", "serve", "--port", str(port), *flags],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(url, process, log)
        yield Served(url, log, process)
    finally:
        process.terminate()
        process.wait(timeout=15)
