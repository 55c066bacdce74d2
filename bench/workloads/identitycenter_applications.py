"""Identity Center application workloads: assigning principals to an application, listing a
principal's application assignments, and deleting a profile (the seed) that ends `scale`
assignments at once.

`scale` (default 10,000) is the number of principals assigned to the application: setup keeps
a pool of that many users in the bench account's identity store and assigns them, all written
in bulk straight into the store (as `create_user` and `create_application_assignment` would
write them); reruns reuse the pool and the assigned application. Applications themselves are
made over the API (each gets its signing key and Default profile as a real one does).
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select

from bench.registry import workload
from bench.setup import Setup, SetupError
from bench.signer import Client, UnexpectedResponse
from idplane.identitycenter.applications.profiles.tables import DEFAULT
from idplane.identitycenter.applications.tables import ApplicationAssignment, ApplicationProfile
from idplane.identitystore.directory.service import DirectoryService
from idplane.identitystore.users.tables import User
from idplane.platform import ids
from idplane.platform.clock import now

DEFAULT_SCALE = 10_000
POOL = "bench-principal-"  # user names of the pool of assignable principals
ASSIGNED_APPLICATION = "bench-assigned"
CUSTOM_SAML_TEMPLATE = "tpl-0c6f2b8e41a9d735"
MAX_PROFILE_ROWS = 2_000_000  # delete_profile seeds n x scale assignments


# Setup -----------------------------------------------------------------------------------------


def _instance(client: Client) -> dict[str, str]:
    """The bench account's organization with Identity Center started."""
    try:
        client.call("POST", "/v1/organizations", expect=201)
    except UnexpectedResponse:
        client.call("GET", "/v1/organizations")  # it already manages one
    status = client.call("GET", "/v1/identity-center-service/status").json()
    if status.get("serviceStatus") != "enable":
        client.call("POST", "/v1/service/start")
    instance = client.call("GET", "/v1/instances").json()["instances"][0]
    return {"instance_id": instance["instance_id"], "store_id": instance["identity_store_id"]}


def _application(client: Client, instance_id: str, name: str, reuse: bool = False) -> str:
    path = f"/v1/instances/{instance_id}/application-instances"
    if reuse:
        for made in _pages(client, path, "application_instances"):
            if made["name"] == name:
                return made["application_instance_id"]
    body = {"name": name, "template_id": CUSTOM_SAML_TEMPLATE}
    return client.call("POST", path, json_body=body, expect=201).json()["application_instance"][
        "application_instance_id"
    ]


def _pages(client: Client, path: str, key: str):
    marker = None
    while True:
        page = client.call("GET", path, query={"marker": marker} if marker else None).json()
        yield from page[key]
        marker = page["page_info"].get("next_marker")
        if not marker:
            return


def _default_profile(client: Client, instance_id: str, application_id: str) -> str:
    path = f"/v1/instances/{instance_id}/application-instances/{application_id}/profiles"
    return client.call("GET", path).json()["application_profiles"][0]["profile_id"]


def _new_users(setup: Setup, store_id: str, count: int, prefix: str) -> list[str]:
    """`count` users: in bulk with a store, over the API without one."""
    if not setup.has_store:
        return [
            _api_user(setup.client, store_id, f"{prefix}{secrets.token_hex(6)}")
            for _ in range(count)
        ]
    moment, made = now(), [ids.uuid_str() for _ in range(count)]
    setup.bulk_insert(User, (_user_row(store_id, user_id, prefix, moment) for user_id in made))
    return made


def _user_row(store_id: str, user_id: str, prefix: str, moment) -> dict[str, Any]:
    name = f"{prefix}{user_id}"
    return {
        "id": user_id,
        "identity_store_id": store_id,
        "user_name": name,
        "user_name_key": name.casefold(),
        "display_name": name,
        "given_name": "Bench",
        "family_name": "Principal",
        "emails": [{"value": f"{user_id}@bench.example.com", "type": "work", "primary": True}],
        "enabled": True,
        "email_verified": False,
        "password_change_required": False,
        "version": 1,
        "created_at": moment,
        "created_by": "bench",
        "updated_at": moment,
        "updated_by": "bench",
    }


def _api_user(client: Client, store_id: str, name: str) -> str:
    body = {
        "user_name": name,
        "display_name": name,
        "name": {"family_name": "Principal", "given_name": "Bench"},
        "emails": [{"value": f"{name}@bench.example.com", "type": "work", "primary": True}],
        "password_mode": "EMAIL",
    }
    path = f"/v1/identity-stores/{store_id}/users"
    return client.call("POST", path, json_body=body, scope="project").json()["user_id"]


def _pool(setup: Setup, store_id: str) -> list[str]:
    """`scale` users named POOL…, topped up if a previous run left fewer."""
    if not setup.at_scale():
        return []
    with setup.store.read() as session:
        pool = list(
            session.scalars(
                select(User.id)
                .where(User.identity_store_id == store_id, User.user_name.startswith(POOL))
                .limit(setup.scale)
            )
        )
    return pool + _new_users(setup, store_id, setup.scale - len(pool), POOL)


def _assign_in_bulk(setup: Setup, instance_id: str, application_id: str, principals: list[str]):
    """Assigns every principal of `principals` not yet assigned, through the Default profile."""
    if not principals:
        return
    with setup.store.read() as session:
        profile_id = session.scalar(
            select(ApplicationProfile.id).where(
                ApplicationProfile.application_instance_id == application_id,
                ApplicationProfile.name == DEFAULT,
            )
        )
        done = set(
            session.scalars(
                select(ApplicationAssignment.principal_id).where(
                    ApplicationAssignment.application_instance_id == application_id
                )
            )
        )
    moment = now()
    rows = (
        {
            "instance_id": instance_id,
            "application_instance_id": application_id,
            "profile_id": profile_id,
            "principal_type": "USER",
            "principal_id": principal,
            "created_at": moment,
        }
        for principal in principals
        if principal not in done
    )
    setup.bulk_insert(ApplicationAssignment, rows)


def _assigned_application(setup: Setup) -> dict[str, str]:
    """The application that gets `scale` principals assigned (made once, reused by reruns)."""
    where = _instance(setup.client)
    application = _application(setup.client, where["instance_id"], ASSIGNED_APPLICATION, reuse=True)
    return {**where, "application_id": application}


def _fill(setup: Setup, state: dict[str, Any], applications: list[str]) -> None:
    """Assigns the pool to each application, then settles the store. Runs after every API call
    of the setup: the setup client's keep-alive connection does not outlive a long bulk load."""
    if not setup.at_scale():
        return
    pool = _pool(setup, state["store_id"])
    for application in applications:
        _assign_in_bulk(setup, state["instance_id"], application, pool)
    _settle(setup, state["store_id"])


def _settle(setup: Setup, store_id: str) -> None:
    """Recounts the identity store (bulk users bypass its quota counts) and leaves the tables as
    autovacuum would: fresh statistics, so the planner picks the indexes it will in production."""
    with setup.store.transaction() as session:
        DirectoryService.recount(session, store_id)
    engine = setup.store.engine
    vacuum = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in (User.__tablename__, ApplicationAssignment.__tablename__):
            connection.exec_driver_sql(f"{vacuum} {table}")


def _assignments(setup: Setup) -> int:
    return setup.count(ApplicationAssignment)


# app_assignment_create ------------------------------------------------------------------------


def _setup_assignment_create(setup: Setup) -> dict[str, Any]:
    state = _assigned_application(setup)
    state["principals"] = _new_users(setup, state["store_id"], setup.n, "bench-assignee-")
    _fill(setup, state, [state["application_id"]])
    if setup.has_store and not setup.at_scale():
        _settle(setup, state["store_id"])
    return state


@workload(
    "identitycenter.app_assignment_create",
    setup=_setup_assignment_create,
    store_size=_assignments,
    scale=DEFAULT_SCALE,
)
def app_assignment_create(client: Client, state: dict, i: int) -> None:
    """POST .../applications/{app}/assignments/create of a new user, on an application with
    `scale` assigned principals; store_size = application assignments."""
    path = f"/v1/instances/{state['instance_id']}/applications/{state['application_id']}"
    body = {"principal_id": state["principals"][i], "principal_type": "USER"}
    client.call("POST", f"{path}/assignments/create", json_body=body, expect=201)


# app_assignments_for_principal ----------------------------------------------------------------


def _setup_for_principal(setup: Setup) -> dict[str, Any]:
    """A user assigned directly to the assigned application and, through a group, to a second
    one: its list answers two items while the application holds `scale` assignments."""
    state = _assigned_application(setup)
    client, instance_id = setup.client, state["instance_id"]
    user = _api_user(client, state["store_id"], f"bench-listed-{secrets.token_hex(6)}")
    store_path = f"/v1/identity-stores/{state['store_id']}"
    group = client.call(
        "POST",
        f"{store_path}/groups",
        json_body={"display_name": f"bench-{secrets.token_hex(6)}"},
        scope="project",
    ).json()["group_id"]
    client.call(
        "POST",
        f"{store_path}/group-memberships",
        scope="project",
        json_body={"group_id": group, "member_id": {"user_id": user}},
    )
    second = _application(client, instance_id, f"bench-second-{secrets.token_hex(6)}")
    for application, principal, kind in (
        (state["application_id"], user, "USER"),
        (second, group, "GROUP"),
    ):
        path = f"/v1/instances/{instance_id}/applications/{application}/assignments/create"
        client.call(
            "POST", path, json_body={"principal_id": principal, "principal_type": kind}, expect=201
        )
    _fill(setup, state, [state["application_id"]])
    return {"instance_id": instance_id, "user_id": user}


@workload(
    "identitycenter.app_assignments_for_principal",
    setup=_setup_for_principal,
    store_size=_assignments,
    scale=DEFAULT_SCALE,
)
def app_assignments_for_principal(client: Client, state: dict, i: int) -> None:
    """GET .../application-assignments-for-principals of a user (direct + via a group);
    store_size = application assignments."""
    response = client.call(
        "GET",
        f"/v1/instances/{state['instance_id']}/application-assignments-for-principals",
        query={"principal_id": state["user_id"], "principal_type": "USER"},
    )
    if len(response.json()["application_assignments"]) != 2:
        raise AssertionError(f"expected 2 assignments: {response.body[:300]!r}")


# delete_profile -------------------------------------------------------------------------------


def _setup_delete_profile(setup: Setup) -> dict[str, Any]:
    """n applications, each with the pool's `scale` principals assigned: one per operation."""
    if setup.n * setup.scale > MAX_PROFILE_ROWS:
        raise SetupError(
            f"identitycenter.delete_profile seeds n x scale = {setup.n * setup.scale} assignments "
            f"(at most {MAX_PROFILE_ROWS}); run it with a smaller --n, e.g. --n 50"
        )
    where = _instance(setup.client)
    targets = []
    for _ in range(setup.n):
        application = _application(
            setup.client, where["instance_id"], f"bench-profile-{secrets.token_hex(6)}"
        )
        targets.append(
            (application, _default_profile(setup.client, where["instance_id"], application))
        )
    _fill(setup, where, [application for application, _ in targets])
    return {"instance_id": where["instance_id"], "targets": targets}


def _users(setup: Setup) -> int:
    return setup.count(User)


@workload(
    "identitycenter.delete_profile",
    setup=_setup_delete_profile,
    store_size=_users,
    scale=DEFAULT_SCALE,
)
def delete_profile(client: Client, state: dict, i: int) -> None:
    """DELETE .../application-instances/{app}/profiles/{id} ending `scale` assignments (one
    application per operation); store_size = identity store users (the assignments it ends are
    gone by the time the size is read)."""
    application, profile = state["targets"][i]
    path = f"/v1/instances/{state['instance_id']}/application-instances/{application}"
    client.call("DELETE", f"{path}/profiles/{profile}")
