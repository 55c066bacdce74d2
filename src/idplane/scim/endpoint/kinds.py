"""What SCIM Users and Groups share: the `Kind` each module implements, `meta` and ETags, the
limits the directory's columns put on values, and external ids.

- ETags are the row's `version` (bumped by every change, through SCIM or the Identity Store
  API), weak: `W/"3"`. `If-Match` compares them weakly (RFC 7644 section 3.14 uses weak tags).
- `externalId` is kept in the directory's external-id tables under the issuer `SCIM`, one
  issuer for every tenant of a store: an IdP reconnected through a new tenant still finds its
  users by externalId. (issuer, id) is unique per store, so two resources of a kind cannot
  share an externalId (409 uniqueness).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from idplane.identitystore.provisioning.service import ScimTenant
from idplane.platform.clock import as_utc
from idplane.platform.errors import ApiError, Conflict, Invalid
from idplane.scim.filters import Expr
from idplane.scim.schemas import ResourceSchema

ISSUER = "SCIM"
TEXT = 1024  # every free-text column of the directory
EXTERNAL_ID = 256
_UUID = re.compile(r"^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$")


class Kind(Protocol):
    """One resource type: how its rows become SCIM resources and back."""

    name: str  # the resourceType: "User"
    endpoint: str  # "Users"
    principal_type: str  # the directory's "USER"
    model: Any  # the table
    schema: ResourceSchema

    def column_for(self, key: str) -> Any: ...

    def indexed(self, conjunct: Expr, identity_store_id: str) -> ColumnElement[bool] | None: ...

    def render(
        self, session: Session, rows: list[Any], base: str, members: bool
    ) -> list[dict[str, Any]]: ...

    def prepare(self, body: Any, row: Any | None) -> dict[str, Any]: ...

    def check(self, resource: dict[str, Any]) -> None: ...

    def insert(self, session: Session, tenant: ScimTenant, resource: dict[str, Any]) -> Any: ...

    def update(
        self,
        session: Session,
        tenant: ScimTenant,
        row: Any,
        before: dict[str, Any],
        after: dict[str, Any],
    ) -> bool: ...

    def conflict(self, error: IntegrityError) -> Exception: ...

    def before_delete(self, session: Session, resource_id: str) -> None: ...


def is_resource_id(value: str) -> bool:
    """Ids are lower-case UUIDs; anything else cannot name a resource (and never reaches SQL)."""
    return bool(_UUID.match(value))


def provisioner(tenant: ScimTenant) -> str:
    """`created_by`/`updated_by` of what a tenant writes: the Identity Store API shows who
    provisioned a user. Nothing references the tenant, so its users outlive it."""
    return f"scim:{tenant.tenant_id}"


def timestamp(moment: datetime) -> str:
    """RFC 3339 UTC with microseconds: `meta.lastModified gt "<a returned value>"` is exact."""
    return as_utc(moment).isoformat(timespec="microseconds").replace("+00:00", "Z")


def etag(version: int | None) -> str:
    return f'W/"{version or 0}"'


def matches_etag(header: str, version: int | None) -> bool:
    """Whether an `If-Match`/`If-None-Match` list names this version (`*` names any)."""
    current = etag(version).removeprefix("W/")
    for candidate in (part.strip() for part in header.split(",")):
        if candidate == "*" or candidate.removeprefix("W/") == current:
            return True
    return False


def meta(kind: str, row: Any, location: str) -> dict[str, Any]:
    return {
        "resourceType": kind,
        "created": timestamp(row.created_at),
        "lastModified": timestamp(row.updated_at),
        "location": location,
        "version": etag(row.version),
    }


def check_strings(resource: dict[str, Any], limits: dict[str, int]) -> None:
    """Every string fits its column (1,024 characters unless `limits` says otherwise) and holds
    no NUL character (PostgreSQL text cannot): 400 invalidValue naming the attribute."""
    for key, value in resource.items():
        if key.lower().startswith("urn:") and isinstance(value, dict):
            for name, item in value.items():
                _check(item, f"{key}:{name}", limits)
        else:
            _check(value, key, limits)


def _check(value: Any, path: str, limits: dict[str, int]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _check(item, f"{path}.{key}", limits)
    elif isinstance(value, list):
        for item in value:
            _check(item, path, limits)
    elif isinstance(value, str):
        if "\x00" in value:
            raise Invalid(f"'{path}' must not contain NUL characters.", scim_type="invalidValue")
        limit = limits.get(path, TEXT)
        if len(value) > limit:
            raise Invalid(f"'{path}' is longer than {limit} characters.", scim_type="invalidValue")


def external_ids(session: Session, model: Any, owner: Any, owners: Iterable[str]) -> dict[str, str]:
    """The SCIM externalId of each owner (user or group id) that has one."""
    wanted = list(owners)
    if not wanted:
        return {}
    stmt = (
        select(owner, model.external_id)
        .where(owner.in_(wanted), model.issuer == ISSUER)
        .order_by(model.seq)
    )
    found: dict[str, str] = {}
    for owner_id, external_id in session.execute(stmt):
        found.setdefault(owner_id, external_id)
    return found


def set_external_id(
    session: Session,
    model: Any,
    owner_field: str,
    identity_store_id: str,
    owner_id: str,
    value: str | None,
    *,
    fresh: bool = False,
) -> None:
    """The owner's SCIM external id becomes `value` (none when None); `fresh`: it has none yet."""
    owner = getattr(model, owner_field)
    if not fresh:
        session.execute(delete(model).where(owner == owner_id, model.issuer == ISSUER))
    if value:
        session.add(
            model(
                identity_store_id=identity_store_id,
                issuer=ISSUER,
                external_id=value,
                **{owner_field: owner_id},
            )
        )


def external_id_taken(error: IntegrityError) -> bool:
    """Which unique constraint failed: SQLite names the table, PostgreSQL the constraint."""
    return "external_ids" in str(error.orig).lower()


def uniqueness(message: str) -> ApiError:
    return Conflict(message, scim_type="uniqueness")
