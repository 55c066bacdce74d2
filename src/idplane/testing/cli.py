"""`idplane serve --ephemeral / --enable-test-reset / --seed` and `idplane reset --yes` (the
seed and export commands live in `idplane.seeding.cli`)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from pathlib import Path

from idplane.platform.db import default_sqlite_url
from idplane.platform.errors import Invalid


def add_serve_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--ephemeral",
        action="store_true",
        help="serve a throw-away SQLite store in a temporary directory, removed on exit",
    )
    serve.add_argument(
        "--enable-test-reset",
        action="store_true",
        help="for test suites only: mark the store as a test store and serve the "
        "unauthenticated POST /idplane/testing/reset and /idplane/testing/accounts",
    )
    serve.add_argument(
        "--seed",
        metavar="FILE",
        help="apply this seed file (YAML, see docs/seeding.md) when the store is empty, and "
        "again after each test reset",
    )


def add_commands(sub, command) -> None:
    """`command(sub, name, help, handler)` is the cli's own subcommand factory."""
    from idplane.seeding import cli as seeding_cli

    seeding_cli.add_commands(sub, command)
    reset = command(sub, "reset", "empty a test store (refuses on any other store)", _reset)
    reset.add_argument("--yes", action="store_true", help="yes, delete everything in it")


def prepare_serve(args: argparse.Namespace) -> None:
    """Before `serve` reads its settings: the throw-away store and the testing flag."""
    if args.enable_test_reset:
        os.environ["IDPLANE_ENABLE_TEST_RESET"] = "1"
    if args.seed:  # for the server's workers: a test reset applies it again
        os.environ["IDPLANE_SEED"] = str(Path(args.seed).resolve())
    if not args.ephemeral:
        return
    if args.database_url:
        raise Invalid("--ephemeral makes its own store: leave out --database-url")
    # Removed by its finalizer when the interpreter exits. uvicorn shuts down on SIGTERM, then
    # raises it again under the handler it found: make that one an exit, not a sudden death.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    args.ephemeral_dir = tempfile.TemporaryDirectory(prefix="idplane-ephemeral-")
    data_dir = Path(args.ephemeral_dir.name)
    os.environ["IDPLANE_DATA_DIR"] = str(data_dir)
    args.database_url = default_sqlite_url(data_dir)
    print(f"idplane: ephemeral store in {data_dir}; it is removed when the server stops")


def _exit_on_signal(signum: int, _frame) -> None:
    sys.exit(128 + signum)


def after_migrate(args: argparse.Namespace, core) -> None:
    """A server started for testing marks its store, so `idplane reset` may empty it."""
    from idplane.seeding import cli as seeding_cli
    from idplane.testing.service import mark_for_testing

    if args.ephemeral or args.enable_test_reset:
        mark_for_testing(core.store)
    seeding_cli.serve_seed(args, core)


def _reset(args: argparse.Namespace) -> None:
    from idplane.cli import _core
    from idplane.testing.service import reset_store

    if not args.yes:
        raise Invalid("idplane reset deletes every row of the store: pass --yes")
    core = _core(args)
    reset_store(core.store)
    core.store.dispose()
    print("store is empty (schema, master key and testing mark kept)")
