"""The official `huaweicloudsdkidentitycenterscim` client: service provider configuration and
every user operation, each response read through the SDK's own models."""

from __future__ import annotations

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkidentitycenterscim.v1 import model as sc
from huaweicloudsdkidentitycenterstore.v1 import model as st

from tests.identitystore.builders import user_body as store_user_body
from tests.scim.endpoint.support import ENTERPRISE, PATCH_OP, USER, sdk_user_body, unique


@pytest.fixture(scope="module")
def client(scim):
    return scim.sdk()


def _create(client, scim, body=None) -> sc.CreateUserResponse:
    request = sc.CreateUserRequest(
        authorization=scim.bearer, tenant_id=scim.tenant_id, body=body or sdk_user_body()
    )
    return client.create_user(request)


def _get(client, scim, user_id: str) -> sc.GetUserResponse:
    return client.get_user(
        sc.GetUserRequest(authorization=scim.bearer, tenant_id=scim.tenant_id, user_id=user_id)
    )


def test_service_provider_config_reads_through_the_sdk(client, scim):
    config = client.service_provider_config(
        sc.ServiceProviderConfigRequest(authorization=scim.bearer, tenant_id=scim.tenant_id)
    )
    assert config.patch.supported is True
    assert config.bulk.supported is False
    assert config.filter.supported is True and config.filter.max_results == 50
    assert config.sort.supported is True and config.etag.supported is True
    assert config.change_password.supported is False
    assert config.authentication_schemes[0].type == "oauthbearertoken"


def test_create_user_answers_201_with_the_user(client, scim):
    body = sdk_user_body()
    body.urnietfparamsscimschemasextensionenterprise2_0_user = sc.EnterpriseDto(
        department="Tours", manager=sc.ManagerDto(value="boss-1")
    )
    body.schemas = [USER, ENTERPRISE]
    body.external_id = unique("ext")
    created = _create(client, scim, body)
    assert created.status_code == 201
    assert created.user_name == body.user_name and created.external_id == body.external_id
    assert created.name.given_name == "Jane" and created.active is True
    assert created.emails[0].value == body.emails[0].value
    assert created.meta.resource_type == "User" and created.meta.created
    enterprise = created.urnietfparamsscimschemasextensionenterprise2_0_user
    assert enterprise.department == "Tours" and enterprise.manager.value == "boss-1"


def test_get_user_reads_what_was_created(client, scim):
    created = _create(client, scim)
    fetched = _get(client, scim, created.id)
    assert fetched.id == created.id and fetched.user_name == created.user_name
    assert fetched.meta.last_modified == created.meta.last_modified


def test_list_users_finds_the_user_by_user_name(client, scim):
    created = _create(client, scim)
    listed = client.list_users(
        sc.ListUsersRequest(authorization=scim.bearer, tenant_id=scim.tenant_id)
    )
    # The module's store holds fewer users than a page (50).
    assert listed.start_index == "1" and listed.items_per_page == str(listed.total_results)
    assert created.id in [user.id for user in listed.resources]


def test_put_user_replaces_the_user(client, scim):
    created = _create(client, scim)
    body = sc.UpdateUserReqBody(
        schemas=[USER],
        user_name=created.user_name,
        name=sc.NameDto(family_name="Roe", given_name="Richard"),
        display_name="Richard Roe",
        emails=[sc.EmailItemDto(value="rr@example.com", type="work", primary=True)],
        title="Engineer",
    )
    request = sc.PutUserRequest(
        authorization=scim.bearer, tenant_id=scim.tenant_id, user_id=created.id, body=body
    )
    replaced = client.put_user(request)
    assert replaced.display_name == "Richard Roe" and replaced.title == "Engineer"
    assert replaced.name.family_name == "Roe" and replaced.active is True
    assert _get(client, scim, created.id).emails[0].value == "rr@example.com"


def test_patch_user_deactivates_and_renames(client, scim):
    created = _create(client, scim)
    body = sc.PatchUserReqBody(
        schemas=[PATCH_OP],
        operations=[
            sc.OperationItemDto(op="replace", path="active", value=False),
            sc.OperationItemDto(op="replace", value={"displayName": "Renamed"}),
        ],
    )
    request = sc.PatchUserRequest(
        authorization=scim.bearer, tenant_id=scim.tenant_id, user_id=created.id, body=body
    )
    patched = client.patch_user(request)
    assert patched.active is False and patched.display_name == "Renamed"
    assert _get(client, scim, created.id).active is False


def test_delete_user_answers_204_and_the_user_is_gone(client, scim):
    created = _create(client, scim)
    deleted = client.delete_user(
        sc.DeleteUserRequest(
            authorization=scim.bearer, tenant_id=scim.tenant_id, user_id=created.id
        )
    )
    assert deleted.status_code == 204
    with pytest.raises(ClientRequestException) as raised:
        _get(client, scim, created.id)
    assert raised.value.status_code == 404


def test_a_duplicate_user_name_is_409_through_the_sdk(client, scim):
    created = _create(client, scim)
    with pytest.raises(ClientRequestException) as raised:
        _create(client, scim, sdk_user_body(created.user_name.upper()))
    assert raised.value.status_code == 409


def test_a_wrong_token_is_401_through_the_sdk(client, scim):
    with pytest.raises(ClientRequestException) as raised:
        client.list_users(
            sc.ListUsersRequest(authorization="Bearer nope", tenant_id=scim.tenant_id)
        )
    assert raised.value.status_code == 401


def test_one_user_seen_through_both_official_sdks(client, scim):
    """Made with the SCIM client, read with the identity store client, and the other way."""
    store = scim.store()
    created = _create(client, scim)
    described = store.describe_user(
        st.DescribeUserRequest(identity_store_id=scim.identity_store_id, user_id=created.id)
    )
    assert (described.user_name, described.display_name) == (
        created.user_name,
        created.display_name,
    )
    made = store.create_user(
        st.CreateUserRequest(
            identity_store_id=scim.identity_store_id, body=store_user_body(title="Clerk")
        )
    )
    fetched = _get(client, scim, made.user_id)
    assert (
        fetched.title == "Clerk" and fetched.active is True and fetched.meta.resource_type == "User"
    )
