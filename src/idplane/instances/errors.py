"""The directory's errors, worded as the real service's code table words them
(`Bad Request: {0}.`, `Not Found: {0}.`, `Duplicate entity objects.`), so every Identity
Center and Identity Store operation answers the same mistake the same way. Codes are given
only where they differ from the Identity Center envelope's default for the status."""

from __future__ import annotations

from idplane.platform.errors import Conflict, Invalid, NotFound, QuotaExceeded

DUPLICATE = "IIC.1257"  # 409 "Duplicate entity objects." in the published code table


def invalid(detail: str) -> Invalid:
    return Invalid(f"Bad Request: {detail}.")  # the envelope's default code: IIC.400


def not_found(kind: str, identifier: str) -> NotFound:
    return NotFound(f"Not Found: {kind} {identifier}.")  # the envelope's default: IIC.404


def duplicate(detail: str) -> Conflict:
    return Conflict(f"Duplicate entity objects: {detail}.", DUPLICATE)


def quota_exceeded(detail: str) -> QuotaExceeded:
    # The code table has no quota-specific code; the real service answers 400 IIC.400.
    return QuotaExceeded(f"Bad Request: {detail}.")
