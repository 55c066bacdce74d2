"""python -m bench: run named workloads against a running idplane, one JSON line each.

    idplane bootstrap --account-name idplane-bench --password 'Bench#Passw0rd1'
    idplane credentials create --account idplane-bench --json |
        python -m bench --url http://127.0.0.1:8080 --credentials-json - --local-store \
            --password 'Bench#Passw0rd1' --workload iam.auth_domains,iam.token_validate \
            --clients 4 --n 2000

Exits 1 if any operation failed (the line's "errors" is then nonzero), 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys

from bench import driver, registry
from bench.setup import SetupError
from bench.signer import Credentials

FLAGS = {  # flag -> Credentials field; flags override the JSON file
    "ak": "access_key",
    "sk": "secret_key",
    "account_id": "account_id",
    "project_id": "project_id",
    "account_name": "account_name",
    "user_name": "user_name",
    "password": "password",
    "region": "region",
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    workloads = registry.all_workloads()
    if args.list:
        for workload in workloads.values():
            print(f"{workload.name:28} scale={workload.scale:<8} {workload.description}")
        return 0
    names = [n.strip() for n in (args.workload or "").split(",") if n.strip()]
    unknown = [n for n in names if n not in workloads]
    if not names or unknown:
        print(f"bench: unknown or no --workload; known: {', '.join(workloads)}", file=sys.stderr)
        return 2
    credentials = _credentials(args)
    url = args.url or credentials.endpoint
    if not url:
        print("bench: --url is required (or an endpoint in --credentials-json)", file=sys.stderr)
        return 2
    if args.local_store and not args.database_url:
        from idplane.config import load_settings

        args.database_url = load_settings().database_url
    failed = False
    for name in names:
        try:
            line = driver.run(
                name, url, credentials, args.n, args.clients, args.scale, args.database_url
            )
        except SetupError as error:
            line = {"workload": name, "n": args.n, "clients": args.clients, "errors": args.n}
            line["error_samples"] = [f"setup: {error}"]
        if args.server_pid:
            line["server_rss_mb"] = _rss_mb(args.server_pid)
        print(json.dumps(line), flush=True)
        failed = failed or line["errors"] > 0
    return 1 if failed else 0


def _rss_mb(pid: int) -> float | None:
    """Resident memory of a local server process and its descendants (uvicorn workers)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            kb = next(int(x.split()[1]) for x in status if x.startswith("VmRSS:"))
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            kids = [int(c) for c in children.read().split()]
    except (OSError, StopIteration):
        return None
    return round(kb / 1024 + sum(_rss_mb(kid) or 0 for kid in kids), 1)


def _credentials(args: argparse.Namespace) -> Credentials:
    values: dict = {}
    if args.credentials_json:
        with sys.stdin if args.credentials_json == "-" else open(args.credentials_json) as f:
            values = json.load(f)
    values.update(
        {field: getattr(args, flag) for flag, field in FLAGS.items() if getattr(args, flag)}
    )
    if not values.get("access_key") or not values.get("secret_key"):
        raise SystemExit("bench: credentials need an AK and SK (--credentials-json or --ak/--sk)")
    return Credentials.from_dict(values)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--url", help="the server (default: endpoint in --credentials-json)")
    parser.add_argument("--workload", help="NAME[,NAME...] (see --list)")
    parser.add_argument("--clients", type=int, default=1, help="client processes (default 1)")
    parser.add_argument("--n", type=int, default=1000, help="measured operations (default 1000)")
    parser.add_argument(
        "--scale", type=int, default=None, help="rows setup makes sure exist (workload default)"
    )
    parser.add_argument(
        "--database-url",
        help="the server's store, for bulk setup and store_size (SQLAlchemy URL)",
    )
    parser.add_argument(
        "--local-store",
        action="store_true",
        help="use the store `idplane serve` would use here (IDPLANE_* settings, default data dir)",
    )
    parser.add_argument(
        "--credentials-json",
        help="file (or -) holding what `idplane credentials create --json` prints",
    )
    for flag, field in FLAGS.items():
        parser.add_argument(f"--{flag.replace('_', '-')}", dest=flag, help=f"overrides {field}")
    parser.add_argument(
        "--server-pid", type=int, help="a local server's pid: adds server_rss_mb to each line"
    )
    parser.add_argument("--list", action="store_true", help="list the workloads and exit")
    return parser


if __name__ == "__main__":
    sys.exit(main())
