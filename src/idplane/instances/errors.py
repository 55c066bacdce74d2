"""The directory's errors, worded as the real service's code table words them
(`Bad Request: {0}.`, `Not Found: {0}.`, `Duplicate entity objects.`), so users, groups and
memberships answer the same mistake the same way."""

from __future__ import annotations

from idplane.platform.errors import Conflict, Invalid, NotFound, QuotaExceeded

INVALID = "IIC.400"
NOT_FOUND = "IIC.404"
DUPLICATE = "IIC.1257"  # 409 "Duplicate entity objects." in the published code table


def invalid(detail: str) -> Invalid:
    return Invalid(f"Bad Request: {detail}.", INVALID)


def not_found(kind: str, identifier: str) -> NotFound:
    return NotFound(f"Not Found: {kind} {identifier}.", NOT_FOUND)


def duplicate(detail: str) -> Conflict:
    return Conflict(f"Duplicate entity objects: {detail}.", DUPLICATE)


def quota_exceeded(detail: str) -> QuotaExceeded:
    # The code table has no quota-specific code; the real service answers 400 IIC.400.
    return QuotaExceeded(f"Bad Request: {detail}.", INVALID)
