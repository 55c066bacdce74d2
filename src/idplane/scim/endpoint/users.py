"""SCIM User resources <-> the identity store's user rows (`identity_store_users`).

The Identity Store API reads and writes the same rows, so a user created here is the user it
lists and the other way round. Scalar attributes are columns; `emails`, `phoneNumbers`,
`addresses` and the enterprise extension are the JSON columns in the Identity Store API's
snake_case shape (`street_address`, `cost_center`), several values allowed (the Identity Store
API's own create accepts one). `active` is `enabled`; it is required in our schema because the
directory always knows whether a user is enabled: absent on POST means true, absent on PUT
keeps the current value, and PATCH cannot remove it. `password` and `groups` in a POST/PUT
body are ignored (Huawei's SCIM stores no password; `groups` is readOnly, Okta sends `[]`).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from idplane.identitystore.directory.service import USER, lock_groups_of
from idplane.identitystore.provisioning.service import ScimTenant
from idplane.identitystore.users.attributes import name_key, set_user_name
from idplane.identitystore.users.tables import User, UserExternalId
from idplane.platform import ids
from idplane.platform.clock import now
from idplane.platform.db import is_unique_violation
from idplane.platform.errors import Invalid
from idplane.scim.endpoint.kinds import (
    EXTERNAL_ID,
    ISSUER,
    check_strings,
    external_id_taken,
    external_ids,
    meta,
    provisioner,
    set_external_id,
    uniqueness,
)
from idplane.scim.filters import Compare, Expr
from idplane.scim.filters_sql import Column
from idplane.scim.schemas import ENTERPRISE_USER, ResourceSchema
from idplane.scim.values import declared_schemas, get, is_present, normalize_resource, put

NAME = {
    "formatted": "formatted_name",
    "familyName": "family_name",
    "givenName": "given_name",
    "middleName": "middle_name",
    "honorificPrefix": "honorific_prefix",
    "honorificSuffix": "honorific_suffix",
}
SIMPLE = {
    "displayName": "display_name",
    "nickName": "nickname",
    "profileUrl": "profile_url",
    "title": "title",
    "userType": "user_type",
    "preferredLanguage": "preferred_language",
    "locale": "locale",
    "timezone": "timezone",
}
LISTS = {"emails": "emails", "phoneNumbers": "phone_numbers", "addresses": "addresses"}
IGNORED = ("password", "groups")
LIMITS = {"userName": 128, "externalId": EXTERNAL_ID}
USER_NAME_MIN = 2  # as the Identity Store API's user_name

_EXTERNAL_ID = (
    select(UserExternalId.external_id)
    .where(UserExternalId.user_id == User.id, UserExternalId.issuer == ISSUER)
    .order_by(UserExternalId.seq)
    .limit(1)
    .scalar_subquery()
)
# Filter and sort keys -> columns; the JSON columns (emails...) are filtered in memory.
COLUMNS: dict[str, Any] = {
    "id": User.id,
    "externalId": _EXTERNAL_ID,
    # The case-folded name: `userName eq` is a probe of the unique (store, user_name_key) index.
    "userName": Column(User.user_name_key, name_key),
    "active": User.enabled,
    "meta.created": User.created_at,
    "meta.lastModified": User.updated_at,
    **{scim: getattr(User, column) for scim, column in SIMPLE.items()},
    **{f"name.{scim}": getattr(User, column) for scim, column in NAME.items()},
}


class UserKind:
    name = "User"
    endpoint = "Users"
    principal_type = USER
    model = User

    def __init__(self, schema: ResourceSchema):
        self.schema = schema

    def column_for(self, key: str) -> Any:
        return COLUMNS.get(key)

    def indexed(self, conjunct: Expr, identity_store_id: str) -> ColumnElement[bool] | None:
        """`externalId eq "x"`: a probe of the unique (store, issuer, external id) index."""
        if _equals(conjunct, "externalId"):
            assert isinstance(conjunct, Compare)
            return User.id.in_(
                select(UserExternalId.user_id).where(
                    UserExternalId.identity_store_id == identity_store_id,
                    UserExternalId.issuer == ISSUER,
                    UserExternalId.external_id == conjunct.value,
                )
            )
        return None

    def render(
        self, session: Session, rows: list[Any], base: str, members: bool
    ) -> list[dict[str, Any]]:
        found = external_ids(session, UserExternalId, UserExternalId.user_id, (r.id for r in rows))
        return [self.resource(row, found.get(row.id), base) for row in rows]

    def resource(self, user: User, external_id: str | None, base: str) -> dict[str, Any]:
        resource = _clean(
            {
                "id": user.id,
                "externalId": external_id,
                "userName": user.user_name,
                "name": {scim: getattr(user, column) for scim, column in NAME.items()},
                **{scim: getattr(user, column) for scim, column in SIMPLE.items()},
                "active": bool(user.enabled),
                **{scim: _camel(getattr(user, column)) for scim, column in LISTS.items()},
                ENTERPRISE_USER: _camel(user.enterprise),
            }
        )
        return {
            "schemas": declared_schemas(resource, self.schema),
            **resource,
            "meta": meta(self.name, user, f"{base}/{self.endpoint}/{user.id}"),
        }

    def prepare(self, body: Any, row: Any | None) -> dict[str, Any]:
        """A POST/PUT body as a checked resource (`row`: the user a PUT replaces)."""
        if isinstance(body, dict):
            body = {k: v for k, v in body.items() if k.lower() not in IGNORED}
            if get(body, "active") is None:
                put(body, "active", bool(row.enabled) if row is not None else True)
        resource = normalize_resource(body, self.schema)
        self.check(resource)
        return resource

    def check(self, resource: dict[str, Any]) -> None:
        check_strings(resource, LIMITS)
        if len(get(resource, "userName") or "") < USER_NAME_MIN:
            raise Invalid(
                f"'userName' must be at least {USER_NAME_MIN} characters long.",
                scim_type="invalidValue",
            )

    def insert(self, session: Session, tenant: ScimTenant, resource: dict[str, Any]) -> User:
        moment, who = now(), provisioner(tenant)
        user = User(
            id=ids.uuid_str(),
            identity_store_id=tenant.identity_store_id,
            enabled=True,
            email_verified=False,
            password_change_required=False,
            version=1,
            created_at=moment,
            created_by=who,
            updated_at=moment,
            updated_by=who,
        )
        _write(user, resource)
        session.add(user)
        session.flush()
        external_id = get(resource, "externalId")
        if external_id:
            set_external_id(
                session,
                UserExternalId,
                "user_id",
                tenant.identity_store_id,
                user.id,
                external_id,
                fresh=True,
            )
        return user

    def update(
        self,
        session: Session,
        tenant: ScimTenant,
        row: Any,
        before: dict[str, Any],
        after: dict[str, Any],
    ) -> bool:
        """Writes `after` over the user; False (and nothing written) when nothing changed."""
        if _content(before) == _content(after):
            return False
        _write(row, after)
        if get(before, "externalId") != get(after, "externalId"):
            set_external_id(
                session,
                UserExternalId,
                "user_id",
                tenant.identity_store_id,
                row.id,
                get(after, "externalId"),
            )
        row.version = (row.version or 0) + 1
        row.updated_at = now()
        row.updated_by = provisioner(tenant)
        return True

    def before_delete(self, session: Session, resource_id: str) -> None:
        """The user's groups change with its deletion: lock them before the user (the order
        group writes take), so deleting a user never deadlocks with adding it to a group."""
        lock_groups_of(session, resource_id)

    def conflict(self, error: IntegrityError) -> Exception:
        if external_id_taken(error):
            return uniqueness("Another user of this identity store has this externalId.")
        if is_unique_violation(error):
            return uniqueness("A user with this userName already exists in the identity store.")
        return error


def _write(user: User, resource: dict[str, Any]) -> None:
    set_user_name(user, get(resource, "userName"))
    name = get(resource, "name") or {}
    for scim, column in NAME.items():
        setattr(user, column, get(name, scim))
    for scim, column in SIMPLE.items():
        setattr(user, column, get(resource, scim))
    emails = _snake(get(resource, "emails")) or []
    if [e.get("value") for e in emails] != [e.get("value") for e in user.emails or []]:
        user.email_verified = False  # a new address has not been verified
    user.emails = emails
    user.phone_numbers = _snake(get(resource, "phoneNumbers"))
    user.addresses = _snake(get(resource, "addresses"))
    user.enterprise = _snake(get(resource, ENTERPRISE_USER))
    active = get(resource, "active")
    if active is not None:
        user.enabled = bool(active)


def _equals(conjunct: Expr, key: str) -> bool:
    return (
        isinstance(conjunct, Compare)
        and conjunct.op == "eq"
        and conjunct.ref.key == key
        and isinstance(conjunct.value, str)
    )


def _content(resource: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in resource.items() if k.lower() not in ("id", "meta", "schemas")}


def _clean(value: Any) -> Any:
    """Unassigned values (null, "", empty lists and objects) left out, at every depth."""
    if isinstance(value, dict):
        cleaned = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if is_present(v)}
    if isinstance(value, list):
        return [item for item in (_clean(v) for v in value) if is_present(item)]
    return value


def _camel(value: Any) -> Any:
    """Stored snake_case keys (`street_address`) in SCIM's spelling (`streetAddress`)."""
    if isinstance(value, dict):
        return {
            re.sub(r"_([a-z0-9])", lambda m: m[1].upper(), k): _camel(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_camel(item) for item in value]
    return value


def _snake(value: Any) -> Any:
    if isinstance(value, dict):
        out = {
            re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", k).lower(): _snake(v) for k, v in value.items()
        }
        return out or None
    if isinstance(value, list):
        return [_snake(item) for item in value] or None
    return value
