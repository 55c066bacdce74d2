"""A user's attributes: the nested values (name, email, address, phone number, enterprise) as
the SDK models them, and which attribute paths `update_user` may write."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from annotated_types import Len
from pydantic import AfterValidator, StringConstraints

from idplane.identitystore.directory.attributes import (
    Attribute,
    AttributeTable,
    Value,
    column,
    json_value,
    text,
)
from idplane.identitystore.users.tables import User
from idplane.instances.schemas import NO_NUL

Text = Annotated[str, StringConstraints(min_length=1, max_length=1024, pattern=NO_NUL)]
UserName = Annotated[str, StringConstraints(min_length=2, max_length=128, pattern=NO_NUL)]
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def _email_address(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError("is not an email address")
    return value


EmailAddress = Annotated[Text, AfterValidator(_email_address)]


class Name(Value):
    family_name: Text
    given_name: Text
    middle_name: Text | None = None
    formatted: Text | None = None
    honorific_prefix: Text | None = None
    honorific_suffix: Text | None = None


class Email(Value):
    value: EmailAddress
    type: Text
    primary: bool


class Address(Value):
    formatted: Text | None = None
    street_address: Text | None = None
    locality: Text | None = None
    region: Text | None = None
    postal_code: Text | None = None
    country: Text | None = None
    type: Text | None = None
    primary: bool | None = None


class PhoneNumber(Value):
    value: Text | None = None
    type: Text | None = None
    primary: bool | None = None


class Manager(Value):
    value: Text | None = None


class Enterprise(Value):
    cost_center: Text | None = None
    department: Text | None = None
    division: Text | None = None
    employee_number: Text | None = None
    organization: Text | None = None
    manager: Manager | None = None


Emails = Annotated[list[Email], Len(1, 1)]
Addresses = Annotated[list[Address], Len(1, 1)]
PhoneNumbers = Annotated[list[PhoneNumber], Len(1, 1)]


class NewUser(Value):
    """Everything `create_user` takes (CreateUserReqBody)."""

    user_name: UserName
    display_name: Text
    name: Name
    emails: Emails
    password_mode: Literal["OTP", "EMAIL"]
    nickname: Text | None = None
    title: Text | None = None
    user_type: Text | None = None
    locale: Text | None = None
    timezone: Text | None = None
    preferred_language: Text | None = None
    profile_url: Text | None = None
    addresses: Addresses | None = None
    phone_numbers: PhoneNumbers | None = None
    enterprise: Enterprise | None = None


NAME_COLUMNS = {
    "given_name": "given_name",
    "family_name": "family_name",
    "middle_name": "middle_name",
    "formatted": "formatted_name",
    "honorific_prefix": "honorific_prefix",
    "honorific_suffix": "honorific_suffix",
}
OPTIONAL_TEXT = (
    "nickname",
    "title",
    "user_type",
    "locale",
    "timezone",
    "preferred_language",
    "profile_url",
)
ENTERPRISE_TEXT = ("cost_center", "department", "division", "employee_number", "organization")


def name_key(user_name: str) -> str:
    """What user names are compared by: case-insensitively (SCIM userName is not case-exact)."""
    return user_name.casefold()


def dump(values: Sequence[Value] | Value | None) -> Any:
    if values is None:
        return None
    if not isinstance(values, Value):
        return [value.model_dump(exclude_none=True) for value in values]
    return values.model_dump(exclude_none=True)


def set_user_name(user: User, value: str) -> None:
    user.user_name = value
    user.user_name_key = name_key(value)


def set_name(user: User, name: Name) -> None:
    for field, name_column in NAME_COLUMNS.items():
        setattr(user, name_column, getattr(name, field))


def set_emails(user: User, emails: list[Email]) -> None:
    before = [email.get("value") for email in user.emails or []]
    user.emails = dump(emails)
    if [email.value for email in emails] != before:
        user.email_verified = False  # a new address has not been verified


def _json_list(name: str) -> Any:
    def assign(user: User, values: list[Value] | None) -> None:
        setattr(user, name, dump(values))

    return assign


def _enterprise_field(field: str) -> Any:
    def assign(user: User, value: Any) -> None:
        # JSON columns are not mutation-tracked: assign a new dict.
        enterprise = dict(user.enterprise or {})
        if isinstance(value, Manager):
            value = dump(value)
        if value is None:
            enterprise.pop(field, None)
        else:
            enterprise[field] = value
        user.enterprise = enterprise or None

    return assign


def _manager_value(user: User, value: str | None) -> None:
    manager = {"value": value} if value is not None else None
    _enterprise_field("manager")(user, manager)


def _user_attributes() -> list[Attribute]:
    attributes = [
        Attribute("user_name", text(2, 128), set_user_name, required=True),
        Attribute("display_name", text(), column("display_name"), required=True),
        Attribute("name", json_value(Name), set_name, required=True),
        Attribute("emails", json_value(Emails), set_emails, required=True),
        Attribute("addresses", json_value(Addresses), _json_list("addresses")),
        Attribute("phone_numbers", json_value(PhoneNumbers), _json_list("phone_numbers")),
        Attribute(
            "enterprise", json_value(Enterprise), lambda u, v: setattr(u, "enterprise", dump(v))
        ),
        Attribute("enterprise.manager", json_value(Manager), _enterprise_field("manager")),
        Attribute("enterprise.manager.value", text(), _manager_value),
    ]
    for field, name_column in NAME_COLUMNS.items():
        required = field in ("given_name", "family_name")
        attributes.append(Attribute(f"name.{field}", text(), column(name_column), required))
    attributes += [Attribute(name, text(), column(name)) for name in OPTIONAL_TEXT]
    attributes += [
        Attribute(f"enterprise.{field}", text(), _enterprise_field(field))
        for field in ENTERPRISE_TEXT
    ]
    return attributes


USER_ATTRIBUTES = AttributeTable(
    "user",
    _user_attributes(),
    read_only=(
        "user_id",
        "id",
        "identity_store_id",
        "external_id",
        "external_ids",
        "enabled",
        "active",
        "email_verified",
        "password_mode",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    ),
    aliases={"nick_name": "nickname"},
)
