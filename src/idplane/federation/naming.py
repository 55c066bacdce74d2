"""The ids callers choose for identity providers, mappings and protocols.

Huawei names identity providers with 1-64 letters, digits, `-` and `_`; Keystone allows any
string of up to 64 characters in its columns. We accept Huawei's set plus `.` (domain-like
names such as `idp.example.com`, which Huawei's console suggests), which keeps every id safe
in a URL path without escaping.
"""

from __future__ import annotations

import re

from idplane.platform.errors import Invalid, NotFound

_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")


def check_new_id(kind: str, value: str) -> str:
    """A new object's id: a 400 explains the rule."""
    if not _ID.match(value):
        raise Invalid(
            f"The {kind} id must be 1 to 64 letters, digits, '.', '-' or '_'.", "IAM.0007"
        )
    return value


def not_found(kind: str, value: str) -> NotFound:
    """Huawei's "Could not find %(target)s: %(target_id)s." as IAM.0004."""
    return NotFound(f"Could not find {kind}: {value}.", "IAM.0004")
