"""The workloads `python -m bench.peer` runs on every system: the same Identity Store and
Identity Center operations through each system's own client.

Systems:
- `moto`: `moto_server`, driven through boto3 (`identitystore`, `sso-admin`);
- `idplane-sdk`: idplane through the official Huawei SDK clients (what a user's tests see);
- `idplane-raw`: idplane through the bench's signed `http.client` (bench/signer.py): the
  server's cost with the least client overhead;
- `floor`: the same signed requests as `idplane-raw`, answered by bench/floor.py (a bare
  FastAPI route that only checks the HMAC signature).

A workload has a setup per system (run once per phase by the coordinator, outside the
measurement; it returns a picklable state) and an operation per system, `op(ctx, state, i)`,
one measured call for the global index i (0..n-1), raising on failure.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from bench.signer import Client, Credentials

MOTO, SDK, RAW, FLOOR = "moto", "idplane-sdk", "idplane-raw", "floor"
SYSTEMS = (MOTO, SDK, RAW, FLOOR)
MOTO_REGION = "us-east-1"
MOTO_ACCOUNT = "123456789012"
LIST_LIMIT = 50  # one page of list_users on every system
READ_POOL = 50  # users made for describe_user / list_users


@dataclass
class Env:
    """Where everything lives: URLs, credentials and the ids setup found or made."""

    moto_url: str
    idplane_url: str
    floor_url: str
    credentials: Credentials  # idplane's bench account (the floor accepts the same AK/SK)
    moto_store: str = ""  # moto's instance's identity store id
    moto_instance_arn: str = ""
    store: str = ""  # idplane's identity store id
    instance: str = ""  # idplane's Identity Center instance id
    target_account: str = ""  # an idplane member account: assignment target


@dataclass
class Ctx:
    """A process's clients for every system, made on first use (boto3 and the SDK take a while
    to build a client; each client process builds its own once, before it is measured)."""

    env: Env
    _raw: dict[str, Client] = field(default_factory=dict)

    @cached_property
    def moto_store(self) -> Any:
        return self._boto("identitystore")

    @cached_property
    def moto_sso(self) -> Any:
        return self._boto("sso-admin")

    def _boto(self, service: str) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            service,
            endpoint_url=self.env.moto_url,
            region_name=MOTO_REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"max_attempts": 1, "mode": "standard"}),
        )

    @cached_property
    def sdk_store(self) -> Any:
        from huaweicloudsdkcore.auth.credentials import BasicCredentials
        from huaweicloudsdkidentitycenterstore.v1 import IdentityCenterStoreClient

        c = self.env.credentials
        return _sdk(
            IdentityCenterStoreClient,
            self.env.idplane_url,
            BasicCredentials(c.access_key, c.secret_key, c.project_id),
        )

    @cached_property
    def sdk_ic(self) -> Any:
        from huaweicloudsdkcore.auth.credentials import GlobalCredentials
        from huaweicloudsdkidentitycenter.v1 import IdentityCenterClient

        c = self.env.credentials
        return _sdk(
            IdentityCenterClient,
            self.env.idplane_url,
            GlobalCredentials(c.access_key, c.secret_key, c.account_id),
        )

    @cached_property
    def sdk_org(self) -> Any:
        from huaweicloudsdkcore.auth.credentials import GlobalCredentials
        from huaweicloudsdkorganizations.v1 import OrganizationsClient

        c = self.env.credentials
        return _sdk(
            OrganizationsClient,
            self.env.idplane_url,
            GlobalCredentials(c.access_key, c.secret_key, c.account_id),
        )

    def raw(self, system: str) -> Client:
        """The signed client of `idplane-raw` or `floor` (same requests, different server)."""
        if system not in self._raw:
            url = self.env.floor_url if system == FLOOR else self.env.idplane_url
            self._raw[system] = Client(url, self.env.credentials)
        return self._raw[system]

    def warm(self, system: str) -> None:
        """Builds the system's clients and makes one read through each before anything is
        measured: a client library's first call loads what it loads lazily (models, endpoint
        rules, its HTTP session), a cost of the client process, not of the server. Unwarmed,
        the first call of each of 8 client processes set the 8-client p99 (8 of 600 calls)."""
        env = self.env
        if system == MOTO:
            self.moto_store.list_users(IdentityStoreId=env.moto_store, MaxResults=1)
            self.moto_sso.list_permission_sets(InstanceArn=env.moto_instance_arn, MaxResults=1)
        elif system == SDK:
            from huaweicloudsdkidentitycenter.v1 import model as ic
            from huaweicloudsdkidentitycenterstore.v1 import model as ids

            self.sdk_store.list_users(ids.ListUsersRequest(identity_store_id=env.store, limit=1))
            self.sdk_ic.list_permission_sets(
                ic.ListPermissionSetsRequest(instance_id=env.instance, limit=1)
            )
        else:
            path = f"/v1/identity-stores/{env.store}/users"
            self.raw(system).call("GET", path, query={"limit": 1}, scope="project")

    def close(self) -> None:
        for client in self._raw.values():
            client.close()


def _sdk(client_class: Any, endpoint: str, credentials: Any) -> Any:
    from huaweicloudsdkcore.http.http_config import HttpConfig

    config = HttpConfig.get_default_config()
    config.retry_times = 0
    config.timeout = (5, 60)
    return (
        client_class.new_builder()
        .with_credentials(credentials)
        .with_endpoints([endpoint])
        .with_http_config(config)
        .build()
    )


# The environment -------------------------------------------------------------------------------


def prepare(ctx: Ctx) -> None:
    """moto's Identity Center instance; idplane's organization, a member account (the
    assignment target) and Identity Center, made through the official SDKs."""
    from huaweicloudsdkidentitycenter.v1 import model as ic
    from huaweicloudsdkorganizations.v1 import model as org

    env = ctx.env
    instance = ctx.moto_sso.list_instances()["Instances"][0]
    env.moto_store, env.moto_instance_arn = instance["IdentityStoreId"], instance["InstanceArn"]

    ctx.sdk_org.create_organization(org.CreateOrganizationRequest())
    body = org.CreateAccountReqBody(name=f"peer-target-{uuid.uuid4().hex[:8]}")
    created = ctx.sdk_org.create_account(org.CreateAccountRequest(body=body))
    env.target_account = created.create_account_status.account_id
    ctx.sdk_org.enable_trusted_service(
        org.EnableTrustedServiceRequest(
            body=org.TrustedServiceReqBody(service_principal="service.IdentityCenter")
        )
    )
    ctx.sdk_ic.start_identity_center(ic.StartIdentityCenterRequest())
    first = ctx.sdk_ic.list_instances(ic.ListInstancesRequest()).instances[0]
    env.instance, env.store = first.instance_id, first.identity_store_id


# Users -----------------------------------------------------------------------------------------


def _user_fields(name: str) -> dict[str, Any]:
    return {
        "user_name": name,
        "display_name": name,
        "name": {"family_name": "Bench", "given_name": "User"},
        "emails": [{"value": f"{name}@example.com", "type": "work", "primary": True}],
        "password_mode": "EMAIL",
    }


def create_user(ctx: Ctx, system: str, name: str) -> str:
    """Creates user `name` on `system` and returns its id (for the floor: a made-up id)."""
    env = ctx.env
    if system == MOTO:
        return ctx.moto_store.create_user(
            IdentityStoreId=env.moto_store,
            UserName=name,
            DisplayName=name,
            Name={"GivenName": "User", "FamilyName": "Bench"},
            Emails=[{"Value": f"{name}@example.com", "Type": "work", "Primary": True}],
        )["UserId"]
    if system == SDK:
        from huaweicloudsdkidentitycenterstore.v1 import model as ids

        body = ids.CreateUserReqBody(
            user_name=name,
            display_name=name,
            name=ids.NameDto(family_name="Bench", given_name="User"),
            emails=[ids.EmailDto(primary=True, type="work", value=f"{name}@example.com")],
            password_mode="EMAIL",
        )
        request = ids.CreateUserRequest(identity_store_id=env.store, body=body)
        return ctx.sdk_store.create_user(request).user_id
    path = f"/v1/identity-stores/{env.store}/users"
    answer = ctx.raw(system).call("POST", path, json_body=_user_fields(name), scope="project")
    return str(uuid.uuid4()) if system == FLOOR else answer.json()["user_id"]


def _users(ctx: Ctx, system: str, state: dict, count: int) -> list[str]:
    return [create_user(ctx, system, f"{state['prefix']}s{k}") for k in range(count)]


def _no_setup(ctx: Ctx, system: str, state: dict, n: int) -> dict:
    return state


def op_create_user(ctx: Ctx, system: str, state: dict, i: int) -> None:
    create_user(ctx, system, f"{state['prefix']}{i}")


def setup_read_pool(ctx: Ctx, system: str, state: dict, n: int) -> dict:
    return {**state, "users": _users(ctx, system, state, READ_POOL)}


def op_describe_user(ctx: Ctx, system: str, state: dict, i: int) -> None:
    user_id = state["users"][i % len(state["users"])]
    env = ctx.env
    if system == MOTO:
        ctx.moto_store.describe_user(IdentityStoreId=env.moto_store, UserId=user_id)
    elif system == SDK:
        from huaweicloudsdkidentitycenterstore.v1 import model as ids

        request = ids.DescribeUserRequest(identity_store_id=env.store, user_id=user_id)
        ctx.sdk_store.describe_user(request)
    else:
        path = f"/v1/identity-stores/{env.store}/users/{user_id}"
        ctx.raw(system).call("GET", path, scope="project")


def op_list_users(ctx: Ctx, system: str, state: dict, i: int) -> None:
    env = ctx.env
    if system == MOTO:
        page = ctx.moto_store.list_users(IdentityStoreId=env.moto_store, MaxResults=LIST_LIMIT)
        got = len(page["Users"])
    elif system == SDK:
        from huaweicloudsdkidentitycenterstore.v1 import model as ids

        request = ids.ListUsersRequest(identity_store_id=env.store, limit=LIST_LIMIT)
        got = len(ctx.sdk_store.list_users(request).users or [])
    else:
        path = f"/v1/identity-stores/{env.store}/users"
        answer = ctx.raw(system).call("GET", path, query={"limit": LIST_LIMIT}, scope="project")
        got = LIST_LIMIT if system == FLOOR else len(answer.json()["users"])
    if got != LIST_LIMIT:
        raise AssertionError(f"list_users returned {got} users, expected a full page")


def setup_delete(ctx: Ctx, system: str, state: dict, n: int) -> dict:
    return {**state, "users": _users(ctx, system, state, n)}


def op_delete_user(ctx: Ctx, system: str, state: dict, i: int) -> None:
    user_id = state["users"][i]
    env = ctx.env
    if system == MOTO:
        ctx.moto_store.delete_user(IdentityStoreId=env.moto_store, UserId=user_id)
    elif system == SDK:
        from huaweicloudsdkidentitycenterstore.v1 import model as ids

        request = ids.DeleteUserRequest(identity_store_id=env.store, user_id=user_id)
        ctx.sdk_store.delete_user(request)
    else:
        path = f"/v1/identity-stores/{env.store}/users/{user_id}"
        ctx.raw(system).call("DELETE", path, scope="project")


# Identity Center -------------------------------------------------------------------------------


def create_permission_set(ctx: Ctx, system: str, name: str) -> str:
    env = ctx.env
    if system == MOTO:
        return ctx.moto_sso.create_permission_set(
            Name=name, InstanceArn=env.moto_instance_arn, SessionDuration="PT1H"
        )["PermissionSet"]["PermissionSetArn"]
    if system == SDK:
        from huaweicloudsdkidentitycenter.v1 import model as ic

        body = ic.CreatePermissionSetReqBody(name=name, session_duration="PT1H")
        request = ic.CreatePermissionSetRequest(instance_id=env.instance, body=body)
        return ctx.sdk_ic.create_permission_set(request).permission_set.permission_set_id
    path = f"/v1/instances/{env.instance}/permission-sets"
    body = {"name": name, "session_duration": "PT1H"}
    answer = ctx.raw(system).call("POST", path, json_body=body)
    if system == FLOOR:
        return f"ps-{uuid.uuid4().hex[:16]}"
    return answer.json()["permission_set"]["permission_set_id"]


def op_create_permission_set(ctx: Ctx, system: str, state: dict, i: int) -> None:
    create_permission_set(ctx, system, f"{state['short']}{i}")


def setup_assign(ctx: Ctx, system: str, state: dict, n: int) -> dict:
    ps = create_permission_set(ctx, system, f"{state['short']}a")
    return {**state, "users": _users(ctx, system, state, n), "ps": ps}


def op_create_account_assignment(ctx: Ctx, system: str, state: dict, i: int) -> None:
    env = ctx.env
    user_id = state["users"][i]
    if system == MOTO:
        ctx.moto_sso.create_account_assignment(
            InstanceArn=env.moto_instance_arn,
            TargetId=MOTO_ACCOUNT,
            TargetType="AWS_ACCOUNT",
            PermissionSetArn=state["ps"],
            PrincipalType="USER",
            PrincipalId=user_id,
        )
        return
    fields = {
        "permission_set_id": state["ps"],
        "principal_type": "USER",
        "principal_id": user_id,
        "target_id": env.target_account,
        "target_type": "ACCOUNT",
    }
    if system == SDK:
        from huaweicloudsdkidentitycenter.v1 import model as ic

        request = ic.CreateAccountAssignmentRequest(
            instance_id=env.instance, body=ic.CreateAccountAssignmentReqBody(**fields)
        )
        status = ctx.sdk_ic.create_account_assignment(request)
        if status.account_assignment_creation_status is None:
            raise AssertionError("create_account_assignment answered no status")
    else:
        path = f"/v1/instances/{env.instance}/account-assignments/create"
        ctx.raw(system).call("POST", path, json_body=fields)


# The registry ----------------------------------------------------------------------------------

Setup = Callable[[Ctx, str, dict, int], dict]
Op = Callable[[Ctx, str, dict, int], None]


@dataclass(frozen=True)
class PeerWorkload:
    name: str
    op: Op
    setup: Setup = _no_setup


WORKLOADS = {
    w.name: w
    for w in (
        PeerWorkload("identitystore.create_user", op_create_user),
        PeerWorkload("identitystore.describe_user", op_describe_user, setup_read_pool),
        PeerWorkload("identitystore.list_users", op_list_users, setup_read_pool),
        PeerWorkload("identitystore.delete_user", op_delete_user, setup_delete),
        PeerWorkload("identitycenter.create_permission_set", op_create_permission_set),
        PeerWorkload(
            "identitycenter.create_account_assignment", op_create_account_assignment, setup_assign
        ),
    )
}

# idplane's default quota of permission sets per instance (both idplane systems share one).
PERMISSION_SETS_QUOTA = 2000
