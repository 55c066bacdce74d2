"""The operator's commands of `idplane` beyond serving: accounts list/show/disable,
credentials list/delete, SCIM tenants and tokens for an identity store, master key rotation
and `info`.
`cli.py` owns the parser; this module adds these subcommands to it."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from sqlalchemy import select, text

from idplane import __version__
from idplane.iam.operator import OperatorAccounts

Register = Callable[..., argparse.ArgumentParser]


def add_commands(sub, accounts_sub, credentials_sub, command: Register, core_of) -> None:
    """`command(subparsers, name, help, handler)` is cli.py's way to add one command (with
    --database-url); `core_of(args)` opens the store at the newest schema."""

    def handler(function: Callable[[Any, argparse.Namespace], None]):
        return lambda args: function(core_of(args), args)

    listing = command(accounts_sub, "list", "every account, enabled or not", handler(_list))
    _json_flag(listing)
    show = command(accounts_sub, "show", "one account: users, keys, status", handler(_show))
    show.add_argument("--name", required=True, help="the account's name")
    _json_flag(show)
    disable = command(
        accounts_sub,
        "disable",
        "disable an account: its credentials stop working and its tokens are revoked",
        handler(_disable),
    )
    disable.add_argument("--name", required=True, help="the account's name")

    keys = command(
        credentials_sub, "list", "an account's access keys (never secrets)", handler(_keys)
    )
    keys.add_argument("--account", required=True, help="the account's name")
    _json_flag(keys)
    gone = command(credentials_sub, "delete", "delete an access key at once", handler(_delete_key))
    gone.add_argument("--access-key", required=True, help="the access key id")

    scim = sub.add_parser("scim", help="SCIM provisioning of an identity store")
    scim_sub = scim.add_subparsers(dest="scim_command")
    tenants = scim_sub.add_parser("tenants", help="provisioning tenants (the SCIM endpoint)")
    tenants_sub = tenants.add_subparsers(dest="tenants_command")
    for name, help_text, function in (
        ("create", "a SCIM endpoint for the identity store", _tenant_create),
        ("list", "the identity store's SCIM endpoints", _tenant_list),
    ):
        made = command(tenants_sub, name, help_text, handler(function))
        made.add_argument("--identity-store-id", required=True, help="d- followed by 10 hex")
        _json_flag(made)
    drop = command(tenants_sub, "delete", "delete a tenant and its tokens", handler(_tenant_delete))
    drop.add_argument("--identity-store-id", required=True, help="d- followed by 10 hex")
    drop.add_argument("--tenant-id", required=True, help="the tenant's id")
    tokens = scim_sub.add_parser("tokens", help="bearer tokens of a provisioning tenant")
    tokens_sub = tokens.add_subparsers(dest="tokens_command")
    token = command(
        tokens_sub,
        "create",
        "a bearer token: prints the endpoint and token an identity provider needs (once)",
        handler(_token_create),
    )
    token.add_argument("--identity-store-id", required=True, help="d- followed by 10 hex")
    token.add_argument("--tenant-id", required=True, help="the tenant's id")
    _json_flag(token)

    keys = sub.add_parser("keys", help="the master key that seals the store's secrets")
    keys_sub = keys.add_subparsers(dest="keys_command")
    command(
        keys_sub,
        "rotate",
        "a new master key: re-seals every secret with it (the old key stays until pruned)",
        handler(_keys_rotate),
    )
    command(
        keys_sub,
        "prune",
        "re-seals what an old key still seals, then keeps only the newest key",
        handler(_keys_prune),
    )

    info = command(
        sub, "info", "version, data directory, store, schema, master key", handler(_info)
    )
    _json_flag(info)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON")


def _print(rows: list[dict[str, Any]] | dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(rows, default=str))
        return
    for row in rows if isinstance(rows, list) else [rows]:
        print("  ".join(f"{key}={value}" for key, value in row.items()))


def _list(core, args) -> None:
    _print([asdict(a) for a in OperatorAccounts(core.store).list_accounts()], args.json)


def _show(core, args) -> None:
    _print(asdict(OperatorAccounts(core.store).show_account(args.name)), args.json)


def _disable(core, args) -> None:
    account = OperatorAccounts(core.store).disable_account(args.name)
    print(f"account {account.name} ({account.id}) is disabled; its tokens are revoked")


def _keys(core, args) -> None:
    keys = OperatorAccounts(core.store).list_credentials(args.account)
    _print([asdict(k) for k in keys], args.json)


def _delete_key(core, args) -> None:
    OperatorAccounts(core.store).delete_credential(args.access_key)
    print(f"access key {args.access_key} is deleted")


def _provisioning(core, identity_store_id: str):
    """The provisioning service and the root user of the account owning the store."""
    from idplane.identitystore.provisioning.service import ScimProvisioningService
    from idplane.instances.store_tables import IdentityStore
    from idplane.platform.errors import NotFound

    operator = OperatorAccounts(core.store)
    with core.store.read() as session:
        owner = session.scalar(
            select(IdentityStore.account_id).where(IdentityStore.id == identity_store_id)
        )
        if owner is None:
            raise NotFound(f"no identity store {identity_store_id}")
        caller = operator.root_caller(session, owner)
    service = ScimProvisioningService(core.store, _gate(core), core.settings.endpoint)
    return service, caller


def _gate(core):
    from idplane.instances.gate import IdentityCenterGate

    return IdentityCenterGate(core.store, core.authorizer)


def _tenant_row(tenant) -> dict[str, Any]:
    return {"tenant_id": tenant.tenant_id, "scim_endpoint": tenant.scim_endpoint}


def _tenant_create(core, args) -> None:
    service, caller = _provisioning(core, args.identity_store_id)
    tenant = service.create_provisioning_tenant(caller, args.identity_store_id)
    _print(_tenant_row(tenant), args.json)


def _tenant_list(core, args) -> None:
    service, caller = _provisioning(core, args.identity_store_id)
    tenants = service.list_provisioning_tenants(caller, args.identity_store_id)
    _print([_tenant_row(t) for t in tenants], args.json)


def _tenant_delete(core, args) -> None:
    service, caller = _provisioning(core, args.identity_store_id)
    service.delete_provisioning_tenant(caller, args.identity_store_id, args.tenant_id)
    print(f"tenant {args.tenant_id} and its bearer tokens are deleted")


def _token_create(core, args) -> None:
    service, caller = _provisioning(core, args.identity_store_id)
    issued = service.create_bearer_token(caller, args.identity_store_id, args.tenant_id)
    row = {
        "scim_endpoint": service.scim_endpoint(args.tenant_id),
        "token_id": issued.token_id,
        "token": issued.token,
    }
    _print(row, args.json)


def _keys_rotate(core, args) -> None:
    from idplane.operations.keys import rotate_master_key

    change = rotate_master_key(core.settings, core.store, core.box)
    print(
        f"re-sealed {change.resealed} secrets with a new master key (check value "
        f"{change.check_value}); the old key is kept: drop it with `idplane keys prune`"
    )
    _tell_environment(change)


def _keys_prune(core, args) -> None:
    from idplane.operations.keys import prune_master_keys

    change = prune_master_keys(core.settings, core.store, core.box)
    print(
        f"re-sealed {change.resealed} secrets; only the newest master key (check value "
        f"{change.check_value}) is kept"
    )
    _tell_environment(change)


def _tell_environment(change) -> None:
    if change.environment_value is not None:
        print(
            "set IDPLANE_MASTER_KEY on every server to this value and restart them "
            f"(keep it secret):\n{change.environment_value}"
        )


def _info(core, args) -> None:
    from idplane.operations.failures import safe_url
    from idplane.platform.keycheck import check_value

    with core.store.read() as session:
        revisions = sorted(session.scalars(text("SELECT version_num FROM alembic_version")))
    row = {
        "version": __version__,
        "data_dir": str(core.settings.data_dir),
        "store": safe_url(core.settings.database_url),
        "schema": ",".join(revisions),
        "master_key": "IDPLANE_MASTER_KEY" if core.settings.master_key else "data_dir/master.key",
        "master_keys": len(core.box.keys.all()),
        "key_check": check_value(core.box.keys.current),
    }
    _print(row, args.json)
