"""Updating users by attribute operations, enabling, disabling and deleting them."""

from __future__ import annotations

import json

import pytest
from huaweicloudsdkidentitycenterstore.v1 import model as ids
from sqlalchemy import select, update

from idplane.identitystore.users.tables import User
from tests.identitystore.builders import (
    create_user,
    describe_user,
    failure,
    failure_message,
    plain,
    unique,
    update_user,
)

BAD_REQUEST = (400, "IIC.400")
NOT_FOUND = (404, "IIC.404")


def _version(server, user_id: str) -> int:
    with server.core.store.read() as session:
        return session.scalar(select(User.version).where(User.id == user_id))


def _call(directory, method: str, user_id: str):
    request_class = {
        "enable_user": ids.EnableUserRequest,
        "disable_user": ids.DisableUserRequest,
        "delete_user": ids.DeleteUserRequest,
    }[method]
    request = request_class(identity_store_id=directory.identity_store_id, user_id=user_id)
    return getattr(directory.client(), method)(request)


def test_string_attributes_are_replaced(server, directory):
    user_id = create_user(directory)
    before = describe_user(directory, user_id)
    update_user(
        directory,
        user_id,
        ("display_name", "New Display"),
        ("title", "CTO"),
        ("name.given_name", "Janet"),
        ("enterprise.department", "R&D"),
        ("enterprise.manager.value", "boss-1"),
    )
    after = describe_user(directory, user_id)
    assert (after.display_name, after.title, after.name.given_name) == (
        "New Display",
        "CTO",
        "Janet",
    )
    assert plain(after.enterprise) == {"department": "R&D", "manager": {"value": "boss-1"}}
    assert after.name.family_name == "Doe"
    assert after.updated_at >= before.updated_at and after.created_at == before.created_at
    assert _version(server, user_id) == 2


def test_object_attributes_take_json_text(directory):
    user_id = create_user(directory)
    name = {"family_name": "Roe", "given_name": "Rick", "middle_name": "M"}
    address = [{"country": "CN", "locality": "Shenzhen", "primary": True}]
    update_user(
        directory,
        user_id,
        ("name", json.dumps(name)),
        ("addresses", json.dumps(address)),
        ("phone_numbers", json.dumps([{"value": "+86 1", "type": "work", "primary": True}])),
        ("enterprise", json.dumps({"cost_center": "c1", "manager": {"value": "m"}})),
    )
    user = describe_user(directory, user_id)
    assert plain(user.name) == name
    assert plain(user.addresses) == address
    assert user.phone_numbers[0].value == "+86 1"
    assert plain(user.enterprise) == {"cost_center": "c1", "manager": {"value": "m"}}


def test_a_new_email_is_no_longer_verified(server, directory):
    user_id = create_user(directory)
    with server.core.store.transaction() as session:
        session.execute(update(User).where(User.id == user_id).values(email_verified=True))
    assert describe_user(directory, user_id).emails[0].verification_status == "VERIFIED"
    email = [{"value": "new@example.com", "type": "work", "primary": True}]
    update_user(directory, user_id, ("emails", json.dumps(email)))
    user = describe_user(directory, user_id)
    assert user.emails[0].value == "new@example.com"
    assert (user.email_verified, user.emails[0].verification_status) == (False, "NOT_VERIFIED")


def test_a_null_value_removes_an_optional_attribute(directory):
    user_id = create_user(directory, title="Lead", nickname="nick")
    update_user(directory, user_id, ("title", None), ("nickName", ""))
    user = describe_user(directory, user_id)
    assert user.title is None and user.nickname is None


def test_camel_case_paths_are_accepted(directory):
    user_id = create_user(directory)
    update_user(directory, user_id, ("displayName", "Camel"), ("name.familyName", "Hump"))
    user = describe_user(directory, user_id)
    assert (user.display_name, user.name.family_name) == ("Camel", "Hump")


def test_the_user_name_can_change_but_not_to_a_taken_one(directory):
    taken = unique("taken")
    create_user(directory, user_name=taken)
    user_id = create_user(directory)
    renamed = unique("renamed")
    update_user(directory, user_id, ("user_name", renamed))
    assert describe_user(directory, user_id).user_name == renamed
    assert failure(lambda: update_user(directory, user_id, ("user_name", taken.upper()))) == (
        409,
        "IIC.1257",
    )


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("no_such_attribute", "x"),
        ("name.nickname", "x"),
        ("user_id", "other"),
        ("created_at", "1"),
        ("enabled", "false"),
        ("external_ids", "[]"),
        ("display_name", None),
        ("name", None),
        ("name.given_name", None),
        ("emails", None),
        ("user_name", "a"),
        ("title", "t" * 1025),
        ("name", "{not json"),
        ("name", json.dumps({"family_name": "only"})),
        ("emails", json.dumps([])),
        ("emails", json.dumps([{"value": "nope", "type": "work", "primary": True}])),
        ("addresses", json.dumps([{"country": "A"}, {"country": "B"}])),
        ("enterprise", json.dumps({"department": "d" * 1025})),
        ("display_name", "nul\x00"),
    ],
)
def test_an_invalid_operation_is_refused_and_changes_nothing(server, directory, path, value):
    user_id = create_user(directory)
    before = describe_user(directory, user_id)
    operations = [("title", "first op"), (path, value)]
    assert failure(lambda: update_user(directory, user_id, *operations)) == (400, "IIC.400")
    after = describe_user(directory, user_id)
    assert after.title is None and after.updated_at == before.updated_at
    assert _version(server, user_id) == 1


def test_the_error_names_the_offending_path(directory):
    user_id = create_user(directory)
    message = failure_message(lambda: update_user(directory, user_id, ("shoe_size", "42")))
    assert "shoe_size" in message and message.startswith("Bad Request:")


@pytest.mark.parametrize("count", [0, 101])
def test_an_update_needs_one_to_a_hundred_operations(directory, count):
    user_id = create_user(directory)
    operations = [("title", f"t{n}") for n in range(count)]
    assert failure(lambda: update_user(directory, user_id, *operations)) == BAD_REQUEST


def test_a_hundred_operations_apply_in_order(directory):
    user_id = create_user(directory)
    update_user(directory, user_id, *[("title", f"t{n}") for n in range(100)])
    assert describe_user(directory, user_id).title == "t99"


def test_updating_an_unknown_user_is_404(directory):
    assert failure(lambda: update_user(directory, "missing", ("title", "x"))) == NOT_FOUND


def test_disabling_and_enabling_a_user(server, directory):
    user_id = create_user(directory)
    _call(directory, "disable_user", user_id)
    assert describe_user(directory, user_id).enabled is False
    _call(directory, "disable_user", user_id)  # already disabled: still fine
    assert _version(server, user_id) == 2
    _call(directory, "enable_user", user_id)
    assert describe_user(directory, user_id).enabled is True


@pytest.mark.parametrize("method", ["enable_user", "disable_user", "delete_user"])
def test_acting_on_an_unknown_user_is_404(directory, method):
    assert failure(lambda: _call(directory, method, "missing")) == NOT_FOUND


def test_a_deleted_user_is_gone_and_its_name_is_free_again(directory):
    name = unique("gone")
    user_id = create_user(directory, user_name=name)
    _call(directory, "delete_user", user_id)
    assert failure(lambda: describe_user(directory, user_id)) == NOT_FOUND
    assert failure(lambda: _call(directory, "delete_user", user_id)) == NOT_FOUND
    assert create_user(directory, user_name=name) != user_id
