"""Who may manage automatic provisioning and the password policy: each account-level persona
against every operation. Only the organization's management account (also with temporary
credentials) and the delegated administrator pass; others get 403 IIC.1215, an IAM user
without policies 403 IIC.1000, expired temporary credentials 401."""

from __future__ import annotations

import pytest
from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkidentitycenterstore.v1 import model as st

from tests.identitystore.provisioning.support import (
    create_tenant,
    create_token,
    delete_tenant,
    delete_token,
    list_tenants,
    list_tokens,
    outcome,
    persona_client,
    store_client,
)
from tests.org_personas import personas

OK = "ok"
EXPECTED = {
    "management": OK,
    "temporary": OK,
    "delegate": OK,
    "member": (403, "IIC.1215"),
    "outsider": (403, "IIC.1215"),
    "expired": (401, "APIGW.0301"),
    "iam_user": (403, "IIC.1000"),
}


@pytest.fixture(scope="module")
def cast(server):
    cast = personas(server)
    client = cast["management"].identitycenter(server)
    instance = client.list_instances(ic.ListInstancesRequest()).instances[0]
    cast["sid"] = instance.identity_store_id
    cast["admin"] = store_client(server, cast["management"].creds)
    return cast


def _tenant(cast) -> str:
    """The store's tenant, made by the management account when there is none."""
    existing = list_tenants(cast["admin"], cast["sid"])
    return (
        existing[0].tenant_id if existing else create_tenant(cast["admin"], cast["sid"]).tenant_id
    )


def _no_tenant(cast) -> None:
    for tenant in list_tenants(cast["admin"], cast["sid"]):
        delete_tenant(cast["admin"], cast["sid"], tenant.tenant_id)


def _room_for_a_token(cast) -> str:
    tenant_id = _tenant(cast)
    for token in list_tokens(cast["admin"], cast["sid"], tenant_id):
        delete_token(cast["admin"], cast["sid"], tenant_id, token.token_id)
    return tenant_id


def _create_tenant(client, cast):
    _no_tenant(cast)
    return lambda: create_tenant(client, cast["sid"])


def _list_tenants(client, cast):
    return lambda: list_tenants(client, cast["sid"])


def _delete_tenant(client, cast):
    tenant_id = _tenant(cast)
    return lambda: delete_tenant(client, cast["sid"], tenant_id)


def _create_token(client, cast):
    tenant_id = _room_for_a_token(cast)
    return lambda: create_token(client, cast["sid"], tenant_id)


def _list_tokens(client, cast):
    tenant_id = _tenant(cast)
    return lambda: list_tokens(client, cast["sid"], tenant_id)


def _delete_token(client, cast):
    tenant_id = _room_for_a_token(cast)
    token_id = create_token(cast["admin"], cast["sid"], tenant_id).token_id
    return lambda: delete_token(client, cast["sid"], tenant_id, token_id)


def _describe_policy(client, cast):
    request = st.DescribePasswordPolicyRequest(identity_store_id=cast["sid"])
    return lambda: client.describe_password_policy(request)


def _update_policy(client, cast):
    body = st.UpdatePasswordPolicyReqBody(
        password_policy=st.PasswordPolicyDto(minimum_password_length=10)
    )
    request = st.UpdatePasswordPolicyRequest(identity_store_id=cast["sid"], body=body)
    return lambda: client.update_password_policy(request)


OPERATIONS = {
    "create_provisioning_tenant": _create_tenant,
    "list_provisioning_tenants": _list_tenants,
    "delete_provisioning_tenant": _delete_tenant,
    "create_bearer_token": _create_token,
    "list_bearer_tokens": _list_tokens,
    "delete_bearer_token": _delete_token,
    "describe_password_policy": _describe_policy,
    "update_password_policy": _update_policy,
}
CASES = [(op, who) for op in OPERATIONS for who in EXPECTED]


@pytest.mark.parametrize(("operation", "persona"), CASES, ids=[f"{o}-{p}" for o, p in CASES])
def test_persona_matrix(server, cast, operation, persona) -> None:
    client = persona_client(server, cast[persona])
    call = OPERATIONS[operation](client, cast)
    assert outcome(call) == EXPECTED[persona]
