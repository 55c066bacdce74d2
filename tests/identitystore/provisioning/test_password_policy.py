"""An identity store's password policy: documented defaults, partial updates that keep the
other fields, 400 for out-of-range or mistyped values (and nothing written)."""

from __future__ import annotations

import pytest
from huaweicloudsdkidentitycenterstore.v1 import model as st

from idplane.identitystore.password_policy.service import DEFAULT
from tests.identitystore.provisioning.support import (
    Recorder,
    another_store,
    error_of,
    organization_with_store,
    signed_request,
    store_client,
)

DEFAULTS = {
    "minimum_password_length": 8,
    "require_lowercase_characters": True,
    "require_numbers": True,
    "require_symbols": True,
    "require_uppercase_characters": True,
    "max_password_age": 0,
    "password_reuse_prevention": 1,
}


@pytest.fixture
def setup(server):
    return organization_with_store(server)


def _describe(client, sid: str) -> dict:
    policy = client.describe_password_policy(
        st.DescribePasswordPolicyRequest(identity_store_id=sid)
    ).password_policy
    return policy.to_dict()


def _update(client, sid: str, **fields):
    body = st.UpdatePasswordPolicyReqBody(password_policy=st.PasswordPolicyDto(**fields))
    return client.update_password_policy(
        st.UpdatePasswordPolicyRequest(identity_store_id=sid, body=body)
    )


def test_a_new_store_has_the_documented_defaults(server, setup):
    assert DEFAULT.__dict__ == DEFAULTS
    assert _describe(store_client(server, setup.management), setup.identity_store_id) == DEFAULTS


def test_an_update_changes_what_it_names_and_keeps_the_rest(server, setup):
    client = store_client(server, setup.management)
    sid = setup.identity_store_id
    recorder = Recorder()
    response = _update(
        store_client(server, setup.management, recorder),
        sid,
        minimum_password_length=12,
        require_symbols=False,
    )
    assert response.status_code == 200
    assert recorder.last.content == b""
    expected = {**DEFAULTS, "minimum_password_length": 12, "require_symbols": False}
    assert _describe(client, sid) == expected
    _update(client, sid, max_password_age=90)
    assert _describe(client, sid) == {**expected, "max_password_age": 90}


def test_every_field_can_be_set_at_once(server, setup):
    client = store_client(server, setup.delegate)
    sid = setup.identity_store_id
    values = {
        "minimum_password_length": 100,
        "require_lowercase_characters": False,
        "require_numbers": False,
        "require_symbols": True,
        "require_uppercase_characters": False,
        "max_password_age": 100,
        "password_reuse_prevention": 1,
    }
    _update(client, sid, **values)
    assert _describe(client, sid) == values
    assert _describe(store_client(server, setup.management), sid) == values


@pytest.mark.parametrize(
    "fields",
    [
        {"minimum_password_length": 7},
        {"minimum_password_length": 129},
        {"max_password_age": -1},
        {"max_password_age": 1096},
        {"password_reuse_prevention": 0},
        {"password_reuse_prevention": 2},
        {"minimum_password_length": 12, "max_password_age": 5000},
    ],
)
def test_out_of_range_values_are_400_and_change_nothing(server, setup, fields):
    client = store_client(server, setup.management)
    sid = setup.identity_store_id
    error = error_of(lambda: _update(client, sid, **fields))
    assert (error.status_code, error.error_code) == (400, "IIC.400")
    assert list(fields)[-1] in error.error_msg
    assert _describe(client, sid) == DEFAULTS


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"password_policy": None},
        {"password_policy": {"minimum_password_length": "12"}},
        {"password_policy": {"minimum_password_length": 12.5}},
        {"password_policy": {"require_numbers": "yes"}},
        {"password_policy": {"max_password_age": True}},
    ],
)
def test_malformed_bodies_are_400(server, setup, body):
    """Sent raw: the SDK's model would never send these, other clients might."""
    path = f"/v1/identity-stores/{setup.identity_store_id}/password-policy"
    response = signed_request(server, setup.management, "PUT", path, body)
    assert response.status_code == 400
    assert response.json()["error_code"] == "IIC.400"
    client = store_client(server, setup.management)
    assert _describe(client, setup.identity_store_id) == DEFAULTS


def test_another_organizations_store_is_a_404(server, setup):
    _, other_sid = another_store(server)
    client = store_client(server, setup.management)
    for call in (lambda: _describe(client, other_sid), lambda: _update(client, other_sid)):
        error = error_of(call)
        assert (error.status_code, error.error_code) == (404, "IIC.404")
