"""A serving process freezes the objects start-up made (platform/startup.settled_heap), so full
collections stop walking them; a test server in a user's process leaves the heap alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FACTORY = """
import gc
from idplane.app import app_from_environment
before = gc.get_freeze_count()
app_from_environment()
print(before, gc.get_freeze_count())
"""


def test_the_serving_factory_freezes_what_start_up_made(tmp_path: Path) -> None:
    from idplane.platform.db import migrate

    url = f"sqlite:///{tmp_path / 'idplane.db'}"
    migrate(url)
    env = {**os.environ, "IDPLANE_DATABASE_URL": url, "IDPLANE_DATA_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", FACTORY], env=env, capture_output=True, text=True, check=True
    )
    before, after = map(int, out.stdout.split())
    assert before == 0
    assert after > 100_000  # the modules, classes and routes of the whole API


def test_a_test_server_leaves_the_heap_of_its_process_alone(server) -> None:
    import gc

    assert gc.get_freeze_count() == 0
