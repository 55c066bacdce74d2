"""`idplane seed FILE.yaml`, `idplane export` and `idplane serve --seed FILE`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from idplane.platform.errors import Invalid


def add_commands(sub, command) -> None:
    """`command(sub, name, help, handler)` is the cli's own subcommand factory."""
    seed = command(sub, "seed", "create the world a seed file describes (all or nothing)", _seed)
    seed.add_argument("file", help="a seed file (YAML); see docs/seeding.md")
    seed.add_argument("--json", action="store_true", help="the outcome as one JSON object")
    export = command(sub, "export", "write the store as a seed file (no secrets)", _export)
    export.add_argument("-o", "--output", help="write to this file (default: standard output)")


def apply_seed_file(core, path: str):
    """Reads and applies a seed file; errors name the file, line and field."""
    from idplane.seeding.document import SeedError
    from idplane.seeding.seeder import seed

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise Invalid(f"cannot read the seed file {path}: {error.strerror}") from None
    try:
        return seed(core, text, path)
    except SeedError as error:
        raise Invalid(f"{error} (nothing was written)") from None


def serve_seed(args: argparse.Namespace, core) -> None:
    """`serve --seed FILE`: applied to an empty store only, so restarts leave the world be
    (a test reset applies it again: idplane.testing.api)."""
    path = core.settings.seed
    if not path:
        return
    if not core.accounts.is_empty():
        print(f"idplane: the store is not empty; {path} was not applied again")
        return
    _report(apply_seed_file(core, path), as_json=False)


def _seed(args: argparse.Namespace) -> None:
    from idplane.cli import _core

    core = _core(args)
    _report(apply_seed_file(core, args.file), args.json)
    core.store.dispose()


def _report(seeded, as_json: bool) -> None:
    outcome = {
        "accounts": seeded.accounts,
        "credentials": {name: c.as_dict() for name, c in seeded.credentials.items()},
        "instance_id": seeded.instance_id,
        "identity_store_id": seeded.identity_store_id,
    }
    if as_json:
        print(json.dumps(outcome))
        return
    print(f"idplane: seeded {len(seeded.accounts)} accounts; credentials are shown only once:")
    for name, creds in outcome["credentials"].items():
        shown = {k: v for k, v in creds.items() if v is not None and k != "endpoint"}
        print(f"  {name}: " + " ".join(f"{k}={v}" for k, v in shown.items()))
    if seeded.identity_store_id:
        print(f"  identity center {seeded.instance_id}, identity store {seeded.identity_store_id}")
    sys.stdout.flush()


def _export(args: argparse.Namespace) -> None:
    from idplane.cli import _core
    from idplane.seeding.document import dump
    from idplane.seeding.exporter import export

    core = _core(args)
    text = dump(export(core.store))
    core.store.dispose()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
