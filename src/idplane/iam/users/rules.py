"""The real service's rules for user fields, with its error codes (IAM.1101-1118)."""

from __future__ import annotations

import re
from typing import Any

from idplane.platform.errors import Invalid

NAME = re.compile(r"^[A-Za-z_.\- ][A-Za-z0-9_.\- ]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^[0-9]{1,32}$")
AREACODE = re.compile(r"^[0-9]{1,8}$")
ACCESS_MODES = {"default", "programmatic", "console"}
SPECIALS = set("~`!@#$%^&*()-_=+\\|[{}];:'\",<.>/? ")


def check_name(name: str) -> None:
    if not NAME.match(name or ""):
        raise Invalid(
            "Invalid username: 1-64 characters (letters, digits, spaces, -, _ and .), "
            "not starting with a digit.",
            "IAM.1101",
        )


# The account's password strength policy as the real service publishes it
# (KeystoneShowSecurityCompliance, its documented example), beside the rule check_password applies.
PASSWORD_REGEX = r"^(?![A-Z]*$)(?![a-z]*$)(?![\d]*$)(?![^\W]*$)\S{6,32}$"
PASSWORD_REGEX_DESCRIPTION = (
    "The password must contain at least two of the following character types: uppercase "
    "letters, lowercase letters, digits, and special characters, and be a length between 6 "
    "and 32."
)


def check_password(password: str, user_name: str | None) -> None:
    if not 6 <= len(password) <= 32:
        raise Invalid("Incorrect password: it must have 6 to 32 characters.", "IAM.1103")
    kinds = [
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c.isdigit() for c in password),
        any(c in SPECIALS for c in password),
    ]
    if sum(kinds) < 2 or (user_name and password in (user_name, user_name[::-1])):
        raise Invalid(
            "The password is weak: use at least two kinds of characters (upper case, lower "
            "case, digits, special characters), and not the user name.",
            "IAM.1118",
        )


def check_fields(fields: dict[str, Any], user_name: str | None) -> None:
    """Validates whichever user fields are present (create and update share this)."""
    if "name" in fields:
        check_name(fields["name"])
    if fields.get("password") is not None:
        check_password(fields["password"], fields.get("name") or user_name)
    email = fields.get("email")
    if email is not None and (len(email) > 255 or not EMAIL.match(email)):
        raise Invalid("Invalid email address.", "IAM.1102")
    if fields.get("phone") is not None and not PHONE.match(fields["phone"]):
        raise Invalid("Invalid mobile number.", "IAM.1104")
    if fields.get("areacode") is not None and not AREACODE.match(fields["areacode"]):
        raise Invalid("Invalid mobile number: bad country code.", "IAM.1104")
    if ("phone" in fields or "areacode" in fields) and (
        (fields.get("phone") is None) != (fields.get("areacode") is None)
    ):
        raise Invalid(
            "The country code and mobile number must be set at the same time.", "IAM.1106"
        )
    if len(fields.get("description") or "") > 255:
        raise Invalid("Invalid user description: at most 255 characters.", "IAM.1117")
    mode = fields.get("access_mode")
    if mode is not None and mode not in ACCESS_MODES:
        raise Invalid("access_mode must be default, programmatic or console.", "IAM.0007")
    if len(fields.get("xuser_type") or "") > 64 or len(fields.get("xuser_id") or "") > 128:
        raise Invalid("xuser_type or xuser_id is too long.", "IAM.0007")


def split_mobile(mobile: str) -> tuple[str, str]:
    """`0086-123456789` (country code, dash, number), as update_user_information takes it."""
    areacode, dash, number = mobile.partition("-")
    if not dash or not AREACODE.match(areacode) or not PHONE.match(number):
        raise Invalid("Invalid mobile number: expected <country code>-<number>.", "IAM.1104")
    return areacode, number
