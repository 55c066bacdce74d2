"""Virtual MFA devices through the official IAM SDK: create, bind with two consecutive codes,
show, list, unbind with a current code, delete; who may manage whose device."""

from __future__ import annotations

from huaweicloudsdkiam.v3 import model as m
from sqlalchemy import select

from idplane.iam.mfa.tables import MfaDevice
from tests import clients, personas
from tests.iam.conftest import fails
from tests.iam.mfa import bind, bound_device, code, codes, create_device, unbind
from tests.iam.test_concurrency import _outcomes


def _show(client, user_id: str):
    return client.show_user_mfa_device(m.ShowUserMfaDeviceRequest(user_id=user_id))


def _serials(client) -> list[str]:
    listed = client.list_user_mfa_devices(m.ListUserMfaDevicesRequest()).virtual_mfa_devices
    return [d.serial_number for d in listed]


def test_a_user_creates_its_own_device_and_gets_a_base32_seed(server, account):
    user = personas.iam_user(server, account)
    serial, seed = create_device(clients.iam(server.url, user), user.user_id, "phone")
    assert serial == f"iam:{account.account_id}:mfa/phone"
    assert len(seed) >= 16 and code(seed).isdigit()


def test_the_seed_is_stored_sealed(server, account):
    user = personas.iam_user(server, account)
    _serial, seed = create_device(clients.iam(server.url, user), user.user_id)
    with server.core.store.read() as session:
        sealed = session.scalar(
            select(MfaDevice.seed_sealed).where(MfaDevice.user_id == user.user_id)
        )
    assert sealed and seed not in sealed
    assert server.core.box.open(sealed) == seed


def test_binding_with_wrong_or_non_consecutive_codes_is_refused(server, account):
    user = personas.iam_user(server, account)
    client = clients.iam(server.url, user)
    serial, seed = create_device(client, user.user_id)
    previous, current = codes(seed, -1, 0)
    for first, second in [("000000", "000000"), (current, previous), ("12345", "abcdef")]:
        fails(lambda f=first, s=second: bind(client, user.user_id, serial, f, s), 400)
    fails(lambda: _show(client, user.user_id), 404)


def test_a_device_bound_with_two_consecutive_codes_is_shown_and_listed(server, account):
    user = personas.iam_user(server, account)
    serial, _seed = bound_device(clients.iam(server.url, user), user.user_id)
    shown = _show(clients.iam(server.url, user), user.user_id).virtual_mfa_device
    assert (shown.serial_number, shown.user_id) == (serial, user.user_id)
    assert serial in _serials(clients.iam(server.url, account))


def test_binding_twice_is_a_conflict(server, account):
    user = personas.iam_user(server, account)
    client = clients.iam(server.url, user)
    serial, seed = bound_device(client, user.user_id)
    fails(lambda: bind(client, user.user_id, serial, *codes(seed, 0, 1)), 409)


def test_a_user_has_one_device(server, account):
    user = personas.iam_user(server, account)
    client = clients.iam(server.url, user)
    create_device(client, user.user_id)
    fails(lambda: create_device(client, user.user_id), 409)


def test_parallel_creations_for_one_user_make_one_device(server, account):
    user = personas.iam_user(server, account)
    client = clients.iam(server.url, user)
    calls = [lambda: create_device(client, user.user_id) for _ in range(4)]
    assert sorted(_outcomes(calls)) == [201, 409, 409, 409]


def test_unbinding_needs_a_current_code_from_the_user(server, account):
    user = personas.iam_user(server, account)
    client = clients.iam(server.url, user)
    serial, seed = bound_device(client, user.user_id)
    fails(lambda: unbind(client, user.user_id, serial, "000000"), 400)
    unbind(client, user.user_id, serial, code(seed))
    fails(lambda: _show(client, user.user_id), 404)


def test_an_unbound_device_can_be_deleted_and_a_bound_one_cannot(server, account):
    user = personas.iam_user(server, account)
    client = clients.iam(server.url, user)
    serial, seed = bound_device(client, user.user_id)
    delete = m.DeleteMfaDeviceRequest(user_id=user.user_id, serial_number=serial)
    fails(lambda: client.delete_mfa_device(delete), 409)
    unbind(client, user.user_id, serial, code(seed))
    client.delete_mfa_device(delete)
    create_device(client, user.user_id)  # the slot is free again


def test_the_administrator_unbinds_without_a_valid_code(server, account):
    user = personas.iam_user(server, account)
    serial, _seed = bound_device(clients.iam(server.url, user), user.user_id)
    root = clients.iam(server.url, account)
    unbind(root, user.user_id, serial, "123456")
    root.delete_mfa_device(m.DeleteMfaDeviceRequest(user_id=user.user_id, serial_number=serial))
    assert serial not in _serials(root)


def test_a_user_without_a_policy_cannot_touch_another_users_device(server, account):
    owner = personas.iam_user(server, account)
    other = clients.iam(server.url, personas.iam_user(server, account))
    fails(lambda: create_device(other, owner.user_id), 403)
    serial, seed = bound_device(clients.iam(server.url, owner), owner.user_id)
    fails(lambda: _show(other, owner.user_id), 403)
    fails(lambda: unbind(other, owner.user_id, serial, code(seed)), 403)
    fails(lambda: other.list_user_mfa_devices(m.ListUserMfaDevicesRequest()), 403)


def test_a_user_with_the_mfa_actions_manages_another_users_device(server, account):
    owner = personas.iam_user(server, account)
    admin = personas.iam_user_with_policy(
        server, account, [{"Action": ["iam:mfa:*"], "Effect": "Allow"}]
    )
    client = clients.iam(server.url, admin)
    serial, _seed = create_device(client, owner.user_id)
    client.delete_mfa_device(m.DeleteMfaDeviceRequest(user_id=owner.user_id, serial_number=serial))


def test_deleting_the_user_deletes_its_device(server, account):
    user = personas.iam_user(server, account)
    serial, _seed = bound_device(clients.iam(server.url, user), user.user_id)
    root = clients.iam(server.url, account)
    root.keystone_delete_user(m.KeystoneDeleteUserRequest(user_id=user.user_id))
    assert serial not in _serials(root)
    with server.core.store.read() as session:
        assert session.scalar(select(MfaDevice).where(MfaDevice.serial_number == serial)) is None


def test_a_device_name_outside_the_documented_alphabet_is_400(server, account):
    user = personas.iam_user(server, account)
    fails(lambda: create_device(clients.iam(server.url, user), user.user_id, "my phone/1"), 400)
