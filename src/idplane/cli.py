"""The `idplane` command: serve, bootstrap, accounts, credentials, migrate, audit."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence

from idplane import __version__
from idplane.config import Settings, load_settings
from idplane.iam.service import AccountCredentials
from idplane.operations.commands import add_commands
from idplane.operations.logging import request_log_config
from idplane.platform.db import migrate
from idplane.platform.errors import ApiError
from idplane.platform.startup import HTTP_PROTOCOL
from idplane.testing import cli as testing_cli

DEFAULT_ACCOUNT = "idplane-admin"


def main(argv: Sequence[str] | None = None) -> None:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        sys.exit(2)
    try:
        args.handler(args)
    except ApiError as error:
        print(f"idplane: {error.message}", file=sys.stderr)
        sys.exit(1)
    except Exception as error:
        from idplane.operations.failures import EXIT_CODE, describe

        line = describe(error, getattr(args, "resolved_database_url", None))
        if line is None:
            raise
        for mistake in line.splitlines():  # one line per mistake
            print(f"idplane: {mistake}", file=sys.stderr)
        sys.exit(EXIT_CODE)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="idplane", description=__doc__)
    parser.add_argument("--version", action="version", version=f"idplane {__version__}")
    sub = parser.add_subparsers(dest="command")

    serve = _command(sub, "serve", "migrate, bootstrap an empty store, and serve", _serve)
    serve.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port to listen on (default 8080)")
    serve.add_argument(
        "--workers", type=int, default=1, help="server processes (use PostgreSQL for more than 1)"
    )
    serve.add_argument(
        "--public-url",
        default=None,
        help="the URL clients reach this server at (default http://HOST:PORT)",
    )
    testing_cli.add_serve_options(serve)
    serve.add_argument(
        "--log-format",
        choices=("text", "json"),
        default=None,
        help="one log line per request, as text or JSON (env IDPLANE_LOG_FORMAT; default text)",
    )
    serve.add_argument("--ssl-certfile", default=None, help="serve HTTPS with this PEM certificate")
    serve.add_argument("--ssl-keyfile", default=None, help="the PEM private key of --ssl-certfile")
    serve.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-For/-Proto from --forwarded-allow-ips (behind a reverse proxy)",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="comma-separated proxy addresses whose X-Forwarded-* headers are trusted",
    )

    boot = _command(
        sub, "bootstrap", "create (idempotently) an account with root credentials", _bootstrap
    )
    boot.add_argument("--account-name", default=DEFAULT_ACCOUNT, help="the account's name")
    boot.add_argument("--password", help="the root user's password (default: generated)")
    boot.add_argument("--access-key", help="the root user's access key id (default: generated)")
    boot.add_argument("--secret-key", help="the secret of --access-key (default: generated)")
    boot.add_argument("--json", action="store_true", help="print the credentials as JSON")

    accounts = sub.add_parser("accounts", help="operator-side accounts")
    accounts_sub = accounts.add_subparsers(dest="accounts_command")
    create = _command(accounts_sub, "create", "a new standalone account", _accounts_create)
    create.add_argument("--name", required=True, help="the new account's name")
    create.add_argument("--json", action="store_true", help="print the credentials as JSON")
    enable = _command(accounts_sub, "enable", "enable a disabled account", _accounts_enable)
    enable.add_argument("--name", required=True, help="the account's name")

    credentials = sub.add_parser("credentials", help="root-user access keys")
    credentials_sub = credentials.add_subparsers(dest="credentials_command")
    cred = _command(
        credentials_sub, "create", "a new AK/SK for an account's root user", _credentials_create
    )
    cred.add_argument("--account", required=True, help="the account's name")
    cred.add_argument("--json", action="store_true", help="print the credentials as JSON")

    add_commands(sub, accounts_sub, credentials_sub, _command, _core)

    _command(sub, "migrate", "bring the store to the newest schema", _migrate)

    audit = sub.add_parser("audit", help="the audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command")
    tail = _command(audit_sub, "tail", "the most recent audited calls", _audit_tail)
    tail.add_argument("-n", "--lines", type=int, default=20, help="how many (default 20)")
    tail.add_argument("--json", action="store_true", help="one JSON object per line")
    testing_cli.add_commands(sub, _command)
    return parser


def _command(sub, name: str, help_text: str, handler) -> argparse.ArgumentParser:
    command = sub.add_parser(name, help=help_text)
    command.add_argument(
        "--database-url",
        default=None,
        help="SQLAlchemy URL (default: SQLite in the data directory; env IDPLANE_DATABASE_URL)",
    )
    command.set_defaults(handler=handler)
    return command


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(
        database_url=args.database_url,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        public_url=getattr(args, "public_url", None),
        log_format=getattr(args, "log_format", None),
    )
    args.resolved_database_url = settings.database_url  # for one-line failure messages
    return settings


def _core(args: argparse.Namespace):
    from idplane.app import build_core

    settings = _settings(args)
    migrate(settings.database_url)
    return build_core(settings)


def _print_credentials(creds: AccountCredentials, as_json: bool) -> None:
    if as_json:
        print(json.dumps(creds.as_dict()))
        return
    for key, value in creds.as_dict().items():
        print(f"{key:>13}: {value if value is not None else '(unchanged)'}")


def _bootstrap(args: argparse.Namespace) -> None:
    """Creates the account and prints its secrets once; on an account that exists it applies
    a given password or AK/SK and prints no secret it did not receive."""
    core = _core(args)
    existed = core.accounts.account_exists(args.account_name)
    creds = core.accounts.bootstrap(
        args.account_name, args.password, args.access_key, args.secret_key
    )
    if not existed:
        _print_credentials(creds, args.json)
        return
    shown = {**creds.as_dict(), "existing": True, "password": args.password}
    if args.secret_key is None:  # the stored secrets are never shown again
        shown.update(access_key=None, secret_key=None)
    if args.json:
        print(json.dumps(shown))
    print(
        f"idplane: account {creds.account_name} ({creds.account_id}) exists; a password or "
        "access key given is applied, and secrets are shown only once, when made; for a new "
        f"access key run `idplane credentials create --account {creds.account_name}`",
        file=sys.stderr if args.json else sys.stdout,
    )


def _accounts_create(args: argparse.Namespace) -> None:
    _print_credentials(_core(args).accounts.create_account(args.name), args.json)


def _accounts_enable(args: argparse.Namespace) -> None:
    from idplane.iam.domains.service import DomainService

    core = _core(args)
    account = DomainService(core.store, core.authorizer).enable_account(args.name)
    print(f"account {account.name} ({account.id}) is enabled")


def _credentials_create(args: argparse.Namespace) -> None:
    _print_credentials(_core(args).accounts.create_root_credentials(args.account), args.json)


def _migrate(args: argparse.Namespace) -> None:
    settings = _settings(args)
    migrate(settings.database_url)
    print("store is at the newest schema")


def _audit_tail(args: argparse.Namespace) -> None:
    from idplane.platform.audit import AuditTrail

    core = _core(args)
    for record in AuditTrail(core.store).tail(args.lines):
        row = {
            "at": record.at.isoformat(),
            "request_id": record.request_id,
            "account_id": record.account_id,
            "user_id": record.user_id,
            "credential": record.credential,
            "action": record.action,
            "method": record.method,
            "resource": record.resource,
            "status": record.status,
            "outcome": record.outcome,
        }
        print(
            json.dumps(row)
            if args.json
            else f"{row['at']} {row['outcome']:7} {row['status']} {row['method']:6} "
            f"{row['resource']} action={row['action']} account={row['account_id']} "
            f"user={row['user_id']} credential={row['credential']}"
        )


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from idplane.operations.failures import check_port_free

    testing_cli.prepare_serve(args)
    settings = _settings(args)
    check_port_free(settings.host, settings.port)
    core = _core(args)
    testing_cli.after_migrate(args, core)
    if core.accounts.is_empty():
        creds = core.accounts.bootstrap(DEFAULT_ACCOUNT)
        print("idplane: bootstrapped an empty store; these credentials are shown only once:")
        _print_credentials(creds, as_json=False)
        sys.stdout.flush()
    core.store.dispose()
    # Workers build their own app from the environment, so hand the settings over there.
    os.environ.update(
        {
            "IDPLANE_DATABASE_URL": settings.database_url,
            "IDPLANE_DATA_DIR": str(settings.data_dir),
            "IDPLANE_HOST": settings.host,
            "IDPLANE_PORT": str(settings.port),
        }
    )
    os.environ["IDPLANE_LOG_FORMAT"] = settings.log_format
    if settings.public_url:
        os.environ["IDPLANE_PUBLIC_URL"] = settings.public_url
    if args.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Workers are separate processes: metrics are summed through files at scrape time.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="idplane-metrics-")
    uvicorn.run(
        "idplane.app:app_from_environment",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=args.workers,
        log_level="info",
        log_config=request_log_config(),
        access_log=False,  # our own line per request replaces uvicorn's (see operations/)
        http=HTTP_PROTOCOL,
        proxy_headers=args.proxy_headers,
        forwarded_allow_ips=args.forwarded_allow_ips if args.proxy_headers else None,
        ssl_certfile=args.ssl_certfile,
        ssl_keyfile=args.ssl_keyfile,
    )
