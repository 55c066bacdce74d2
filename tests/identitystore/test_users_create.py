"""Creating users: every attribute of the SDK model kept and returned, one-time passwords
generated and stored only as a hash, the documented limits, and unique user names."""

from __future__ import annotations

import json

import pytest
from huaweicloudsdkidentitycenterstore.v1 import model as ids
from sqlalchemy import select

from idplane.identitystore.users.tables import User
from idplane.platform.crypto import verify_password
from tests.identitystore.builders import (
    create_user,
    describe_user,
    failure,
    plain,
    unique,
    user_body,
)

BAD_REQUEST = (400, "IIC.400")
DUPLICATE = (409, "IIC.1257")


def _create(directory, body):
    request = ids.CreateUserRequest(identity_store_id=directory.identity_store_id, body=body)
    return directory.client().create_user(request)


def _stored(server, user_id: str) -> User:
    with server.core.store.read() as session:
        return session.scalar(select(User).where(User.id == user_id))


def test_an_otp_user_gets_a_one_time_password_stored_only_as_an_argon2_hash(server, directory):
    created = _create(directory, user_body(password_mode="OTP"))
    assert created.identity_store_id == directory.identity_store_id
    assert len(created.password) >= 16
    stored = _stored(server, created.user_id)
    assert stored.password_hash.startswith("$argon2")
    assert verify_password(stored.password_hash, created.password)
    assert created.password not in repr(stored.__dict__)
    assert stored.password_change_required is True


def test_one_time_passwords_differ_and_mix_every_character_class(directory):
    first = _create(directory, user_body(password_mode="OTP")).password
    second = _create(directory, user_body(password_mode="OTP")).password
    assert first != second
    for password in (first, second):
        assert any(c.isupper() for c in password) and any(c.islower() for c in password)
        assert any(c.isdigit() for c in password) and any(not c.isalnum() for c in password)


def test_an_email_mode_user_gets_no_password(server, directory):
    created = _create(directory, user_body(password_mode="EMAIL"))
    assert created.password is None
    assert _stored(server, created.user_id).password_hash is None


def test_every_attribute_given_at_creation_is_described_back(directory):
    name = unique("full")
    body = user_body(
        user_name=name,
        display_name="Jane Q. Doe",
        name=ids.NameDto(
            family_name="Doe",
            given_name="Jane",
            middle_name="Q",
            formatted="Dr. Jane Q. Doe III",
            honorific_prefix="Dr.",
            honorific_suffix="III",
        ),
        nickname="jq",
        title="Engineer",
        user_type="Employee",
        locale="zh-CN",
        timezone="Asia/Shanghai",
        preferred_language="zh-CN",
        profile_url="https://example.com/jane",
        addresses=[
            ids.AddressDto(
                country="CN",
                formatted="1 Road, Beijing",
                locality="Beijing",
                postal_code="100000",
                primary=True,
                region="Beijing",
                street_address="1 Road",
                type="work",
            )
        ],
        phone_numbers=[ids.PhoneNumberDto(primary=True, type="work", value="+86 10 1234")],
        enterprise=ids.EnterpriseDto(
            cost_center="cc",
            department="dep",
            division="div",
            employee_number="42",
            manager=ids.ManagerDto(value="boss"),
            organization="org",
        ),
    )
    user_id = _create(directory, body).user_id
    user = describe_user(directory, user_id)
    assert user.user_id == user_id and user.identity_store_id == directory.identity_store_id
    assert (user.user_name, user.display_name) == (name, "Jane Q. Doe")
    assert plain(user.name) == plain(body.name)
    assert (user.nickname, user.title, user.user_type) == ("jq", "Engineer", "Employee")
    assert (user.locale, user.timezone, user.preferred_language) == (
        "zh-CN",
        "Asia/Shanghai",
        "zh-CN",
    )
    assert user.profile_url == "https://example.com/jane"
    assert plain(user.addresses) == plain(body.addresses)
    assert plain(user.phone_numbers) == plain(body.phone_numbers)
    assert plain(user.enterprise) == plain(body.enterprise)
    assert plain(user.name)["honorific_suffix"] == "III"
    email = user.emails[0]
    assert (email.value, email.type, email.primary) == (f"{name}@example.com", "work", True)
    assert email.verification_status == "NOT_VERIFIED"
    assert user.enabled is True and user.email_verified is False
    assert user.created_at == user.updated_at and user.created_at > 1_600_000_000_000
    assert user.created_by == directory.management.user_id == user.updated_by
    assert user.external_ids is None and user.external_id is None


def test_a_minimal_user_is_described_without_the_attributes_it_lacks(directory):
    user = describe_user(directory, create_user(directory))
    assert user.nickname is None and user.addresses is None and user.enterprise is None
    raw = json.loads(user.raw_content)
    assert not {"nickname", "addresses", "enterprise", "external_ids"} & set(raw)
    assert None not in raw.values() and None not in raw["name"].values()


@pytest.mark.parametrize(
    "overrides",
    [
        {"user_name": "a"},
        {"user_name": "x" * 129},
        {"display_name": ""},
        {"display_name": "d" * 1025},
        {"emails": []},
        {"emails": [ids.EmailDto(primary=True, type="work", value=f"{n}@e.com") for n in "ab"]},
        {"emails": [ids.EmailDto(primary=True, type="work", value="not-an-email")]},
        {"emails": [ids.EmailDto(primary=True, value="a@example.com")]},
        {"name": ids.NameDto(family_name="Doe")},
        {"name": ids.NameDto(family_name="Doe", given_name="")},
        {"password_mode": "PLAIN"},
        {"password_mode": None},
        {"title": "t" * 1025},
        {"nickname": ""},
        {"addresses": [ids.AddressDto(country="CN"), ids.AddressDto(country="FR")]},
        {"phone_numbers": []},
        {"enterprise": ids.EnterpriseDto(department="d" * 1025)},
        {"display_name": "nul\x00byte"},
    ],
    ids=lambda overrides: ",".join(overrides),
)
def test_a_user_outside_the_documented_limits_is_refused(server, directory, overrides):
    name = unique("bad")
    body = user_body(**{"user_name": name, **overrides})
    assert failure(lambda: _create(directory, body)) == BAD_REQUEST
    with server.core.store.read() as session:
        assert session.scalar(select(User).where(User.user_name == name)) is None


def test_a_body_without_required_fields_is_refused(directory):
    body = ids.CreateUserReqBody(user_name=unique("partial"), password_mode="OTP")
    assert failure(lambda: _create(directory, body)) == BAD_REQUEST


def test_a_user_name_is_unique_in_the_identity_store(directory):
    name = unique("same")
    create_user(directory, user_name=name)
    assert failure(lambda: create_user(directory, user_name=name)) == DUPLICATE


def test_user_names_differing_only_in_case_clash(directory):
    name = unique("Case")
    create_user(directory, user_name=name)
    assert failure(lambda: create_user(directory, user_name=name.upper())) == DUPLICATE


def test_the_name_keeps_the_case_it_was_given(directory):
    name = unique("MiXeD")
    assert describe_user(directory, create_user(directory, user_name=name)).user_name == name
