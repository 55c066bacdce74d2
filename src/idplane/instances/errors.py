"""The directory's errors, so every Identity Center and Identity Store operation answers the
same mistake the same way. The envelope words IIC.400/IIC.404 as the real service's code table
does (`Bad Request: {0}.`, `Not Found: {0}.`); codes are given only where they differ from the
envelope's default for the status."""

from __future__ import annotations

from idplane.platform.errors import Conflict, Invalid, NotFound, QuotaExceeded

DUPLICATE = "IIC.1257"  # 409 "Duplicate entity objects." in the published code table


def invalid(detail: str) -> Invalid:
    return Invalid(detail)  # the envelope's default code: IIC.400


def not_found(kind: str, identifier: str) -> NotFound:
    return NotFound(f"{kind} {identifier}")  # the envelope's default: IIC.404


def duplicate(detail: str) -> Conflict:
    return Conflict(f"Duplicate entity objects: {detail}.", DUPLICATE)


def quota_exceeded(detail: str) -> QuotaExceeded:
    # The code table has no quota-specific code; the real service answers 400 IIC.400.
    return QuotaExceeded(detail)
