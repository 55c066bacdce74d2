"""Identity Center account assignments: creating one, listing a principal's, and
disassociate-profile, for principals holding 1, 100 and 10,000 assignments, with the instance
holding `scale` (default 100,000) assignments in all.

Everything lives in the bench account's organization (made, and Identity Center started, if
missing). Setup builds in the store, as the services would: 100 member accounts and 100
permission sets (the "fabric": 10,000 distinct account x permission set pairs, enough for one
principal to hold 10,000 assignments), filler principals of 100 assignments each up to
`scale`, and what each workload consumes. These workloads need the server's store
(`--database-url` or `--local-store`).
"""

from __future__ import annotations

import secrets
import uuid
from itertools import islice
from typing import Any

from sqlalchemy import func, select

from bench.registry import workload
from bench.setup import Setup, SetupError
from bench.signer import Client, UnexpectedResponse
from idplane.iam.tables import Account, Project, User
from idplane.identitycenter.assignments.tables import AccountAssignment
from idplane.identitycenter.permission_sets.tables import PermissionSet, Provisioning
from idplane.identitystore.users.tables import User as StoreUser
from idplane.instances.store_tables import IdentityStore
from idplane.instances.tables import Instance
from idplane.organizations.tables import Member
from idplane.platform import ids
from idplane.platform.clock import now

DEFAULT_SCALE = 100_000
FABRIC = 100  # member accounts and permission sets
FILLER_HOLDING = 100
MAX_SEEDED = 2_000_000  # n x holding for disassociate_profile


# The organization, its instance and the fabric ---------------------------------------------------


def _instance(setup: Setup) -> dict[str, Any]:
    client = setup.client
    try:
        client.call("POST", "/v1/organizations", expect=201)
    except UnexpectedResponse:
        client.call("GET", "/v1/organizations")  # it already manages one
    status = client.call("GET", "/v1/identity-center-service/status").json()
    if status.get("serviceStatus") != "enable":
        client.call("POST", "/v1/service/start")
    with setup.store.read() as session:
        row = session.execute(
            select(Instance, IdentityStore.id)
            .join(IdentityStore, IdentityStore.instance_id == Instance.id)
            .where(Instance.account_id == setup.credentials.account_id)
        ).one()
    instance, store_id = row
    return {
        "instance_id": instance.id,
        "organization_id": instance.organization_id,
        "owner": instance.account_id,
        "identity_store_id": store_id,
    }


def _fabric(setup: Setup, where: dict[str, Any]) -> tuple[list[str], list[str]]:
    """FABRIC member accounts (not the management account) and FABRIC permission sets."""
    accounts = _members(setup, where)
    if len(accounts) < FABRIC:
        _add_members(setup, where, FABRIC - len(accounts))
        accounts = _members(setup, where)
    sets = _permission_sets(setup, where)
    if len(sets) < FABRIC:
        moment = now()
        setup.bulk_insert(
            PermissionSet,
            (
                {
                    "id": ids.prefixed_hex("ps-", 16),
                    "instance_id": where["instance_id"],
                    "account_id": where["owner"],
                    "name": f"bench-{secrets.token_hex(4)}-{n}",
                    "session_duration": "PT1H",
                    "version": 1,
                    "created_at": moment,
                    "updated_at": moment,
                }
                for n in range(FABRIC - len(sets))
            ),
        )
        sets = _permission_sets(setup, where)
    return accounts[:FABRIC], sets[:FABRIC]


def _members(setup: Setup, where: dict[str, Any]) -> list[str]:
    with setup.store.read() as session:
        stmt = select(Member.account_id).where(
            Member.organization_id == where["organization_id"], Member.account_id != where["owner"]
        )
        return list(session.scalars(stmt.order_by(Member.seq)))


def _add_members(setup: Setup, where: dict[str, Any], count: int) -> None:
    """Accounts as Organizations' create_account makes them: account, root user, project,
    membership."""
    tag, moment, region = secrets.token_hex(4), now(), setup.credentials.region
    accounts = [
        {"id": ids.hex32(), "name": f"bench-ic-{tag}-{n}", "created_at": moment}
        for n in range(count)
    ]
    setup.bulk_insert(Account, accounts)
    root = {"is_root": True, "created_at": moment}
    setup.bulk_insert(
        User,
        ({"id": ids.hex32(), "account_id": a["id"], "name": a["name"], **root} for a in accounts),
    )
    setup.bulk_insert(
        Project,
        (
            {"id": ids.hex32(), "account_id": a["id"], "name": region, "created_at": moment}
            for a in accounts
        ),
    )
    setup.bulk_insert(
        Member,
        (
            {
                "organization_id": where["organization_id"],
                "account_id": a["id"],
                "join_method": "created",
                "status": "active",
                "joined_at": moment,
            }
            for a in accounts
        ),
    )


def _permission_sets(setup: Setup, where: dict[str, Any]) -> list[str]:
    with setup.store.read() as session:
        stmt = select(PermissionSet.id).where(PermissionSet.instance_id == where["instance_id"])
        return list(session.scalars(stmt.order_by(PermissionSet.seq).limit(FABRIC)))


# Assignments straight into the store -------------------------------------------------------------


def _assign(setup: Setup, where: dict[str, Any], principals: list[str], holding: int, fabric):
    """Each principal (type USER) gets `holding` assignments over the fabric's pairs, and
    every pair used is provisioned."""
    accounts, sets = fabric
    pairs = [(a, ps) for a in accounts for ps in sets]
    if holding > len(pairs):
        raise SetupError(f"a principal can hold at most {len(pairs)} bench assignments")
    moment = now()
    setup.bulk_insert(
        AccountAssignment,
        (
            {
                "instance_id": where["instance_id"],
                "account_id": account,
                "permission_set_id": ps,
                "principal_type": "USER",
                "principal_id": principal,
                "created_at": moment,
            }
            for principal in principals
            for account, ps in islice(pairs, holding)
        ),
    )
    with setup.store.read() as session:
        provisioned = set(
            session.execute(
                select(Provisioning.account_id, Provisioning.permission_set_id).where(
                    Provisioning.instance_id == where["instance_id"]
                )
            ).tuples()
        )
    missing = [pair for pair in islice(pairs, holding) if pair not in provisioned]
    setup.bulk_insert(
        Provisioning,
        (
            {
                "instance_id": where["instance_id"],
                "permission_set_id": ps,
                "account_id": account,
                "provisioned_version": 1,
                "provisioned_at": moment,
            }
            for account, ps in missing
        ),
    )


def _held(setup: Setup, where: dict[str, Any], principal: str | None = None) -> int:
    stmt = select(func.count()).select_from(AccountAssignment)
    stmt = stmt.where(AccountAssignment.instance_id == where["instance_id"])
    if principal is not None:
        stmt = stmt.where(AccountAssignment.principal_id == principal)
    with setup.store.read() as session:
        return session.scalar(stmt) or 0


def _prepare(setup: Setup) -> tuple[dict[str, Any], tuple[list[str], list[str]]]:
    """The instance and its fabric, filled up to `scale` assignments in all."""
    where = _instance(setup)
    fabric = _fabric(setup, where)
    missing = setup.scale - _held(setup, where)
    if missing > 0:
        fillers = [f"bench-filler-{uuid.uuid4()}" for _ in range(-(-missing // FILLER_HOLDING))]
        _assign(setup, where, fillers, FILLER_HOLDING, fabric)
    return where, fabric


def _store_size(setup: Setup) -> int:
    with setup.store.read() as session:
        instance_id = session.scalar(
            select(Instance.id).where(Instance.account_id == setup.credentials.account_id)
        )
    return setup.count(AccountAssignment, AccountAssignment.instance_id == instance_id)


# identitycenter.assignment_create ----------------------------------------------------------------


def _setup_create(setup: Setup) -> dict[str, Any]:
    where, (accounts, sets) = _prepare(setup)
    users = [str(uuid.uuid4()) for _ in range(setup.n)]
    tag, moment = secrets.token_hex(4), now()

    def row(n: int, user_id: str) -> dict[str, Any]:
        name = f"bench-{tag}-{n}"
        return {
            "id": user_id,
            "identity_store_id": where["identity_store_id"],
            "user_name": name,
            "user_name_key": name.casefold(),
            "display_name": name,
            "given_name": "Bench",
            "family_name": str(n),
            "emails": [{"value": f"{name}@example.com", "type": "work", "primary": True}],
            "enabled": True,
            "email_verified": False,
            "password_mode": "EMAIL",
            "password_change_required": False,
            "version": 1,
            "created_at": moment,
            "created_by": "bench",
            "updated_at": moment,
            "updated_by": "bench",
        }

    setup.bulk_insert(StoreUser, (row(n, user) for n, user in enumerate(users)))
    return {
        "path": f"/v1/instances/{where['instance_id']}",
        "ps": sets[0],
        "account": accounts[0],
        "users": users,
    }


@workload(
    "identitycenter.assignment_create",
    setup=_setup_create,
    store_size=_store_size,
    scale=DEFAULT_SCALE,
)
def assignment_create(client: Client, state: dict, i: int) -> None:
    """POST account-assignments/create for a new user (one permission set, one account)."""
    body = {
        "permission_set_id": state["ps"],
        "principal_type": "USER",
        "principal_id": state["users"][i],
        "target_id": state["account"],
        "target_type": "ACCOUNT",
    }
    client.call("POST", f"{state['path']}/account-assignments/create", json_body=body)


# identitycenter.assignments_for_principal_<k> ----------------------------------------------------


def _capped(setup: Setup, holding: int) -> int:
    """A principal holds no more assignments than the store: with --scale below `holding`
    (a smoke run, as in tests/bench) it holds `scale` of them."""
    return min(holding, setup.scale) if setup.scale > 0 else holding


def _setup_listing(holding: int):
    def setup_listing(setup: Setup) -> dict[str, Any]:
        holding_now = _capped(setup, holding)
        where, fabric = _prepare(setup)
        holder = f"bench-holder-{holding}"
        if _held(setup, where, holder) != holding_now:
            with setup.store.transaction() as session:
                session.execute(
                    AccountAssignment.__table__.delete().where(
                        AccountAssignment.principal_id == holder
                    )
                )
            _assign(setup, where, [holder], holding_now, fabric)
        return {"path": f"/v1/instances/{where['instance_id']}", "holder": holder}

    return setup_listing


def _list_first_page(client: Client, state: dict, i: int) -> None:
    """GET account-assignments-for-principals, first page (limit 100)."""
    client.call(
        "GET",
        f"{state['path']}/account-assignments-for-principals",
        query={"principal_id": state["holder"], "principal_type": "USER", "limit": 100},
    )


for _k in (1, 100, 10_000):
    workload(
        f"identitycenter.assignments_for_principal_{_k}",
        setup=_setup_listing(_k),
        store_size=_store_size,
        scale=DEFAULT_SCALE,
    )(_list_first_page)


# identitycenter.disassociate_profile_<k> ---------------------------------------------------------


def _setup_disassociate(holding_asked: int):
    def setup_disassociate(setup: Setup) -> dict[str, Any]:
        holding = _capped(setup, holding_asked)
        if setup.n * holding > MAX_SEEDED:
            raise SetupError(
                f"{setup.n} operations x {holding} assignments would seed more than "
                f"{MAX_SEEDED} rows; lower --n"
            )
        where, fabric = _prepare(setup)
        principals = [f"bench-gone-{uuid.uuid4()}" for _ in range(setup.n)]
        _assign(setup, where, principals, holding, fabric)
        return {
            "path": f"/v1/instances/{where['instance_id']}",
            "store": where["identity_store_id"],
            "principals": principals,
        }

    return setup_disassociate


def _disassociate(client: Client, state: dict, i: int) -> None:
    """POST disassociate-profile for a principal of its own (all its assignments go)."""
    body = {
        "id": state["principals"][i],
        "accessor_type": "USER",
        "identity_store_id": state["store"],
    }
    client.call("POST", f"{state['path']}/disassociate-profile", json_body=body)


for _k in (1, 100, 10_000):
    workload(
        f"identitycenter.disassociate_profile_{_k}",
        setup=_setup_disassociate(_k),
        store_size=_store_size,
        scale=DEFAULT_SCALE,
    )(_disassociate)
