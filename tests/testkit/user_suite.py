"""The user test files the testkit's tests run: what a tester writes with the plugin."""

IDENTITY_STORE_USERS = """
from huaweicloudsdkidentitycenterstore.v1 import IdentityCenterStoreClient, model as m

def alice_and_friends(world):
    client, store = world.management.client(IdentityCenterStoreClient), world.identity_store_id
    body = m.CreateUserReqBody(user_name="alice", display_name="Alice", password_mode="OTP",
        name=m.NameDto(given_name="Alice", family_name="Liddell"),
        emails=[m.EmailDto(value="alice@example.com", primary=True, type="work")])
    user = client.create_user(m.CreateUserRequest(identity_store_id=store, body=body))
    users = client.list_users(m.ListUsersRequest(identity_store_id=store)).users
    client.delete_user(m.DeleteUserRequest(identity_store_id=store, user_id=user.user_id))
    return [u.user_name for u in users]

def test_one(idplane_world): assert alice_and_friends(idplane_world) == ["alice"]
def test_two(idplane_world): assert alice_and_friends(idplane_world) == ["alice"]
"""

ACCOUNT_AND_RESET = """
import httpx
import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import IamClient, KeystoneListAuthDomainsRequest

def domains(account, credentials=None):
    client = account.client(IamClient, credentials)
    return [d.name for d in client.keystone_list_auth_domains(
        KeystoneListAuthDomainsRequest()).domains]

def test_account_fields(idplane_account, idplane_server):
    assert idplane_account.endpoint == idplane_server.url
    assert idplane_account.region == "cn-north-4"
    assert len(idplane_account.account_id) == 32 and idplane_account.project_id
    assert idplane_account.basic_credentials().project_id == idplane_account.project_id

def test_global_and_basic_credentials_both_sign(idplane_account):
    assert domains(idplane_account) == [idplane_account.account_name]
    assert domains(idplane_account, idplane_account.basic_credentials()) == [
        idplane_account.account_name]

def test_a_reset_revokes_every_credential(idplane_account, idplane_server):
    idplane_server.reset()
    with pytest.raises(ClientRequestException) as refused:
        domains(idplane_account)
    assert refused.value.status_code == 401

def test_the_reset_route_is_served_for_other_processes(idplane_server):
    made = httpx.post(f"{idplane_server.url}/idplane/testing/accounts").json()
    assert httpx.post(f"{idplane_server.url}/idplane/testing/reset").status_code == 204
    other = idplane_server.create_account(made["account_name"])  # the name is free again
    assert other.account_id != made["account_id"]

def test_a_seed_file_gives_fixed_credentials(idplane_reset, tmp_path):
    from idplane.testing.accounts import IdplaneAccount
    path = tmp_path / "world.yaml"
    path.write_text("accounts:\\n  - name: seeded\\n    access_key: AKSEEDSEEDSEEDSEED01\\n"
                    "    secret_key: seeded-secret-0123456789\\n")
    seeded = idplane_reset.seed(path)
    account = IdplaneAccount.from_credentials(seeded.credentials["seeded"], idplane_reset.url)
    assert account.access_key == "AKSEEDSEEDSEEDSEED01"
    assert domains(account) == ["seeded"]

def test_the_world_is_an_organization_with_identity_center(idplane_world, idplane_account):
    assert idplane_world.management == idplane_account
    assert idplane_world.identity_store_id.startswith("d-")
    assert idplane_world.instance_id.startswith("ins-")
    assert idplane_world.member.account_id != idplane_account.account_id
"""
